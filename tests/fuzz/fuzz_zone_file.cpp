// fuzz_zone_file.cpp -- libFuzzer target (and corpus replay): arbitrary bytes read as a master
// file by `zone import`'s parser (our lexer, then ldns for the RDATA). Any outcome but a
// crash, a sanitizer report or an exception other than the parser's own refusals is a bug;
// what parses is also written back out as `zone export` would.
#include "zonestore/store/store.hpp"
#include "zonestore/store/zone_file_io.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace nuage;
    static const dns::Name origin = dns::Name::parse("fuzz.test.");
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        store::ZoneImport z = store::parse_zone_import(text, origin, "fuzz.zone");
        compile::ZoneSource src;
        src.meta.origin = z.origin;
        src.meta.soa = z.soa;
        src.meta.name_servers = z.name_servers;
        for (const auto& r : z.records) {
            src.records.push_back({r.owner, r.type, r.ttl, r.rdata});
        }
        (void)store::export_public(src, {});
    } catch (const store::ValidationError&) {
        // ImportError included: a refusal with its line, as designed.
    }
    return 0;
}

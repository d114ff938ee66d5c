#include "tests/support/catalog_builder.hpp"

#include "zonestore/compile/compiler.hpp"
#include "zonestore/dns/wire.hpp"
#include "zonestore/dns/zone_file.hpp"

#include <sstream>
#include <stdexcept>

namespace nuage::test {

namespace {

// "$FLATTEN OWNER TARGET TTL" lines (names relative to the origin, as in the zone text) are
// taken out of `text` and become flattened CNAMEs of `src` (DESIGN §2); the rest is returned.
std::string take_flatten_lines(std::string_view text, compile::ZoneSource& src)
{
    std::string rest;
    std::istringstream in{std::string(text)};
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string key, owner, target;
        std::uint32_t ttl = 0;
        if (!(words >> key) || key != "$FLATTEN") {
            rest += line + "\n";
            continue;
        }
        if (!(words >> owner >> target >> ttl)) {
            throw std::invalid_argument("bad line: " + line + " ($FLATTEN OWNER TARGET TTL)");
        }
        const dns::Name& o = src.meta.origin;
        src.flattened.push_back(
            {dns::Name::parse(owner == "@" ? o.to_text() : owner, &o), dns::Name::parse(target, &o), ttl});
    }
    return rest;
}

} // namespace

compile::ZoneSource zone_source_from_text(std::string_view origin, std::string_view text,
                                          std::int64_t zone_id)
{
    compile::ZoneSource src;
    src.meta.zone_id = zone_id;
    src.meta.origin = dns::Name::parse(origin);
    bool have_soa = false;
    std::string zone_text = take_flatten_lines(text, src);
    for (auto& r : dns::read_zone_file(zone_text, src.meta.origin, "test-zone")) {
        if (r.type == 6 && r.owner == src.meta.origin) {
            const auto* p = reinterpret_cast<const std::uint8_t*>(r.rdata.data());
            const auto* end = p + r.rdata.size();
            std::size_t l1 = dns::name_wire_length(p, end);
            std::size_t l2 = dns::name_wire_length(p + l1, end);
            auto& s = src.meta.soa;
            s.mname = *dns::Name::from_wire(r.rdata.substr(0, l1));
            s.rname = *dns::Name::from_wire(r.rdata.substr(l1, l2));
            const std::uint8_t* n = p + l1 + l2;
            s.serial = dns::read_u32(n);
            s.refresh = dns::read_u32(n + 4);
            s.retry = dns::read_u32(n + 8);
            s.expire = dns::read_u32(n + 12);
            s.minimum = dns::read_u32(n + 16);
            s.ttl = r.ttl;
            have_soa = true;
        } else if (r.type == 2 && r.owner == src.meta.origin) {
            src.meta.name_servers.push_back(*dns::Name::from_wire(r.rdata));
            src.meta.ns_ttl = r.ttl;
        } else {
            src.records.push_back({r.owner, r.type, r.ttl, r.rdata});
        }
    }
    if (!have_soa) {
        throw std::invalid_argument("test zone " + std::string(origin) + " has no SOA");
    }
    return src;
}

snapshot::CatalogRef
catalog_from_zones(const std::vector<std::pair<std::string_view, std::string_view>>& zones)
{
    std::vector<snapshot::ZoneRef> refs;
    std::int64_t id = 1;
    for (const auto& [origin, text] : zones) {
        refs.push_back(compile::compile_zone(zone_source_from_text(origin, text, id++)));
    }
    return std::make_shared<const snapshot::Catalog>(std::move(refs), 1);
}

}  // namespace nuage::test

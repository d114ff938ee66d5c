// A plain export loads in knotd and nsd (DESIGN §4): empty RDATA and types whose presentation
// format the three readers do not share go out as RFC 3597 "TYPEnnn \# len hex", names are
// escaped where knotd would refuse them, and the export re-imports to the same records.
#include "tests/unit/store/store_fixture.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/store/content.hpp"
#include "zonestore/store/zone_file_io.hpp"

#include <algorithm>

using namespace nuage;

namespace {

const char* kOdd = R"($ORIGIN example.org.
$TTL 3600
@       IN SOA ns1.example.net. hostmaster.example.org. 1 7200 3600 1209600 300
@       IN NS  ns1.example.net.
unknown IN TYPE65534 \# 0
null    IN NULL \# 0
apl     IN APL \# 0
eid     IN TYPE31 \# 2 0102
nimloc  IN TYPE32 \# 1 ff
atma    IN TYPE34 \# 2 0001
sink    IN TYPE40 \# 4 0a000001
dlv     IN TYPE32769 \# 5 0001020304
\#      IN A 192.0.2.1
hash    IN CNAME a\#b.example.net.
caa     IN CAA 0 Issue "letsencrypt.org"
doh     IN HTTPS 1 . key7=/q{?dns}
mx      IN MX 10 mail\@x.example.net.
)";

store::ZoneImport parse(const std::string& text)
{
    return store::parse_zone_import(text, dns::Name::parse("example.org."), "odd.zone");
}

// The export's lines for one owner (without its comment).
std::string line_for(const std::string& text, const std::string& owner)
{
    std::size_t at = text.find("\n" + owner + "\t");
    REQUIRE(at != std::string::npos);
    std::string line = text.substr(at + 1, text.find('\n', at + 1) - at - 1);
    return line.substr(0, line.find(" ;"));
}

} // namespace

TEST_CASE("export: RFC 3597 for empty RDATA and for types the readers spell differently")
{
    test::StoreFixture f;
    auto z = f.st->import_zone(parse(kOdd), false);
    auto recs = f.st->list_records(z.id, {});
    std::string text = store::export_zone(*f.st->find_zone(z.id), recs);
    CHECK(line_for(text, "unknown.example.org.") ==
          "unknown.example.org.\t3600\tIN\tTYPE65534\t\\# 0");
    CHECK(line_for(text, "null.example.org.") == "null.example.org.\t3600\tIN\tTYPE10\t\\# 0");
    CHECK(line_for(text, "apl.example.org.") == "apl.example.org.\t3600\tIN\tTYPE42\t\\# 0");
    CHECK(line_for(text, "eid.example.org.") == "eid.example.org.\t3600\tIN\tTYPE31\t\\# 2 0102");
    CHECK(line_for(text, "nimloc.example.org.").ends_with("\tTYPE32\t\\# 1 ff"));
    CHECK(line_for(text, "atma.example.org.").ends_with("\tTYPE34\t\\# 2 0001"));
    CHECK(line_for(text, "sink.example.org.").ends_with("\tTYPE40\t\\# 4 0a000001"));
    CHECK(line_for(text, "dlv.example.org.").ends_with("\tTYPE32769\t\\# 5 0001020304"));
    // knotd refuses '#' and '@' in names unescaped; nsd reads "\#" as RFC 3597's token.
    CHECK(line_for(text, "\\035.example.org.") == "\\035.example.org.\t3600\tIN\tA\t192.0.2.1");
    CHECK(line_for(text, "hash.example.org.").ends_with("\tCNAME\ta\\035b.example.net."));
    CHECK(line_for(text, "mx.example.org.").ends_with("\tMX\t10 mail\\064x.example.net."));
    // nsd reads lowercase CAA tags only; knotd 3.2 has no name for SvcParam key 7.
    CHECK(line_for(text, "caa.example.org.").find("\tTYPE257\t\\# ") != std::string::npos);
    CHECK(line_for(text, "doh.example.org.").find("\tTYPE65\t\\# ") != std::string::npos);
    for (const char* ldns_only : {"\tEID\t", "\tNIMLOC\t", "\tATMA\t", "\tSINK\t", "\tDLV\t"}) {
        CHECK(text.find(ldns_only) == std::string::npos);
    }
    // The export reads back into the same records.
    test::StoreFixture g;
    auto z2 = g.st->import_zone(parse(text), false);
    auto again = g.st->list_records(z2.id, {});
    REQUIRE(again.size() == recs.size());
    auto key = [](const store::Record& r) { return std::tuple(r.name, r.type, r.rdata, r.ttl); };
    std::vector<std::tuple<std::string, std::uint16_t, std::string, std::uint32_t>> a, b;
    std::transform(recs.begin(), recs.end(), std::back_inserter(a), key);
    std::transform(again.begin(), again.end(), std::back_inserter(b), key);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    CHECK(a == b);
}

TEST_CASE("record content of empty RDATA and rare types is RFC 3597, never empty or lossy")
{
    test::StoreFixture f;
    auto z = f.st->import_zone(parse(kOdd), false);
    auto content_of = [&](const char* name) {
        auto r = f.st->list_records(z.id, {dns::Name::parse(name), {}});
        REQUIRE(r.size() == 1);
        return r[0].content;
    };
    CHECK(content_of("unknown.example.org.") == "\\# 0");
    CHECK(content_of("null.example.org.") == "\\# 0");
    CHECK(content_of("apl.example.org.") == "\\# 0");
    CHECK(content_of("sink.example.org.") == "\\# 4 0a000001");
    CHECK(content_of("dlv.example.org.") == "\\# 5 0001020304");
    CHECK(content_of("caa.example.org.") == "0 Issue \"letsencrypt.org\"");
    // What record list shows goes back in as the same record.
    auto sink = f.st->list_records(z.id, {dns::Name::parse("sink.example.org."), {}}).front();
    CHECK(store::content_to_rdata(40, sink.content, {}) == sink.rdata);
}

// The flattening hook of the public view, the compiler's flattened nodes, and the engine's
// SERVFAIL for flattened names whose addresses are unknown (DESIGN §2 "CNAME flattening").
#include "dnsd/engine/answer.hpp"
#include "tests/support/catalog_builder.hpp"
#include "zonestore/compile/compiler.hpp"
#include "zonestore/compile/flattened.hpp"
#include "zonestore/dns/wire.hpp"
#include "zonestore/view/public_view.hpp"

#include <doctest/doctest.h>

using namespace nuage;

namespace {

dns::Name name(const char* n)
{
    return dns::Name::parse(n);
}

std::string v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
{
    return std::string{char(a), char(b), char(c), char(d)};
}

view::ViewRow row(std::uint16_t type, std::string rdata, bool proxied = false, bool flatten = false,
                  std::uint32_t ttl = 600)
{
    return {type, ttl, proxied, flatten, std::move(rdata)};
}

struct ViewOut {
    std::vector<compile::SourceRecord> records;
    std::vector<compile::FlattenedName> flattened;
};

ViewOut view_of(const view::PublicView& v, const char* owner, std::vector<view::ViewRow> rows)
{
    ViewOut out;
    v.add_name(name(owner), rows, out.records, out.flattened);
    return out;
}

const char* kZone = R"(
$TTL 300
@ 3600 IN SOA ns1 hostmaster 7 7200 3600 1209600 120
@ 3600 NS ns1
ns1 A 192.0.2.53
www A 192.0.2.80
www AAAA 2001:db8::80
@ MX 10 mail
@ TXT "v=spf1 -all"
$FLATTEN @ www 600
$FLATTEN half www 600
half A 192.0.2.99
$FLATTEN alone www 600
)";

// The raw response to (qname, qtype) from the engine, and its rcode.
int rcode_of(const snapshot::Catalog& cat, const char* qname, std::uint16_t qtype,
             std::uint16_t* ancount = nullptr)
{
    std::vector<std::uint8_t> q(12, 0);
    q[5] = 1;
    auto n = name(qname);
    q.insert(q.end(), n.wire().begin(), n.wire().end());
    std::uint8_t tail[4];
    dns::write_u16(tail, qtype);
    dns::write_u16(tail + 2, 1);
    q.insert(q.end(), tail, tail + 4);
    std::vector<std::uint8_t> out(engine::kMaxMessage);
    std::size_t len = engine::answer(cat, q, out, engine::Transport::Udp);
    REQUIRE(len >= 12);
    if (ancount) {
        *ancount = dns::read_u16(out.data() + 6);
    }
    return out[3] & 0x0f;
}

} // namespace

TEST_CASE("the public view flattens the apex, flatten_all and flatten_cname; never a proxied CNAME")
{
    std::string target = name("target.example.net.").wire();
    view::PublicView plain(name("example.com."), false, {});
    // The apex: always flattened, beside what shares the name.
    auto apex = view_of(plain, "example.com.",
                        {row(5, target), row(15, std::string("\0\x0a\x04mail\x00", 8))});
    REQUIRE(apex.flattened.size() == 1);
    CHECK(apex.flattened[0].owner == name("example.com."));
    CHECK(apex.flattened[0].target == name("target.example.net."));
    CHECK(apex.flattened[0].ttl == 600);
    REQUIRE(apex.records.size() == 1);
    CHECK(apex.records[0].type == 15); // the MX stays, the CNAME never shows
    // Below the apex: a plain CNAME stays a CNAME, flatten_cname flattens it.
    auto www = view_of(plain, "www.example.com.", {row(5, target)});
    CHECK(www.flattened.empty());
    REQUIRE(www.records.size() == 1);
    CHECK(www.records[0].type == 5);
    auto one = view_of(plain, "one.example.com.", {row(5, target, false, true, 1)});
    REQUIRE(one.flattened.size() == 1);
    CHECK(one.flattened[0].ttl == 300); // automatic
    CHECK(one.records.empty());
    // flatten_all: every DNS-only CNAME; a proxied one is answered with edge addresses.
    view::EdgeSet edges = view::parse_edge_set({"203.0.113.10"}, {});
    view::PublicView all(name("example.com."), true, edges);
    auto any = view_of(all, "any.example.com.", {row(5, target)});
    CHECK(any.flattened.size() == 1);
    CHECK(any.records.empty());
    auto prox = view_of(all, "prox.example.com.", {row(5, target, true)});
    CHECK(prox.flattened.empty());
    REQUIRE(prox.records.size() == 1);
    CHECK(prox.records[0].type == 1);
    CHECK(prox.records[0].rdata == v4(203, 0, 113, 10));
}

TEST_CASE("flattened nodes: flags, kept without RRsets, updated and removed by name")
{
    auto src = test::zone_source_from_text("example.com.", kZone);
    REQUIRE(src.flattened.size() == 3);
    auto z = compile::compile_zone(src);
    REQUIRE(z->flattened);
    CHECK(z->flattened->size() == 3);
    const auto* apex = z->apex();
    CHECK(apex->is_flattened());
    CHECK(apex->flatten_unknown_for(1));
    CHECK(apex->flatten_unknown_for(28));
    CHECK(apex->flatten_unknown_for(255));
    CHECK(!apex->flatten_unknown_for(15));
    CHECK(apex->find(6) != nullptr); // SOA, NS, MX and TXT are still there
    CHECK(apex->find(15) != nullptr);
    const auto* half = z->nodes.find(name("half.example.com."));
    CHECK(!half->flatten_unknown_for(1)); // the text gave it an A: known
    CHECK(half->flatten_unknown_for(28));
    const auto* alone = z->nodes.find(name("alone.example.com."));
    REQUIRE(alone);
    CHECK(alone->rrsets.empty());
    CHECK(z->find_flattened(name("alone.example.com."))->target == name("www.example.com."));

    // An update that keeps the flattened CNAME and adds a TXT; one that removes it.
    auto meta = src.meta;
    meta.soa.serial++;
    std::vector<compile::NameUpdate> ups{
        {name("alone.example.com."),
         {{name("alone.example.com."), 16, 60, std::string("\x02hi", 3)}},
         {{name("alone.example.com."), name("other.example.net."), 60}}},
        {name("half.example.com."), {}, {}}};
    auto next = compile::update_zone(*z, meta, ups);
    CHECK(next->find_flattened(name("alone.example.com."))->target == name("other.example.net."));
    CHECK(next->find_flattened(name("half.example.com.")) == nullptr);
    CHECK(next->nodes.find(name("half.example.com.")) == nullptr); // nothing left there
    CHECK(next->nodes.find(name("alone.example.com."))->find(16) != nullptr);
    CHECK(next->nodes.find(name("alone.example.com."))->flatten_unknown_for(1));
    CHECK(next->flattened->size() == 2);
    CHECK(z->flattened->size() == 3); // the base is untouched
}

TEST_CASE("apply_flattened writes addresses and flags; the engine answers from them")
{
    auto z = compile::compile_zone(test::zone_source_from_text("example.com.", kZone));
    auto cat = std::make_shared<const snapshot::Catalog>(std::vector<snapshot::ZoneRef>{z}, 1);
    // Unknown: SERVFAIL for A, AAAA and ANY; other types as stored; CNAME is never shown.
    CHECK(rcode_of(*cat, "example.com.", 1) == 2);
    CHECK(rcode_of(*cat, "example.com.", 28) == 2);
    CHECK(rcode_of(*cat, "example.com.", 255) == 2);
    std::uint16_t an = 0;
    CHECK(rcode_of(*cat, "example.com.", 15, &an) == 0);
    CHECK(an == 1);
    CHECK(rcode_of(*cat, "alone.example.com.", 5, &an) == 0);
    CHECK(an == 0);
    CHECK(rcode_of(*cat, "alone.example.com.", 1) == 2);
    CHECK(rcode_of(*cat, "half.example.com.", 1, &an) == 0);
    CHECK(an == 1);
    CHECK(rcode_of(*cat, "half.example.com.", 28) == 2);

    compile::FlattenedAnswer apex{
        name("example.com."), {true, 120, {v4(192, 0, 2, 80), v4(192, 0, 2, 81)}}, {true, 60, {}}};
    compile::FlattenedAnswer alone{name("alone.example.com."), {true, 30, {}}, {true, 30, {}}};
    std::vector<compile::FlattenedAnswer> answers{apex, alone};
    CHECK(!compile::node_holds(*z->apex(), apex));
    auto next = compile::apply_flattened(*z, answers);
    CHECK(compile::node_holds(*next->apex(), apex));
    CHECK(next->apex()->find(1)->count == 2);
    CHECK(next->apex()->find(1)->ttl == 120);
    CHECK(next->apex()->find(28) == nullptr);
    CHECK(next->apex()->find(15) != nullptr);
    CHECK(next->nodes.shares_node_with(z->nodes, name("www.example.com.")));
    cat = std::make_shared<const snapshot::Catalog>(std::vector<snapshot::ZoneRef>{next}, 2);
    CHECK(rcode_of(*cat, "example.com.", 1, &an) == 0);
    CHECK(an == 2);
    CHECK(rcode_of(*cat, "example.com.", 28, &an) == 0); // NODATA
    CHECK(an == 0);
    CHECK(rcode_of(*cat, "example.com.", 255, &an) == 0);
    CHECK(an == 2); // minimal ANY: the A RRset, the lowest type
    CHECK(rcode_of(*cat, "alone.example.com.", 1, &an) == 0); // a target that does not exist
    CHECK(an == 0);
    CHECK(rcode_of(*cat, "nothere.example.com.", 1) == 3);

    // Back to unknown (serve-stale ran out): SERVFAIL again, no stale address left.
    compile::FlattenedAnswer gone{name("example.com."), {}, {}};
    std::vector<compile::FlattenedAnswer> back{gone};
    auto later = compile::apply_flattened(*next, back);
    CHECK(later->apex()->find(1) == nullptr);
    CHECK(later->apex()->flatten_unknown_for(1));
    // A name that is not flattened is never touched.
    compile::FlattenedAnswer www{name("www.example.com."), {true, 5, {}}, {true, 5, {}}};
    std::vector<compile::FlattenedAnswer> stray{www};
    CHECK(compile::apply_flattened(*z, stray)->nodes.find(name("www.example.com."))->find(1));
}

TEST_CASE("with_serial moves the SOA serial and nothing else")
{
    auto z = compile::compile_zone(test::zone_source_from_text("example.com.", kZone));
    auto next = compile::with_serial(*z, 8);
    CHECK(next->serial == 8);
    const auto* soa = next->soa();
    REQUIRE(soa);
    // RDATA: ns1.example.com. hostmaster.example.com. then the serial.
    std::size_t names = name("ns1.example.com.").size() + name("hostmaster.example.com.").size();
    CHECK(dns::read_u32(soa->rdata.data() + 2 + names) == 8);
    CHECK(dns::read_u32(z->soa()->rdata.data() + 2 + names) == 7);
    CHECK(next->nodes.shares_node_with(z->nodes, name("www.example.com.")));
}

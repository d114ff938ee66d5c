// Flattened answers computed from the catalog and a fake upstream cache: in-zone and
// cross-zone targets, chains, wildcards, delegations, proxied targets (edge addresses, never
// the origin), loops, flattened names pointing at flattened names; and the FlattenState that
// recomputes only what depends on a change.
#include "dnsd/flatten/flattener.hpp"
#include "dnsd/flatten/state.hpp"
#include "tests/support/catalog_builder.hpp"
#include "zonestore/compile/compiler.hpp"
#include "zonestore/view/public_view.hpp"

#include <doctest/doctest.h>
#include <map>

using namespace nuage;
using flatten::CacheKey;
using flatten::CacheView;

namespace {

dns::Name name(const char* n)
{
    return dns::Name::parse(n);
}
std::string v4(std::uint8_t d)
{
    return std::string{char(192), char(0), char(2), char(d)};
}

const char* kZoneA = R"(
$TTL 300
@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 120
@ 3600 NS ns1
ns1 A 192.0.2.53
www 60 A 192.0.2.1
www 60 A 192.0.2.2
www AAAA 2001:db8::1
alias 500 CNAME www
out CNAME x.example.org.
loop1 CNAME loop2
loop2 CNAME loop1
*.wild A 192.0.2.9
sub NS ns.sub.example.org.
@ MX 10 mail
$FLATTEN @ www 600
$FLATTEN f-alias alias 600
$FLATTEN f-cross www.b.test. 100
$FLATTEN f-ext target.example.net. 600
$FLATTEN f-out out 40
$FLATTEN f-nx nothere 600
$FLATTEN f-loop loop1 600
$FLATTEN f-self f-self 600
$FLATTEN f-to-flat f-ext 600
$FLATTEN f-wild x.wild 600
$FLATTEN f-deleg host.sub 600
$FLATTEN f-proxied edge.b.test. 600
)";

const char* kZoneB = R"(
$TTL 300
@ 3600 IN SOA ns1.b.test. hostmaster.b.test. 1 7200 3600 1209600 120
@ 3600 NS ns1.b.test.
www A 198.51.100.1
)";

// zone b: its text, plus a proxied A at edge.b.test. made by the public view (origin 10.9.9.9).
snapshot::ZoneRef zone_b(const char* www_last = nullptr)
{
    std::string text = kZoneB;
    if (www_last) {
        text += std::string("www A 198.51.100.") + www_last + "\n";
    }
    auto src = test::zone_source_from_text("b.test.", text, 2);
    view::PublicView v(name("b.test."), false,
                       view::parse_edge_set({"203.0.113.10"}, {"2001:db8:e::10"}));
    std::vector<view::ViewRow> rows{{1, 1, true, false, std::string{10, 9, 9, 9}}};
    v.add_name(name("edge.b.test."), rows, src.records, src.flattened);
    return compile::compile_zone(src);
}

struct Fixture {
    std::map<CacheKey, CacheView> upstream; // what the fake cache knows
    std::vector<CacheKey> asked;
    flatten::Planner::CacheLookup lookup = [this](const CacheKey& k) {
        asked.push_back(k);
        auto it = upstream.find(k);
        return it == upstream.end() ? CacheView{} : it->second;
    };
    snapshot::CatalogRef cat = std::make_shared<const snapshot::Catalog>(
        std::vector<snapshot::ZoneRef>{
            compile::compile_zone(test::zone_source_from_text("a.test.", kZoneA, 1)), zone_b()},
        1);

    const snapshot::Node* node(const char* n) const
    {
        return cat->find_zone(name(n))->nodes.find(name(n));
    }
    compile::FlattenedFamily family(const char* owner, std::uint16_t qtype)
    {
        flatten::Planner p(*cat, lookup);
        auto z = cat->find_zone(name(owner));
        return p.resolve(z->zone_id, *z->find_flattened(name(owner)), qtype).family;
    }
};

} // namespace

TEST_CASE("planner: served targets are followed in the snapshot")
{
    Fixture f;
    auto a = f.family("a.test.", 1);
    CHECK(a.known);
    CHECK(a.rdatas == std::vector<std::string>{v4(1), v4(2)});
    CHECK(a.ttl == 60); // min(600, 60)
    auto aaaa = f.family("a.test.", 28);
    CHECK(aaaa.known);
    CHECK(aaaa.rdatas.size() == 1);
    CHECK(aaaa.ttl == 300);
    a = f.family("f-alias.a.test.", 1);
    CHECK(a.rdatas.size() == 2);
    CHECK(a.ttl == 60);
    a = f.family("f-cross.a.test.", 1); // another served zone
    CHECK(a.rdatas == std::vector<std::string>{std::string{char(198), 51, 100, 1}});
    CHECK(a.ttl == 100);
    a = f.family("f-wild.a.test.", 1);
    CHECK(a.rdatas == std::vector<std::string>{v4(9)});
    a = f.family("f-nx.a.test.", 1); // DESIGN §2: a target that does not exist gives NODATA
    CHECK(a.known);
    CHECK(a.rdatas.empty());
    CHECK(a.ttl == 120);    // the negative TTL of zone a
    CHECK(f.asked.empty()); // no upstream needed for any of these
}

TEST_CASE("planner: a proxied target gives the edge's addresses, never the origin")
{
    Fixture f;
    auto a = f.family("f-proxied.a.test.", 1);
    CHECK(a.known);
    CHECK(a.rdatas == std::vector<std::string>{std::string{char(203), 0, 113, 10}});
    auto aaaa = f.family("f-proxied.a.test.", 28);
    REQUIRE(aaaa.rdatas.size() == 1);
    CHECK(aaaa.rdatas[0].size() == 16);
    CHECK(a.ttl == 300);
}

TEST_CASE("planner: targets outside, loops and cycles")
{
    Fixture f;
    CHECK(!f.family("f-ext.a.test.", 1).known); // nothing from upstream yet: SERVFAIL
    REQUIRE(f.asked.size() == 1);
    CHECK(f.asked[0] == CacheKey{name("target.example.net."), 1});
    f.upstream[{name("target.example.net."), 1}] = {true, {v4(77)}, 900, {}};
    auto a = f.family("f-ext.a.test.", 1);
    CHECK(a.rdatas == std::vector<std::string>{v4(77)});
    CHECK(a.ttl == 600);
    // A flattened name whose target is flattened: through its answer.
    a = f.family("f-to-flat.a.test.", 1);
    CHECK(a.rdatas == std::vector<std::string>{v4(77)});
    // A chain that leaves the served zones: the rest is asked upstream, TTL min over it.
    f.asked.clear();
    f.upstream[{name("x.example.org."), 1}] = {true, {v4(88)}, 900, {}};
    a = f.family("f-out.a.test.", 1);
    CHECK(a.rdatas == std::vector<std::string>{v4(88)});
    CHECK(a.ttl == 40);
    CHECK(f.asked == std::vector<CacheKey>{{name("x.example.org."), 1}});
    // Below a delegation: not ours, asked upstream.
    f.asked.clear();
    CHECK(!f.family("f-deleg.a.test.", 1).known);
    CHECK(f.asked == std::vector<CacheKey>{{name("host.sub.a.test."), 1}});
    CHECK(!f.family("f-loop.a.test.", 1).known);
    CHECK(!f.family("f-self.a.test.", 1).known);
}

TEST_CASE("planner: an upstream chain that comes back into a served zone goes on in the snapshot")
{
    Fixture f;
    // The upstream says target.example.net. -> edge.b.test. and gives an address for it: an
    // old copy of zone b (or a forgery) holding the origin. The snapshot answers instead, with
    // the edge's addresses, and zone b becomes a dependency.
    std::string origin{10, 9, 9, 9};
    f.upstream[{name("target.example.net."), 1}] = {true, {origin}, 900, {name("edge.b.test.")}};
    flatten::Planner p(*f.cat, f.lookup);
    auto z = f.cat->find_zone(name("a.test."));
    const auto& r = p.resolve(1, *z->find_flattened(name("f-ext.a.test.")), 1);
    CHECK(r.family.known);
    CHECK(r.family.rdatas == std::vector<std::string>{std::string{char(203), 0, 113, 10}});
    CHECK(r.family.ttl == 300);
    CHECK(r.zones.count(2));
    // The resolver stopped at a served name (no addresses from upstream): the same answer.
    f.upstream[{name("target.example.net."), 1}] = {true, {}, 900, {name("www.b.test.")}, true};
    CHECK(f.family("f-ext.a.test.", 1).rdatas ==
          std::vector<std::string>{std::string{char(198), 51, 100, 1}});
    // A hand-off to a zone no longer served: unknown until the upstream is asked again.
    f.upstream[{name("target.example.net."), 1}] = {true, {}, 900, {name("x.gone.test.")}, true};
    CHECK(!f.family("f-ext.a.test.", 1).known);
    // Chains through names we do not serve are the upstream's answer.
    f.upstream[{name("target.example.net."), 1}] = {true, {v4(5)}, 900, {name("y.example.org.")}};
    CHECK(f.family("f-ext.a.test.", 1).rdatas == std::vector<std::string>{v4(5)});
}

TEST_CASE("state: a write recomputes the names that depend on it, in other zones too")
{
    Fixture f;
    flatten::FlattenState st;
    auto out = st.apply(f.cat, {1, 2}, {}, 2, f.lookup);
    f.cat = out.catalog;
    CHECK(out.answers_changed.empty()); // the first computation is no change
    CHECK(st.size() == 12);
    CHECK(f.node("a.test.")->find(1)->count == 2);
    CHECK(!f.node("a.test.")->flatten_unknown_for(1));
    CHECK(f.node("a.test.")->find(15) != nullptr); // the MX beside the flattened apex
    CHECK(f.node("f-cross.a.test.")->find(1)->count == 1);
    CHECK(f.node("f-ext.a.test.")->flatten_unknown_for(1));
    auto wanted = st.wanted();
    CHECK(wanted.count({name("target.example.net."), 1}));
    CHECK(wanted.count({name("target.example.net."), 28}));
    CHECK(wanted.count({name("x.example.org."), 28}));
    CHECK(wanted.count({name("host.sub.a.test."), 1}));
    CHECK(wanted.size() == 6);

    // Nothing that any name depends on: the very same catalog comes back.
    auto again = st.apply(f.cat, {}, {CacheKey{name("unrelated.example."), 1}}, 3, f.lookup);
    CHECK(again.catalog == f.cat);

    // An upstream answer arrives: its names (and the name flattened onto them) follow.
    f.upstream[{name("target.example.net."), 1}] = {true, {v4(77)}, 900, {}};
    out = st.apply(f.cat, {}, {CacheKey{name("target.example.net."), 1}}, 3, f.lookup);
    f.cat = out.catalog;
    CHECK(out.answers_changed == std::vector<std::int64_t>{1});
    CHECK(f.node("f-ext.a.test.")->find(1)->count == 1);
    CHECK(f.node("f-to-flat.a.test.")->find(1)->count == 1);
    CHECK(f.node("f-ext.a.test.")->flatten_unknown_for(28)); // AAAA still unknown

    // Zone b changes (a write there): zone a's cross-zone name follows in the same publish.
    auto b2 = zone_b("2");
    f.cat = f.cat->with_zone(b2, 4);
    out = st.apply(f.cat, {2}, {}, 4, f.lookup);
    f.cat = out.catalog;
    CHECK(out.answers_changed == std::vector<std::int64_t>{1});
    CHECK(f.node("f-cross.a.test.")->find(1)->count == 2);
    CHECK(f.node("a.test.")->find(1)->count == 2); // untouched
}

TEST_CASE("state: a rewritten flattened name gets its answer back in the same apply")
{
    Fixture f;
    flatten::FlattenState st;
    f.cat = st.apply(f.cat, {1, 2}, {}, 2, f.lookup).catalog;
    // The store rewrote the apex (a TXT added): the compiler resets its addresses...
    auto za = f.cat->zone_by_id(1);
    compile::ZoneMeta meta;
    meta.zone_id = 1;
    meta.origin = name("a.test.");
    meta.soa.serial = 2;
    meta.soa.mname = name("ns1.a.test.");
    meta.soa.rname = name("hostmaster.a.test.");
    meta.name_servers = {name("ns1.a.test.")};
    std::vector<compile::NameUpdate> ups{{name("a.test."),
                                          {{name("a.test."), 16, 60, std::string("\x02hi", 3)}},
                                          {{name("a.test."), name("www.a.test."), 600}}}};
    auto rewritten = compile::update_zone(*za, meta, ups);
    CHECK(rewritten->apex()->flatten_unknown_for(1));
    // ... and the flattener puts them back before anything is published.
    auto out = st.apply(f.cat->with_zone(rewritten, 3), {1}, {}, 3, f.lookup);
    auto apex = out.catalog->zone_by_id(1)->apex();
    CHECK(!apex->flatten_unknown_for(1));
    CHECK(apex->find(1)->count == 2);
    CHECK(apex->find(16) != nullptr);
    CHECK(out.answers_changed.empty()); // zone a's own write moved its serial already
}

TEST_CASE("the Flattener applies without starting: served targets at once, others SERVFAIL")
{
    Fixture f;
    flatten::FlattenerOptions o;
    flatten::Flattener fl(o, nullptr);
    auto cat = fl.apply(f.cat, {1, 2}, 2);
    CHECK(fl.names() == 12);
    auto a = cat->find_zone(name("a.test."));
    CHECK(a->apex()->find(1)->count == 2);
    CHECK(a->nodes.find(name("f-ext.a.test."))->flatten_unknown_for(1));
}

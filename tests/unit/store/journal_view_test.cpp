// The journal and serial of every write, and the public view the daemon compiles.
#include "tests/unit/store/store_fixture.hpp"
#include "zonestore/compile/compiler.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/store/clock_ids.hpp"

#include <algorithm>

using namespace nuage;
using store::JournalEntry;

namespace {

bool has_name(const JournalEntry& e, const char* name)
{
    auto n = dns::Name::parse(name);
    return std::find(e.names.begin(), e.names.end(), n) != e.names.end();
}

std::vector<const compile::SourceRecord*> at(const std::vector<compile::SourceRecord>& recs,
                                             const char* name, std::uint16_t type)
{
    std::vector<const compile::SourceRecord*> out;
    for (const auto& r : recs) {
        if (r.owner == dns::Name::parse(name) && r.type == type) {
            out.push_back(&r);
        }
    }
    return out;
}

} // namespace

TEST_CASE("serial arithmetic follows RFC 1982 and skips 0")
{
    CHECK(store::next_serial(1) == 2);
    CHECK(store::next_serial(0xffffffffu) == 1);
    CHECK(store::serial_gt(2, 1));
    CHECK(store::serial_gt(1, 0xfffffff0u));
    CHECK(!store::serial_gt(0xfffffff0u, 1));
    CHECK(!store::serial_gt(5, 5));
    auto d = store::date_serial();
    CHECK(d % 100 == 1);
    CHECK(d > 2024000000u);
}

TEST_CASE("every write bumps the serial once and leaves one journal entry")
{
    test::StoreFixture f;
    auto head0 = f.st->journal_head();
    auto created = f.st->journal_since(0, 10);
    REQUIRE(created.size() == 1);
    CHECK(created[0].kind == JournalEntry::Kind::ZoneCreated);
    CHECK(created[0].zone_id == f.zone);
    auto s0 = f.serial();
    auto r = f.add("www", "A", "192.0.2.1");
    CHECK(f.serial() == s0 + 1);
    auto e = f.st->journal_since(head0, 10);
    REQUIRE(e.size() == 1);
    CHECK(e[0].kind == JournalEntry::Kind::Records);
    CHECK(e[0].names.size() == 1);
    CHECK(has_name(e[0], "www.example.com."));
    // An edit that renames names both the old and the new owner.
    store::RecordInput in;
    in.name = "web";
    in.type = "A";
    in.content = "192.0.2.1";
    f.st->update_record(f.zone, r.id, in);
    e = f.st->journal_since(e[0].seq, 10);
    REQUIRE(e.size() == 1);
    CHECK(has_name(e[0], "www.example.com."));
    CHECK(has_name(e[0], "web.example.com."));
    CHECK(f.serial() == s0 + 2);
    f.st->delete_record(f.zone, r.id);
    f.st->set_cname_flattening(f.zone, store::CnameFlattening::FlattenAll);
    f.st->set_edge_pool(f.zone, "eu");
    auto all = f.st->journal_since(e[0].seq, 10);
    REQUIRE(all.size() == 3);
    CHECK(all[0].kind == JournalEntry::Kind::Records);
    CHECK(has_name(all[0], "web.example.com."));
    CHECK(all[1].kind == JournalEntry::Kind::ZoneSettings);
    CHECK(all[2].kind == JournalEntry::Kind::ZoneSettings);
    CHECK(f.serial() == s0 + 5);
    CHECK(f.st->journal_head() == all[2].seq);
    CHECK(f.st->journal_since(0, 2).size() == 2); // the limit holds
    // Status is not part of the public view: no serial, no journal.
    f.st->set_zone_status(f.zone, "active");
    CHECK(f.serial() == s0 + 5);
    CHECK(f.st->find_zone(f.zone)->activated_on.has_value());
    f.st->delete_zone(f.zone);
    auto last = f.st->journal_since(all[2].seq, 10);
    REQUIRE(last.size() == 1);
    CHECK(last[0].kind == JournalEntry::Kind::ZoneDeleted);
}

TEST_CASE("the serial wraps past 2^32 - 1 to 1, never 0")
{
    test::StoreFixture f;
    store::ZoneCreate req{"wrap.test", {dns::Name::parse("ns1.example.net.")}, {}};
    compile::SoaFields soa;
    soa.mname = dns::Name::parse("ns1.example.net.");
    soa.rname = dns::Name::parse("hostmaster.wrap.test.");
    soa.serial = 0xffffffffu;
    req.soa = soa;
    auto z = f.st->create_zone(req);
    store::RecordInput in{"www", "A", "192.0.2.1", {}, 1, false, false, {}, {}};
    f.st->create_record(z.id, in);
    CHECK(f.st->find_zone(z.id)->soa.serial == 1);
}

TEST_CASE("public view: automatic TTL is 300, one TTL per RRset, wire RDATA as stored")
{
    test::StoreFixture f;
    f.add("www", "A", "192.0.2.1", 1);
    f.add("ttl", "A", "192.0.2.1", 600);
    f.add("ttl", "A", "192.0.2.2", 120);
    f.add("ttl", "TXT", "t", 3600);
    auto src = f.st->load_zone_source(f.zone);
    CHECK(src.meta.origin == dns::Name::parse("example.com."));
    CHECK(src.meta.soa.serial == f.serial());
    CHECK(src.meta.name_servers.size() == 2);
    auto www = at(src.records, "www.example.com.", dns::rrtype::A);
    REQUIRE(www.size() == 1);
    CHECK(www[0]->ttl == 300);
    CHECK(www[0]->rdata == std::string("\xc0\x00\x02\x01", 4));
    auto ttl = at(src.records, "ttl.example.com.", dns::rrtype::A);
    REQUIRE(ttl.size() == 2);
    CHECK(ttl[0]->ttl == 120);
    CHECK(ttl[1]->ttl == 120);
    CHECK(at(src.records, "ttl.example.com.", dns::rrtype::TXT)[0]->ttl == 3600);
}

TEST_CASE("public view: a proxied name never shows its origin")
{
    test::StoreFixture f;
    f.add("www", "A", "198.51.100.7", 1, true);
    f.add("www", "AAAA", "2001:db8:1::7", 1, true);
    f.add("www", "TXT", "beside");
    f.add("git", "CNAME", "www.example.com", 1, true);
    f.add("plain", "A", "192.0.2.1");
    SUBCASE("no edge pool (issue 2): proxied records are simply left out")
    {
        auto src = f.st->load_zone_source(f.zone);
        CHECK(at(src.records, "www.example.com.", dns::rrtype::A).empty());
        CHECK(at(src.records, "www.example.com.", dns::rrtype::AAAA).empty());
        CHECK(at(src.records, "git.example.com.", dns::rrtype::CNAME).empty());
        CHECK(at(src.records, "www.example.com.", dns::rrtype::TXT).size() == 1);
        CHECK(at(src.records, "plain.example.com.", dns::rrtype::A).size() == 1);
        for (const auto& r : src.records) {
            CHECK(r.rdata.find("\xc6\x33\x64\x07") == std::string::npos); // 198.51.100.7
        }
    }
    SUBCASE("with a pool: the pool's addresses, both families, TTL 300")
    {
        f.st->set_edge_pools({{"default", {"203.0.113.10", "203.0.113.11"}, {"2001:db8:e::10"}},
                              {"eu", {"203.0.113.20"}, {}}});
        auto src = f.st->load_zone_source(f.zone);
        auto a = at(src.records, "git.example.com.", dns::rrtype::A);
        REQUIRE(a.size() == 2);
        CHECK(a[0]->ttl == 300);
        CHECK(at(src.records, "git.example.com.", dns::rrtype::AAAA).size() == 1);
        CHECK(at(src.records, "git.example.com.", dns::rrtype::CNAME).empty());
        CHECK(at(src.records, "www.example.com.", dns::rrtype::A).size() == 2);
        f.st->set_edge_pool(f.zone, "eu");
        src = f.st->load_zone_source(f.zone);
        auto eu = at(src.records, "www.example.com.", dns::rrtype::A);
        REQUIRE(eu.size() == 1);
        CHECK(eu[0]->rdata == std::string("\xcb\x00\x71\x14", 4));
        CHECK(at(src.records, "www.example.com.", dns::rrtype::AAAA).empty());
        // load_names gives the same view of one name.
        auto names = f.st->load_names(
            f.zone, {dns::Name::parse("www.example.com."), dns::Name::parse("gone.example.com.")});
        REQUIRE(names.size() == 2);
        CHECK(names[0].records.size() == 2); // the edge A and the TXT
        CHECK(names[1].records.empty());
    }
    CHECK_THROWS_AS(f.st->set_edge_pools({{"bad", {"not-an-address"}, {}}}), store::StoreError);
}

TEST_CASE("public view: flattened CNAMEs are never served as CNAMEs (DESIGN §2)")
{
    test::StoreFixture f;
    f.add("@", "CNAME", "target.example.net");
    f.add("@", "TXT", "apex");
    f.add("alone", "CNAME", "target.example.net");
    store::RecordInput in{"flat", "CNAME", "target.example.net", {}, 1, false, true, {}, {}};
    f.st->create_record(f.zone, in);
    auto src = f.st->load_zone_source(f.zone);
    CHECK(at(src.records, "example.com.", dns::rrtype::CNAME).empty());
    CHECK(at(src.records, "example.com.", dns::rrtype::TXT).size() == 1);
    CHECK(at(src.records, "alone.example.com.", dns::rrtype::CNAME).size() == 1);
    CHECK(at(src.records, "flat.example.com.", dns::rrtype::CNAME).empty());
    // They leave the view as flattened names, answered by the daemon's flattener.
    REQUIRE(src.flattened.size() == 2);
    for (const auto& fl : src.flattened) {
        CHECK(fl.target == dns::Name::parse("target.example.net."));
        CHECK((fl.owner == dns::Name::parse("example.com.") ||
               fl.owner == dns::Name::parse("flat.example.com.")));
    }
}

TEST_CASE("another connection sees each commit through the journal, never a stale snapshot")
{
    test::StoreFixture f; // the "dnsctl" side
    auto daemon = store::Store::open(f.db_path);
    auto head = daemon->journal_head();
    auto before = daemon->load_zone_source(f.zone);
    CHECK(daemon->load_names(f.zone, {dns::Name::parse("www.example.com.")})[0].records.empty());
    f.add("www", "A", "192.0.2.1");
    auto entries = daemon->journal_since(head, 100);
    REQUIRE(entries.size() == 1);
    CHECK(has_name(entries[0], "www.example.com."));
    auto now = daemon->load_names(f.zone, {dns::Name::parse("www.example.com.")});
    CHECK(now[0].records.size() == 1);
    CHECK(daemon->load_zone_meta(f.zone).soa.serial == before.meta.soa.serial + 1);
    // Writers on two connections take turns (BEGIN IMMEDIATE and the busy timeout).
    store::RecordInput in{"other", "A", "192.0.2.2", {}, 1, false, false, {}, {}};
    daemon->create_record(f.zone, in);
    CHECK(f.count() == 2);
    CHECK(f.serial() == before.meta.soa.serial + 2);
}

TEST_CASE("the public view compiles: full load and one name's update")
{
    test::StoreFixture f;
    f.add("@", "A", "192.0.2.10");
    f.add("www", "A", "192.0.2.1", 300);
    f.add("www", "A", "198.51.100.9", 1, false);
    f.add("git", "CNAME", "www.example.com", 1, true);
    f.add("sub", "NS", "ns.sub.example.com", 3600);
    f.add("ns.sub", "A", "192.0.2.53", 3600);
    f.add("a.b.c", "TXT", "deep");
    f.st->set_edge_pools({{"default", {"203.0.113.10"}, {"2001:db8:e::10"}}});
    auto zone = compile::compile_zone(f.st->load_zone_source(f.zone));
    REQUIRE(zone);
    CHECK(zone->serial == f.serial());
    CHECK(zone->delegation_count == 1);
    const auto* git = zone->nodes.find(dns::Name::parse("git.example.com."));
    REQUIRE(git);
    CHECK(git->find(dns::rrtype::A) != nullptr);
    CHECK(git->find(dns::rrtype::AAAA) != nullptr);
    CHECK(git->find(dns::rrtype::CNAME) == nullptr);
    CHECK(zone->nodes.find(dns::Name::parse("c.example.com.")) != nullptr); // an ENT
    auto head = f.st->journal_head();
    f.add("new", "A", "192.0.2.77");
    auto e = f.st->journal_since(head, 10);
    REQUIRE(e.size() == 1);
    auto updates = f.st->load_names(f.zone, e[0].names);
    auto next = compile::update_zone(*zone, f.st->load_zone_meta(f.zone), updates);
    CHECK(next->nodes.find(dns::Name::parse("new.example.com.")) != nullptr);
    CHECK(next->serial == zone->serial + 1);
}

// Edge pools against the zones (issue 3 item 1) and the proxied-record rules (item 2): what
// dnsd refuses at start, what the store refuses once it knows the pools, each refusal naming
// its field and leaving the records and the serial as they were.
#include "tests/unit/edge/edge_fixture.hpp"

using namespace nuage;

namespace {

std::string joined(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v) {
        s += x + "\n";
    }
    return s;
}

} // namespace

TEST_CASE("pool problems: an unknown pool, an empty pool, proxied records without pools")
{
    test::StoreFixture f;
    f.add("www", "A", "198.18.0.1", 1, true);
    // No pool configured (dnsd --db without a config) and a proxied record: refused.
    f.st->set_edge_pools({});
    auto p = f.st->edge_pool_problems();
    REQUIRE(p.size() == 1);
    CHECK(p[0] == "zone example.com: www.example.com is proxied but no edge pool is configured "
                  "([[edge_pools]])");
    // A zone without proxied records needs no pool.
    auto other = f.make_zone("plain.org");
    (void)other;
    CHECK(f.st->edge_pool_problems().size() == 1);

    f.st->set_edge_pools(test::test_pools());
    CHECK(f.st->edge_pool_problems().empty());
    f.st->set_edge_pool(f.zone, "v4only");
    // The configuration changed under the zone.
    f.st->set_edge_pools({{"default", {"203.0.113.10"}, {}}});
    p = f.st->edge_pool_problems();
    REQUIRE(p.size() == 1);
    CHECK(p[0] == "zone example.com: edge_pool 'v4only' is not configured ([[edge_pools]])");
    // An empty default pool is used by every zone that names none.
    f.st->set_edge_pools({{"default", {}, {}}, {"v4only", {"203.0.113.20"}, {}}});
    p = f.st->edge_pool_problems();
    REQUIRE(p.size() == 1);
    CHECK(joined(p).find("zone plain.org: edge_pools 'default' has no ipv4 and no ipv6") !=
          std::string::npos);
}

TEST_CASE("with the pools known, writes that dnsd would refuse are refused")
{
    test::StoreFixture f;
    f.st->set_edge_pools({{"default", {"203.0.113.10"}, {}}, {"empty", {}, {}}});
    auto serial = f.serial();
    auto e = test::refusal([&] { f.st->set_edge_pool(f.zone, "nowhere"); });
    CHECK(e.field == "edge_pool");
    CHECK(e.message.find("nowhere") != std::string::npos);
    CHECK(test::refusal([&] { f.st->set_edge_pool(f.zone, "empty"); }).field == "edge_pool");
    CHECK(f.serial() == serial);
    CHECK(!f.st->find_zone(f.zone)->edge_pool);

    // No pool at all: a proxied record would have no address.
    f.st->set_edge_pools({});
    e = test::refusal([&] { f.add("www", "A", "198.18.0.1", 1, true); });
    CHECK(e.field == "proxied");
    CHECK(f.count() == 0);
    CHECK(f.serial() == serial);
    CHECK(f.add("www", "A", "198.18.0.1").proxied == false);
}

TEST_CASE("proxied: only A, AAAA and CNAME; one state for a name's A/AAAA; always automatic")
{
    test::EdgeFixture f;
    auto www = f.add("www", "A", "198.18.0.1", 3600, true);
    CHECK(www.ttl == 1);
    auto count = f.count();
    auto serial = f.serial();
    auto e = test::refusal([&] { f.add("www", "TXT", "hello", 1, true); });
    CHECK(e.field == "proxied");
    CHECK(e.code == 9004);
    e = test::refusal([&] { f.add("mx", "MX", "10 mail.example.com", 1, true); });
    CHECK(e.field == "proxied");
    e = test::refusal([&] { f.add("www", "AAAA", "2001:db8:dead::1", 1, false); });
    CHECK(e.field == "proxied");
    CHECK(e.message.find("www.example.com share one proxied state") != std::string::npos);
    // Making one of two DNS-only addresses proxied is refused the same way.
    f.add("two", "A", "192.0.2.1");
    auto second = f.add("two", "A", "192.0.2.2");
    count = f.count();
    serial = f.serial();
    store::RecordInput in;
    in.name = "two";
    in.type = "A";
    in.content = "192.0.2.2";
    in.proxied = true;
    e = test::refusal([&] { f.st->update_record(f.zone, second.id, in); });
    CHECK(e.field == "proxied");
    CHECK(f.count() == count);
    CHECK(f.serial() == serial);
    CHECK(!f.st->get_record(f.zone, second.id).proxied);
    // Both at once, in one batch, is fine.
    store::RecordBatch b;
    for (const auto& r : f.st->list_records(f.zone, {})) {
        if (r.name == "two.example.com") {
            store::RecordInput u;
            u.name = r.name;
            u.type = "A";
            u.content = r.content;
            u.proxied = true;
            b.updates.emplace_back(r.id, u);
        }
    }
    CHECK(f.st->apply_batch(f.zone, b).updated.size() == 2);
}

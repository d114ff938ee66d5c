// The public view at proxied names (DESIGN §2 "Edge addresses and proxied records"): edge
// addresses whatever the origin family, proxied CNAMEs never shown, SVCB/HTTPS hints replaced,
// pools without a family give NODATA, unknown pools never borrow another pool's addresses.
#include "tests/unit/edge/edge_fixture.hpp"
#include "zonestore/view/edge_hints.hpp"

using namespace nuage;
using dns::rrtype::A;
using dns::rrtype::AAAA;
using dns::rrtype::CNAME;
using dns::rrtype::HTTPS;
using dns::rrtype::SVCB;

namespace {

std::string svcb(const char* text)
{
    return dns::rdata_from_text(HTTPS, text, dns::Name::parse("example.com."));
}

std::string svcb_text(const std::string& wire)
{
    return dns::rdata_to_text(HTTPS, wire);
}

bool contains(const std::string& hay, const std::string& needle)
{
    return hay.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("hints: replaced by the pool's, dropped (with their mandatory key) when it lacks one")
{
    auto edges = view::parse_edge_set({"203.0.113.10", "203.0.113.11"}, {"2001:db8:e::10"});
    auto in = svcb("1 . alpn=h2,h3 ipv4hint=198.18.7.7 ech=AEX+DQBB ipv6hint=2001:db8:dead::7");
    auto out = view::replace_address_hints(in, edges);
    REQUIRE(out);
    CHECK(svcb_text(*out) ==
          "1 . alpn=h2,h3 ipv4hint=203.0.113.10,203.0.113.11 ech=AEX+DQBB ipv6hint=2001:db8:e::10");

    auto v4only = view::parse_edge_set({"203.0.113.20"}, {});
    auto m = svcb("1 svc.example.com. mandatory=alpn,ipv6hint alpn=h2 ipv6hint=2001:db8:dead::7");
    out = view::replace_address_hints(m, v4only);
    REQUIRE(out);
    CHECK(svcb_text(*out) == "1 svc.example.com. mandatory=alpn alpn=h2");
    m = svcb("1 . mandatory=ipv6hint ipv6hint=2001:db8:dead::7");
    out = view::replace_address_hints(m, v4only);
    REQUIRE(out);
    CHECK(svcb_text(*out) == "1 .");

    // No hints: nothing added. AliasMode: as it is.
    auto plain = svcb("0 pool.example.net.");
    CHECK(view::replace_address_hints(plain, edges) == plain);
    // Malformed RDATA: nullopt (the view drops the record).
    CHECK(!view::replace_address_hints(std::string("\x00\x01\x00\x00\x04\x00\x08", 7), edges));
    CHECK(!view::replace_address_hints(std::string("\x00", 1), edges));
}

TEST_CASE("proxied names answer the pool's addresses, both families, TTL 300")
{
    test::EdgeFixture f;
    f.add("www", "AAAA", "2001:db8:dead::1", 1, true); // an IPv6-only origin
    f.add("www", "TXT", "v=beside");
    f.add("www", "HTTPS", "1 . alpn=h2 ipv4hint=198.18.1.1 ipv6hint=2001:db8:dead::1");
    f.add("git", "CNAME", "www.example.com", 1, true);
    f.add("plain", "A", "192.0.2.1", 3600);
    auto a = f.view("www.example.com.", A);
    REQUIRE(a.size() == 2);
    CHECK(a[0].ttl == 300);
    CHECK(f.view("www.example.com.", AAAA).size() == 1);
    CHECK(f.view("www.example.com.", dns::rrtype::TXT).size() == 1);
    auto h = f.view("www.example.com.", HTTPS);
    REQUIRE(h.size() == 1);
    CHECK(svcb_text(h[0].rdata) ==
          "1 . alpn=h2 ipv4hint=203.0.113.10,203.0.113.11 ipv6hint=2001:db8:e::10");
    CHECK(f.view("git.example.com.", CNAME).empty());
    CHECK(f.view("git.example.com.", A).size() == 2);
    CHECK(f.view("plain.example.com.", A)[0].ttl == 3600);
    for (const auto& r : f.st->load_zone_source(f.zone).records) {
        CHECK(!contains(r.rdata, test::wire6("2001:db8:dead::1")));
        CHECK(!contains(r.rdata, test::wire4("198.18.1.1")));
    }
}

TEST_CASE("a pool without IPv6 leaves proxied names without AAAA (NODATA); an unknown pool is not "
          "compiled")
{
    test::EdgeFixture f;
    f.add("www", "AAAA", "2001:db8:dead::1", 1, true);
    f.add("svc", "A", "198.18.0.9", 1, true);
    f.add("svc", "SVCB", "1 . ipv6hint=2001:db8:dead::9 port=8443");
    f.st->set_edge_pool(f.zone, "v4only");
    CHECK(f.view("www.example.com.", A).size() == 1);
    CHECK(f.view("www.example.com.", AAAA).empty());
    auto s = f.view("svc.example.com.", SVCB);
    REQUIRE(s.size() == 1);
    CHECK(svcb_text(s[0].rdata) == "1 . port=8443");
    // The configuration lost the zone's pool (dnsd refuses to start; a running one keeps the
    // zone it serves): the zone is not compiled at all, never with another pool's addresses.
    f.st->set_edge_pools({{"default", {"203.0.113.10"}, {}}});
    CHECK_THROWS_WITH(f.view("www.example.com.", A),
                      doctest::Contains("edge_pool 'v4only' is not configured"));
}

TEST_CASE("a proxied wildcard is answered from the pool too")
{
    test::EdgeFixture f;
    f.add("*.wild", "A", "198.18.3.3", 1, true);
    auto a = f.view("*.wild.example.com.", A);
    REQUIRE(a.size() == 2);
    CHECK(a[0].rdata == test::wire4("203.0.113.10"));
}

TEST_CASE("settings.ipv4_only / ipv6_only: a proxied name answers one edge family")
{
    test::EdgeFixture f;
    auto proxied = [](const char* name, const char* type, const char* content) {
        store::RecordInput in;
        in.name = name;
        in.type = type;
        in.content = content;
        in.proxied = true;
        return in;
    };
    auto in = proxied("v4", "AAAA", "2001:db8:dead::4");
    in.ipv4_only = true;
    f.add_in(in);
    f.add("v4", "HTTPS", "1 . alpn=h2 ipv4hint=198.18.1.1 ipv6hint=2001:db8:dead::1");
    in = proxied("v6", "CNAME", "www.example.org");
    in.ipv6_only = true;
    f.add_in(in);
    CHECK(f.view("v4.example.com.", A).size() == 2);
    CHECK(f.view("v4.example.com.", AAAA).empty()); // NODATA: never the origin either
    auto h = f.view("v4.example.com.", HTTPS);
    REQUIRE(h.size() == 1);
    CHECK(svcb_text(h[0].rdata) == "1 . alpn=h2 ipv4hint=203.0.113.10,203.0.113.11");
    CHECK(f.view("v6.example.com.", A).empty());
    CHECK(f.view("v6.example.com.", AAAA).size() == 1);
    // A name's update (what dnsd loads after a write) agrees with the full load.
    auto names = f.st->load_names(f.zone, {dns::Name::parse("v6.example.com.")});
    REQUIRE(names.size() == 1);
    REQUIRE(names[0].records.size() == 1);
    CHECK(names[0].records[0].type == AAAA);
    // A proxied record there without the setting brings the family back.
    f.add("v4", "A", "198.18.4.4", 1, true);
    CHECK(f.view("v4.example.com.", AAAA).size() == 1);
}

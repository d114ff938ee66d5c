// The warning's finder (issue 3 item 2): DNS-only records that would show a proxied name's
// origin address, by the same address, an SPF ip4:/ip6: that covers it, or an address hint.
#include "tests/unit/edge/edge_fixture.hpp"
#include "zonestore/store/origin_exposure.hpp"

using namespace nuage;

namespace {

std::vector<std::string> hows(store::Store& st, const store::Record& r)
{
    std::vector<std::string> out;
    for (const auto& e : store::exposures_of(st, r)) {
        out.push_back(e.exposing.name + " " + e.how + " -> " + e.proxied.name);
    }
    return out;
}

} // namespace

TEST_CASE("a DNS-only A with a proxied name's origin address, in any zone")
{
    test::EdgeFixture f;
    auto www = f.add("www", "A", "192.0.2.10", 1, true);
    auto mail = f.add("mail", "A", "192.0.2.10");
    auto h = hows(*f.st, mail);
    REQUIRE(h.size() == 1);
    CHECK(h[0] == "mail.example.com the same address -> www.example.com");
    // From the proxied side too (the name was proxied after the address was public).
    CHECK(hows(*f.st, www).size() == 1);
    auto e = store::exposures_of(*f.st, mail);
    auto line = store::describe(e.front());
    CHECK(line.find("mail.example.com A 192.0.2.10 (" + mail.id + ")") != std::string::npos);
    CHECK(line.find("www.example.com A 192.0.2.10 (" + www.id + ")") != std::string::npos);
    // Another zone's record shows it as well.
    auto other = f.make_zone("other.org");
    store::RecordInput in;
    in.name = "host";
    in.type = "A";
    in.content = "192.0.2.10";
    auto host = f.st->create_record(other, in);
    CHECK(hows(*f.st, host).size() == 1);
    // Unrelated addresses: nothing.
    CHECK(hows(*f.st, f.add("x", "A", "192.0.2.11")).empty());
}

TEST_CASE("SPF ip4:/ip6: covering the origin, split TXT strings included")
{
    test::EdgeFixture f;
    auto www = f.add("www", "A", "198.51.100.7", 1, true);
    auto v6 = f.add("www", "AAAA", "2001:db8:dead::7", 1, true);
    auto spf =
        f.add("@", "TXT", "\"v=spf1 mx ip4:198.51.100.0/24\" \" -ip6:2001:db8:dead::/48 ~all\"");
    auto h = hows(*f.st, spf);
    REQUIRE(h.size() == 2);
    CHECK(h[0] == "example.com SPF ip4:198.51.100.0/24 -> www.example.com");
    CHECK(h[1] == "example.com SPF -ip6:2001:db8:dead::/48 -> www.example.com");
    CHECK(hows(*f.st, v6).size() == 1);
    CHECK(hows(*f.st, www).size() == 1);
    auto narrow = f.add("n", "TXT", "v=spf1 ip4:198.51.100.8/30 ip4:bogus ip6:zz -all");
    CHECK(hows(*f.st, narrow).empty());
}

TEST_CASE("address hints at a DNS-only name show the origin; at the proxied name they do not")
{
    test::EdgeFixture f;
    f.add("www", "A", "198.51.100.7", 1, true);
    auto at_www = f.add("www", "HTTPS", "1 . ipv4hint=198.51.100.7");
    CHECK(hows(*f.st, at_www).empty()); // replaced by the edge's when served
    auto elsewhere = f.add("alt", "SVCB", "1 www.example.com. ipv4hint=192.0.2.1,198.51.100.7");
    auto h = hows(*f.st, elsewhere);
    REQUIRE(h.size() == 1);
    CHECK(h[0] == "alt.example.com ipv4hint -> www.example.com");
}

TEST_CASE("IPv4-mapped forms, the address in a TXT's text, and a PTR at its reverse name")
{
    test::EdgeFixture f;
    f.add("www", "A", "198.18.0.2", 1, true);
    auto mapped = f.add("m", "AAAA", "::ffff:198.18.0.2");
    CHECK(hows(*f.st, mapped) ==
          std::vector<std::string>{"m.example.com the same address, mapped -> www.example.com"});
    auto hint = f.add("alt", "HTTPS", "1 . ipv6hint=::ffff:198.18.0.2");
    CHECK(hows(*f.st, hint).size() == 1);
    auto spf = f.add("s", "TXT", "v=spf1 ip6:::ffff:198.18.0.0/120 -all");
    CHECK(
        hows(*f.st, spf) ==
        std::vector<std::string>{"s.example.com SPF ip6:::ffff:198.18.0.0/120 -> www.example.com"});
    auto text = f.add("www", "TXT", "\"origin at 198.18.0.2, port 8080\"");
    CHECK(hows(*f.st, text) ==
          std::vector<std::string>{"www.example.com its text -> www.example.com"});
    CHECK(hows(*f.st, f.add("t", "TXT", "build 198.18.0.21 and 1198.18.0.2")).empty());
    auto rev = f.make_zone("0.18.198.in-addr.arpa");
    store::RecordInput in;
    in.name = "2";
    in.type = "PTR";
    in.content = "www.example.com";
    auto ptr = f.st->create_record(rev, in);
    CHECK(hows(*f.st, ptr) ==
          std::vector<std::string>{
              "2.0.18.198.in-addr.arpa the reverse name of the address -> www.example.com"});
    CHECK(store::exposures_in_zone(*f.st, rev).size() == 1);
}

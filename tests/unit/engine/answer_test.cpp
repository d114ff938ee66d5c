// Properties of engine::answer() that tables do not show well: the size bound for every EDNS
// payload, responses past 16 KiB over TCP (where compression pointers can no longer reach new
// names), and the output buffer contract.
#include "dnsd/engine/answer.hpp"
#include "tests/support/catalog_builder.hpp"
#include "zonestore/dns/wire.hpp"

#include <cstring>
#include <doctest/doctest.h>
#include <ldns/ldns.h>
#include <string>
#include <vector>

using namespace nuage;

namespace {

// A zone with one TXT RRset of 600 RRs (about 66 KB: more than TCP can carry), one of 300
// (about 33 KB), and a delegation to 400 name servers with long names (about 25 KB), each
// with glue.
std::string big_zone()
{
    std::string z = "$TTL 300\n@ IN SOA ns1 admin 1 7200 3600 1209600 600\n@ NS ns1\n"
                    "ns1 A 192.0.2.1\n";
    std::string text(100, 'x');
    for (int i = 0; i < 600; ++i) {
        z += "huge TXT \"" + text + std::to_string(i) + "\"\n";
    }
    for (int i = 0; i < 300; ++i) {
        z += "large TXT \"" + text + std::to_string(i) + "\"\n";
    }
    for (int i = 0; i < 400; ++i) {
        std::string ns = "ns" + std::to_string(i) + std::string(50, 'n') + ".deleg";
        z += "deleg NS " + ns + "\n" + ns + " A 192.0.2." + std::to_string(i % 250) + "\n";
    }
    return z;
}

std::vector<std::uint8_t> query(const char* name, std::uint16_t type, int payload)
{
    std::vector<std::uint8_t> q = {0xab, 0xcd, 0, 0, 0, 1,
                                   0,    0,    0, 0, 0, std::uint8_t(payload >= 0)};
    for (const char* p = name; *p;) {
        const char* dot = std::strchr(p, '.');
        q.push_back(static_cast<std::uint8_t>(dot - p));
        q.insert(q.end(), p, dot);
        p = dot + 1;
    }
    q.push_back(0);
    q.insert(q.end(), {std::uint8_t(type >> 8), std::uint8_t(type), 0, 1});
    if (payload >= 0) {
        q.insert(q.end(),
                 {0, 0, 41, std::uint8_t(payload >> 8), std::uint8_t(payload), 0, 0, 0, 0, 0, 0});
    }
    return q;
}

struct Parsed {
    bool ok = false;
    std::size_t answer = 0, authority = 0, additional = 0;
};

Parsed parse(const std::vector<std::uint8_t>& out, std::size_t n)
{
    Parsed p;
    ldns_pkt* pkt = nullptr;
    if (ldns_wire2pkt(&pkt, out.data(), n) != LDNS_STATUS_OK) {
        return p;
    }
    p.ok = true;
    p.answer = ldns_pkt_ancount(pkt);
    p.authority = ldns_pkt_nscount(pkt);
    p.additional = ldns_pkt_arcount(pkt);
    ldns_pkt_free(pkt);
    return p;
}

const snapshot::Catalog& catalog()
{
    static const auto cat = test::catalog_from_zones({{"big.", big_zone()}});
    return *cat;
}

} // namespace

TEST_CASE("UDP responses never exceed the client's payload, floored at 512, capped at 1232")
{
    std::vector<std::uint8_t> out(engine::kMaxMessage);
    for (int payload : {-1, 0, 100, 511, 512, 513, 700, 1000, 1231, 1232, 1233, 4096, 65535}) {
        CAPTURE(payload);
        auto q = query("large.big.", 16, payload);
        std::size_t n = engine::answer(catalog(), q, out, engine::Transport::Udp);
        std::size_t bound = payload < 0 ? 512 : std::min(std::max(payload, 512), 1232);
        REQUIRE(n > 12);
        CHECK(n <= bound);
        CHECK((out[2] & 0x02) != 0); // 33 KB never fits: TC
        CHECK(parse(out, n).ok);
    }
}

TEST_CASE("over TCP a response past 16 KiB stays well-formed")
{
    std::vector<std::uint8_t> out(engine::kMaxMessage);
    SUBCASE("one RRset of 33 KB: every owner points back to the first")
    {
        auto q = query("large.big.", 16, 1232);
        std::size_t n = engine::answer(catalog(), q, out, engine::Transport::Tcp);
        CHECK(n > 0x4000);
        CHECK((out[2] & 0x02) == 0);
        Parsed p = parse(out, n);
        CHECK(p.ok);
        CHECK(p.answer == 300);
    }
    SUBCASE("a referral of 400 name servers and their glue, names past the pointer range")
    {
        auto q = query("x.deleg.big.", 1, 1232);
        std::size_t n = engine::answer(catalog(), q, out, engine::Transport::Tcp);
        CHECK(n > 0x4000);
        Parsed p = parse(out, n);
        CHECK(p.ok);
        CHECK(p.authority == 400);
        CHECK(p.additional >= 2); // glue up to the additional bound, plus the OPT
    }
    SUBCASE("an RRset larger than a TCP message: TC, the question kept")
    {
        auto q = query("huge.big.", 16, 1232);
        std::size_t n = engine::answer(catalog(), q, out, engine::Transport::Tcp);
        CHECK((out[2] & 0x02) != 0);
        Parsed p = parse(out, n);
        CHECK(p.ok);
        CHECK(p.answer == 0);
    }
}

TEST_CASE("an output buffer smaller than 512 octets gets no answer")
{
    std::vector<std::uint8_t> out(511);
    auto q = query("ns1.big.", 1, -1);
    CHECK(engine::answer(catalog(), q, out, engine::Transport::Udp) == 0);
    out.resize(512);
    CHECK(engine::answer(catalog(), q, out, engine::Transport::Udp) > 12);
}

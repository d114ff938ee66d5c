// The stub resolver's messages: random IDs and 0x20 case on the way out, and every check on
// the way back (DESIGN §2: "the answer checked against the question").
#include "dnsd/flatten/wire.hpp"
#include "zonestore/dns/wire.hpp"

#include <doctest/doctest.h>
#include <set>

using namespace nuage;
using flatten::UpstreamAnswer;
using Kind = flatten::UpstreamAnswer::Kind;

namespace {

dns::Name name(const char* n)
{
    return dns::Name::parse(n);
}

struct Rr {
    std::string owner; // wire
    std::uint16_t type;
    std::uint32_t ttl;
    std::string rdata;
};

Rr a(const char* owner, std::uint32_t ttl, std::uint8_t last)
{
    return {name(owner).wire(), 1, ttl, std::string{char(192), char(0), char(2), char(last)}};
}
Rr cname(const char* owner, std::uint32_t ttl, const char* target)
{
    return {name(owner).wire(), 5, ttl, name(target).wire()};
}
Rr soa(const char* owner, std::uint32_t ttl, std::uint32_t minimum)
{
    std::string rd = name("ns.x.").wire() + name("h.x.").wire();
    std::uint8_t n[20] = {};
    dns::write_u32(n + 16, minimum);
    rd.append(reinterpret_cast<const char*>(n), 20);
    return {name(owner).wire(), 6, ttl, rd};
}

// A response to `q`: byte 2 and 3 of the header as given (QR|AA by default, NOERROR).
std::vector<std::uint8_t> response(const flatten::Question& q, std::vector<Rr> answer,
                                   std::vector<Rr> authority = {}, std::uint8_t b2 = 0x84,
                                   std::uint8_t b3 = 0x00)
{
    std::vector<std::uint8_t> m(12, 0);
    dns::write_u16(m.data(), q.id);
    m[2] = b2;
    m[3] = b3;
    dns::write_u16(m.data() + 4, 1);
    dns::write_u16(m.data() + 6, static_cast<std::uint16_t>(answer.size()));
    dns::write_u16(m.data() + 8, static_cast<std::uint16_t>(authority.size()));
    m.insert(m.end(), q.qname.begin(), q.qname.end());
    std::uint8_t t[10];
    dns::write_u16(t, q.qtype);
    dns::write_u16(t + 2, 1);
    m.insert(m.end(), t, t + 4);
    for (auto* sec : {&answer, &authority}) {
        for (const auto& r : *sec) {
            m.insert(m.end(), r.owner.begin(), r.owner.end());
            dns::write_u16(t, r.type);
            dns::write_u16(t + 2, 1);
            dns::write_u32(t + 4, r.ttl);
            dns::write_u16(t + 8, static_cast<std::uint16_t>(r.rdata.size()));
            m.insert(m.end(), t, t + 10);
            m.insert(m.end(), r.rdata.begin(), r.rdata.end());
        }
    }
    return m;
}

UpstreamAnswer read(const std::vector<std::uint8_t>& m, const flatten::Question& q,
                    std::size_t max_cnames = 8)
{
    return flatten::read_answer(m, q, max_cnames);
}

} // namespace

TEST_CASE("queries: random IDs, random 0x20 case of the same name, EDNS(0)")
{
    std::set<std::uint16_t> ids;
    std::set<std::string> spellings;
    auto n = name("www.some-long-label.example.net.");
    for (int i = 0; i < 64; ++i) {
        auto q = flatten::random_question(n, flatten::kTypeAAAA);
        ids.insert(q.id);
        spellings.insert(q.qname);
        CHECK(dns::Name::from_wire(q.qname) == n); // the same name, whatever its case
    }
    CHECK(ids.size() > 50);       // 16 random bits each
    CHECK(spellings.size() > 50); // 29 letters, each case random
    auto q = flatten::random_question(n, flatten::kTypeA);
    auto m = flatten::make_query(q);
    CHECK(dns::read_u16(m.data()) == q.id);
    CHECK(m[2] == 0x01); // RD only
    CHECK(dns::read_u16(m.data() + 4) == 1);
    CHECK(dns::read_u16(m.data() + 10) == 1); // the OPT
    CHECK(std::string(m.begin() + 12, m.begin() + 12 + q.qname.size()) == q.qname);
    CHECK(m.size() == 12 + q.qname.size() + 4 + 11);
    CHECK(dns::read_u16(m.data() + m.size() - 8) == 1232); // the OPT's payload size
}

TEST_CASE("an answer is taken only when it answers this very question")
{
    auto q = flatten::random_question(name("target.example.net."), flatten::kTypeA);
    auto good = response(q, {a("target.example.net.", 300, 7)});
    auto r = read(good, q);
    REQUIRE(r.kind == Kind::Data);
    CHECK(r.rdatas.size() == 1);
    CHECK(r.ttl == 300);

    auto wrong_id = good;
    wrong_id[1] ^= 1;
    CHECK(read(wrong_id, q).kind == Kind::Mismatch);

    // 0x20: the same name in another case is not our question.
    auto other_case = flatten::random_question(name("target.example.net."), flatten::kTypeA);
    other_case.id = q.id;
    if (other_case.qname == q.qname) {
        other_case.qname[1] = static_cast<char>(other_case.qname[1] ^ 0x20);
    }
    r = read(response(other_case, {a("target.example.net.", 300, 7)}), q);
    CHECK(r.kind == Kind::Mismatch);
    CHECK(r.why.find("case") != std::string::npos);

    auto q_aaaa = q;
    q_aaaa.qtype = flatten::kTypeAAAA;
    CHECK(read(response(q_aaaa, {}), q).kind == Kind::Mismatch);
    auto not_response = good;
    not_response[2] &= 0x7f; // QR clear
    CHECK(read(not_response, q).kind == Kind::Mismatch);
    CHECK(read(std::vector<std::uint8_t>(good.begin(), good.begin() + 11), q).kind ==
          Kind::Mismatch);

    auto tc = response(q, {}, {}, 0x86);
    CHECK(read(tc, q).kind == Kind::Truncated);
    auto servfail = response(q, {}, {}, 0x80, 0x02);
    CHECK(read(servfail, q).kind == Kind::Failure);
    auto refused = response(q, {}, {}, 0x80, 0x05);
    CHECK(read(refused, q).kind == Kind::Failure);
    // The question matches, the rest is nonsense: a failure, not a wait.
    auto garbage = good;
    garbage.resize(garbage.size() - 3);
    CHECK(read(garbage, q).kind == Kind::Failure);
    auto bad_len = response(q, {{name("target.example.net.").wire(), 1, 300, "abc"}});
    CHECK(read(bad_len, q).kind == Kind::Failure);
}

TEST_CASE("CNAME chains in the answer: followed from the question, bounded, loops refused")
{
    auto q = flatten::random_question(name("start.example.net."), flatten::kTypeA);
    // Records off the chain (an A for another name, glue) are never taken.
    auto r = read(response(q, {cname("start.example.net.", 100, "mid.example.org."),
                               a("evil.example.com.", 900, 66),
                               cname("mid.example.org.", 50, "end.example.org."),
                               a("end.example.org.", 300, 1), a("end.example.org.", 200, 2)}),
                  q);
    REQUIRE(r.kind == Kind::Data);
    CHECK(r.final_name == name("end.example.org."));
    CHECK(r.cnames == 2);
    CHECK(r.rdatas.size() == 2);
    CHECK(r.ttl == 50); // the smallest over the chain
    // The names it went through, for the planner (which answers served ones itself).
    CHECK(r.chain == std::vector<dns::Name>{name("mid.example.org."), name("end.example.org.")});
    // An authoritative upstream stops at its zone's edge: ask for the rest.
    r = read(response(q, {cname("start.example.net.", 100, "elsewhere.example.com.")}), q);
    CHECK(r.kind == Kind::Follow);
    CHECK(r.final_name == name("elsewhere.example.com."));
    CHECK(r.ttl == 100);
    // ... unless the upstream says the last name has no data (its SOA).
    r = read(response(q, {cname("start.example.net.", 100, "gone.example.com.")},
                      {soa("example.com.", 60, 30)}),
             q);
    CHECK(r.kind == Kind::NoData);
    CHECK(r.ttl == 30);
    // Loops and long chains.
    r = read(response(q, {cname("start.example.net.", 100, "b.example.net."),
                          cname("b.example.net.", 100, "start.example.net.")}),
             q);
    CHECK(r.kind == Kind::Failure);
    CHECK(r.why.find("loop") != std::string::npos);
    std::vector<Rr> chain;
    std::vector<std::string> names{"start.example.net."};
    for (int i = 0; i < 9; ++i) {
        names.push_back("c" + std::to_string(i) + ".example.net.");
    }
    for (int i = 0; i < 9; ++i) {
        chain.push_back(cname(names[i].c_str(), 100, names[i + 1].c_str()));
    }
    chain.push_back(a(names.back().c_str(), 100, 9));
    CHECK(read(response(q, chain), q).kind == Kind::Failure); // 9 CNAMEs
    chain.erase(chain.begin() + 8, chain.end() - 1);          // 8 CNAMEs, start to c7, then c7 A
    chain.back() = a(names[8].c_str(), 100, 9);
    CHECK(read(response(q, chain), q).kind == Kind::Data);
    CHECK(read(response(q, chain), q, 7).kind == Kind::Failure); // a smaller budget left
}

TEST_CASE("negative answers: NXDOMAIN and NODATA both mean no address, for the SOA's time")
{
    auto q = flatten::random_question(name("nx.example.net."), flatten::kTypeA);
    auto r = read(response(q, {}, {soa("example.net.", 3600, 120)}, 0x84, 0x03), q);
    CHECK(r.kind == Kind::NoData);
    CHECK(r.ttl == 120);
    CHECK(r.rdatas.empty());
    r = read(response(q, {}, {soa("example.net.", 60, 120)}), q);
    CHECK(r.kind == Kind::NoData);
    CHECK(r.ttl == 60);
    // An SOA of an unrelated zone is no proof; without AA or RA it is a referral.
    r = read(response(q, {}, {soa("other.org.", 60, 120)}, 0x80), q);
    CHECK(r.kind == Kind::Failure);
    r = read(response(q, {}, {}, 0x84), q);
    CHECK(r.kind == Kind::NoData);
    CHECK(r.ttl == flatten::kNoSoaNegativeTtl);
}

// QueryView parsing: what is accepted, dropped or FORMERR, and the fields it fills.
#include "dnsd/engine/query.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace nuage::engine;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes header(std::uint16_t flags, std::uint16_t qd, std::uint16_t an, std::uint16_t ns,
             std::uint16_t ar)
{
    return {0x12,
            0x34,
            std::uint8_t(flags >> 8),
            std::uint8_t(flags),
            std::uint8_t(qd >> 8),
            std::uint8_t(qd),
            std::uint8_t(an >> 8),
            std::uint8_t(an),
            std::uint8_t(ns >> 8),
            std::uint8_t(ns),
            std::uint8_t(ar >> 8),
            std::uint8_t(ar)};
}

Bytes operator+(Bytes a, const Bytes& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

const Bytes kQuestion = {3, 'W', 'w', 'W', 4, 't', 'E', 's', 't', 0, 0, 1, 0, 1};
const Bytes kOpt = {0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0}; // 1232, DO

ParseStatus parse(const Bytes& b, QueryView& q)
{
    return parse_query(b, q);
}

} // namespace

TEST_CASE("a plain query fills the view and lowercases the name once")
{
    QueryView q;
    Bytes msg = header(0x0100, 1, 0, 0, 0) + kQuestion;
    REQUIRE(parse(msg, q) == ParseStatus::Ok);
    CHECK(q.id == 0x1234);
    CHECK(q.rd);
    CHECK(q.opcode == 0);
    CHECK(q.has_question);
    CHECK(q.qname_len == 10);
    CHECK(std::string(reinterpret_cast<const char*>(q.lower), 10) ==
          std::string("\3www\4test\0", 10));
    CHECK(q.qname[1] == 'W'); // the view keeps the query's own bytes
    CHECK(q.qtype == 1);
    CHECK(q.qclass == 1);
    CHECK_FALSE(q.edns.present);
}

TEST_CASE("the OPT record gives payload, version and DO")
{
    QueryView q;
    REQUIRE(parse(header(0, 1, 0, 0, 1) + kQuestion + kOpt, q) == ParseStatus::Ok);
    CHECK(q.edns.present);
    CHECK(q.edns.payload == 1232);
    CHECK(q.edns.version == 0);
    CHECK(q.edns.dnssec_ok);
}

TEST_CASE("short messages and responses are dropped")
{
    QueryView q;
    CHECK(parse(Bytes(11, 0), q) == ParseStatus::Drop);
    CHECK(parse(header(0x8000, 1, 0, 0, 0) + kQuestion, q) == ParseStatus::Drop);
}

TEST_CASE("malformed messages are FORMERR")
{
    QueryView q;
    SUBCASE("two questions")
    {
        CHECK(parse(header(0, 2, 0, 0, 0) + kQuestion + kQuestion, q) == ParseStatus::FormErr);
    }
    SUBCASE("cut-off question")
    {
        Bytes b = header(0, 1, 0, 0, 0) + kQuestion;
        b.resize(b.size() - 1);
        CHECK(parse(b, q) == ParseStatus::FormErr);
    }
    SUBCASE("pointer in the question")
    {
        CHECK(parse(header(0, 1, 0, 0, 0) + Bytes{0xc0, 0x0c, 0, 1, 0, 1}, q) ==
              ParseStatus::FormErr);
    }
    SUBCASE("label type 0x40")
    {
        CHECK(parse(header(0, 1, 0, 0, 0) + Bytes{0x41, 'a', 0, 0, 1, 0, 1}, q) ==
              ParseStatus::FormErr);
    }
    SUBCASE("name over 255 octets")
    {
        Bytes name;
        for (int i = 0; i < 4; ++i) {
            name.push_back(63);
            name.insert(name.end(), 63, 'a');
        }
        name.push_back(0);
        CHECK(parse(header(0, 1, 0, 0, 0) + name + Bytes{0, 1, 0, 1}, q) == ParseStatus::FormErr);
    }
    SUBCASE("trailing garbage")
    {
        CHECK(parse(header(0, 1, 0, 0, 0) + kQuestion + Bytes{0}, q) == ParseStatus::FormErr);
    }
    SUBCASE("two OPT records")
    {
        CHECK(parse(header(0, 1, 0, 0, 2) + kQuestion + kOpt + kOpt, q) == ParseStatus::FormErr);
    }
    SUBCASE("OPT in the answer section")
    {
        CHECK(parse(header(0, 1, 1, 0, 0) + kQuestion + kOpt, q) == ParseStatus::FormErr);
    }
    SUBCASE("OPT with an owner")
    {
        CHECK(parse(header(0, 1, 0, 0, 1) + kQuestion + Bytes{1, 'x'} + kOpt, q) ==
              ParseStatus::FormErr);
    }
    SUBCASE("OPT option running past its RDATA")
    {
        Bytes opt = {0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 5, 0, 3, 0, 9, 1};
        CHECK(parse(header(0, 1, 0, 0, 1) + kQuestion + opt, q) == ParseStatus::FormErr);
    }
    SUBCASE("record count larger than the records")
    {
        CHECK(parse(header(0, 1, 0, 0, 1) + kQuestion, q) == ParseStatus::FormErr);
    }
    SUBCASE("forward compression pointer in a record")
    {
        Bytes rr = {0xc0, 0x40, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
        CHECK(parse(header(0, 1, 0, 0, 1) + kQuestion + rr, q) == ParseStatus::FormErr);
    }
    CHECK_FALSE(q.edns.present); // a broken message never reports its OPT
}

TEST_CASE("records with backward pointers are accepted and skipped")
{
    QueryView q;
    Bytes rr = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1};
    CHECK(parse(header(0, 1, 0, 0, 2) + kQuestion + rr + kOpt, q) == ParseStatus::Ok);
    CHECK(q.edns.present);
}

TEST_CASE("no question still parses, for the caller to answer FORMERR with the OPT")
{
    QueryView q;
    CHECK(parse(header(0, 0, 0, 0, 1) + kOpt, q) == ParseStatus::Ok);
    CHECK_FALSE(q.has_question);
    CHECK(q.edns.present);
}

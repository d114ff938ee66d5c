// Master-file syntax the reader must refuse whole with "file:line: reason" (as knotd's
// kzonecheck does) instead of changing the data: TTLs past 32 bits or with bad units, quotes
// and parentheses that never close, raw NUL bytes, unsupported directives.
#include "zonestore/dns/zone_file.hpp"

#include <doctest/doctest.h>

using namespace nuage;

namespace {

std::vector<dns::ZoneFileRecord> read(const std::string& text)
{
    return dns::read_zone_file(text, dns::Name::parse("t.test."), "f");
}

// The error's text, or "" when the file was read.
std::string error_of(const std::string& text)
{
    try {
        read(text);
    } catch (const dns::ZoneFileError& e) {
        return e.what();
    }
    return "";
}

std::uint32_t ttl_of(const std::string& text)
{
    auto recs = read(text);
    REQUIRE(recs.size() == 1);
    return recs[0].ttl;
}

} // namespace

TEST_CASE("TTLs: 32 bits at most, BIND's units, never above 2147483647 (RFC 2181 §8)")
{
    CHECK(error_of("x 4294967296 IN A 192.0.2.9\n") ==
          "f:1: TTL '4294967296' is more than 4294967295 seconds");
    CHECK(error_of("x 5000000w IN A 192.0.2.9\n") ==
          "f:1: TTL '5000000w' is more than 4294967295 seconds");
    CHECK(error_of("$TTL 4294967297\nx IN A 192.0.2.9\n") ==
          "f:1: TTL '4294967297' is more than 4294967295 seconds");
    CHECK(error_of("x 1x IN A 192.0.2.9\n") ==
          "f:1: TTL '1x' has an unknown unit 'x' (units are s, m, h, d, w)");
    CHECK(error_of("\n$TTL 1x\n").starts_with("f:2: TTL '1x' has an unknown unit"));
    CHECK(error_of("$TTL abc\n") ==
          "f:1: TTL 'abc' is not a number of seconds (digits, with units s, m, h, d, w)");
    CHECK(error_of("x 1h30 IN A 192.0.2.9\n").starts_with("f:1: TTL '1h30' has a number"));
    CHECK(error_of("x 2147483648 IN A 192.0.2.9\n") ==
          "f:1: TTL 2147483648 is above 2147483647 (RFC 2181 §8)");
    CHECK(error_of("$TTL 3000000000\n").starts_with("f:1: TTL 3000000000 is above"));
    CHECK(ttl_of("x 1d2h IN A 192.0.2.9\n") == 93600);
    CHECK(ttl_of("x 1W1s IN A 192.0.2.9\n") == 604801);
    CHECK(ttl_of("x 2147483647 IN A 192.0.2.9\n") == 2147483647u);
    CHECK(ttl_of("$TTL 1h\nx IN A 192.0.2.9\n") == 3600);
    CHECK(ttl_of("$TTL 0\nx IN A 192.0.2.9\n") == 0);
}

TEST_CASE("TTL and class come in either order (RFC 1035 §5.1)")
{
    CHECK(ttl_of("x IN 300 A 192.0.2.4\n") == 300);
    CHECK(ttl_of("x 300 IN A 192.0.2.4\n") == 300);
    CHECK(ttl_of("$TTL 60\nx A 192.0.2.4\n") == 60);
    CHECK(ttl_of("$TTL 60\nx in a 192.0.2.4\n") == 60);
    CHECK(ttl_of("x CLASS1 300 A 192.0.2.4\n") == 300);
    CHECK(error_of("x IN 300 IN A 192.0.2.4\n") == "f:1: 'IN' is not a record type");
    CHECK(error_of("x 300 IN 300 A 192.0.2.4\n") == "f:1: a second TTL, 300");
    CHECK(error_of("x CH A 192.0.2.4\n") == "f:1: only class IN is supported");
    CHECK(error_of("x 300 IN\n") == "f:1: the record has no type");
    auto recs = read("x IN 300 A 192.0.2.4\n");
    CHECK(recs[0].rdata == std::string("\xc0\x00\x02\x04", 4));
}

TEST_CASE("a quote or a parenthesis that never closes refuses the file")
{
    CHECK(error_of("x IN TXT \"abc\ny IN A 192.0.2.1\n") ==
          "f:1: a quote is never closed on its line");
    CHECK(error_of("a IN A 192.0.2.1\nx IN TXT ( \"a\"\ny IN A 192.0.2.1\n") ==
          "f:2: '(' is never closed");
    CHECK(error_of("x IN TXT ( \"a\" \" )\ny IN A 192.0.2.1 )\n") ==
          "f:1: a quote is never closed on its line");
    CHECK(error_of("x IN TXT ( \"a\" ( \"b\" ) )\n").starts_with("f:1: '(' inside parentheses"));
    CHECK(error_of("x IN TXT \"a\" )\n") == "f:1: ')' without a '(' before it");
    CHECK(error_of("x IN TXT a\\\nb\n") == "f:1: a backslash at the end of a line escapes nothing");
    // A quote inside parentheses or a comment is text, and ';' inside quotes is no comment.
    auto recs = read("x IN TXT ( \"a (\" ; \"b\n  \"c;)\" ) ; end\n");
    REQUIRE(recs.size() == 1);
    CHECK(recs[0].rdata == std::string("\x03"
                                       "a ("
                                       "\x03"
                                       "c;)"));
    CHECK(recs[0].comment == "end");
    CHECK(recs[0].line == 2);
    // RFC 9460 §2.1: a quoted value inside a word.
    CHECK(read("x IN HTTPS 1 . alpn=\"h2,h3\"\n").size() == 1);
}

TEST_CASE("a raw NUL byte refuses the file; \\000 is a zero octet")
{
    std::string nul("x IN TXT \"a\0b\"\n", 15);
    CHECK(error_of(nul) == "f:1: a NUL byte: write a zero octet as \\000 (RFC 1035 §5.1)");
    CHECK(error_of(std::string("x IN A 192.0.2.1 ; \0\n", 21)) == "f:1: a NUL byte in a comment");
    CHECK(read("x IN TXT \"a\\000b\"\n")[0].rdata == std::string("\x03"
                                                                 "a\0b",
                                                                 4));
}

TEST_CASE("directives: $ORIGIN and $TTL; $INCLUDE, $GENERATE and others are named")
{
    auto recs = read("$ORIGIN sub.t.test.\nx IN A 192.0.2.1\n$ORIGIN deeper\ny IN A 192.0.2.2\n");
    REQUIRE(recs.size() == 2);
    CHECK(recs[0].owner == dns::Name::parse("x.sub.t.test."));
    CHECK(recs[1].owner == dns::Name::parse("y.deeper.sub.t.test."));
    CHECK(error_of("$GENERATE 1-10 h$ A 192.0.2.$\n") ==
          "f:1: $GENERATE is not supported: write the records out");
    CHECK(error_of("x IN A 192.0.2.1\n$FOO bar\n") == "f:2: unknown directive $FOO");
    CHECK(error_of("$TTL\n") == "f:1: $TTL takes one argument");
    CHECK(error_of("$INCLUDE other.zone\n").starts_with("f:1: $INCLUDE is not supported"));
    CHECK(error_of("x.example.com. IN A 192.0.2.1\n") ==
          "f:1: owner x.example.com. is outside the zone t.test.");
}

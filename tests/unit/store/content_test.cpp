// Content as the API spells it <-> wire RDATA: TXT quoting, priorities, names without the
// trailing dot, RFC 3597, escapes.
#include "tests/unit/store/store_fixture.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/store/content.hpp"

using namespace nuage;
using store::content_to_rdata;
using store::rdata_to_content;

namespace {

std::string shown(std::uint16_t type, const std::string& content,
                  std::optional<std::int64_t> prio = std::nullopt)
{
    return rdata_to_content(type, content_to_rdata(type, content, prio)).content;
}

} // namespace

TEST_CASE("TXT: raw or quoted, split at 255 octets, shown raw when one plain string")
{
    using dns::rrtype::TXT;
    CHECK(content_to_rdata(TXT, "v=spf1 -all", {}) == std::string("\x0bv=spf1 -all"));
    CHECK(content_to_rdata(TXT, "\"v=spf1 -all\"", {}) == std::string("\x0bv=spf1 -all"));
    CHECK(shown(TXT, "\"v=spf1 -all\"") == "v=spf1 -all");
    CHECK(shown(TXT, "\"a\" \"b c\"") == "\"a\" \"b c\"");
    CHECK(shown(TXT, "\"say \\\"hi\\\"\"") == "say \"hi\"");
    // A raw text keeps its quotes and backslashes as characters.
    CHECK(content_to_rdata(TXT, "a\\b", {}) == std::string("\x03"
                                                           "a\\b"));
    std::string longtext(300, 'k');
    std::string wire = content_to_rdata(TXT, longtext, {});
    CHECK(wire.size() == 302);
    CHECK(static_cast<unsigned char>(wire[0]) == 255);
    CHECK(static_cast<unsigned char>(wire[256]) == 45);
    CHECK(shown(TXT, longtext) ==
          "\"" + std::string(255, 'k') + "\" \"" + std::string(45, 'k') + "\"");
    // A long UTF-8 text is cut before a character, never inside one: "é" is 2 octets, so 254
    // 'k's and an "é" make a first string of 254 octets and each part stays UTF-8.
    std::string accented = std::string(254, 'k') + "\xc3\xa9" + "z";
    wire = content_to_rdata(TXT, accented, {});
    CHECK(static_cast<unsigned char>(wire[0]) == 254);
    CHECK(wire.substr(255) == std::string("\x03\xc3\xa9z"));
    CHECK(shown(TXT, accented) == "\"" + std::string(254, 'k') + "\" \"\xc3\xa9z\"");
    std::string emoji = std::string(253, 'k') + "\xf0\x9f\x92\xa9"; // 4 octets at 253..256
    CHECK(static_cast<unsigned char>(content_to_rdata(TXT, emoji, {})[0]) == 253);
    // Octets that are not UTF-8 are cut where they fall.
    std::string binary = std::string(250, 'k') + std::string(10, '\x80');
    CHECK(static_cast<unsigned char>(content_to_rdata(TXT, binary, {})[0]) == 255);
    // Non-printable octets are shown escaped, inside quotes.
    CHECK(shown(TXT, "\"bell\\007here\"") == "\"bell\\007here\"");
    // UTF-8 is text (DESIGN §2): shown as it is, unquoted when one string; octets that are
    // not UTF-8 (a lone continuation, an overlong form) stay escaped.
    CHECK(shown(TXT, "v=\xf0\x9f\x92\xa9") == "v=\xf0\x9f\x92\xa9");
    CHECK(shown(TXT, "\"\xc3\xa9t\xc3\xa9\" \"deux\"") == "\"\xc3\xa9t\xc3\xa9\" \"deux\"");
    CHECK(shown(TXT, "\"bad\\255utf8\"") == "\"bad\\255utf8\"");
    CHECK(shown(TXT, "\"\\192\\175\"") == "\"\\192\\175\"");
    CHECK(shown(TXT, "\"a\\\"b\" \"c\\\\d\"") == "\"a\\\"b\" \"c\\\\d\"");
}

TEST_CASE("MX and URI carry their priority in its own field")
{
    using dns::rrtype::MX;
    using dns::rrtype::URI;
    auto r = rdata_to_content(MX, content_to_rdata(MX, "mail.example.com", 10));
    CHECK(r.content == "mail.example.com");
    CHECK(r.priority == 10);
    CHECK(content_to_rdata(MX, "10 mail.example.com.", {}) ==
          content_to_rdata(MX, "mail.example.com", 10));
    auto u = rdata_to_content(URI, content_to_rdata(URI, "1 \"https://example.com/\"", 10));
    CHECK(u.content == "1 \"https://example.com/\"");
    CHECK(u.priority == 10);
    auto e = test::refusal([] { content_to_rdata(MX, "10 mail.example.com", 10); });
    CHECK(e.field == "content");
    e = test::refusal([] { content_to_rdata(MX, "mail.example.com", 70000); });
    CHECK(e.field == "priority");
    e = test::refusal([] { content_to_rdata(dns::rrtype::A, "192.0.2.1", 10); });
    CHECK(e.field == "priority");
}

TEST_CASE("names in content are absolute and shown without the trailing dot")
{
    using namespace dns::rrtype;
    CHECK(shown(CNAME, "WWW.Example.COM.") == "WWW.Example.COM");
    CHECK(shown(CNAME, "www.example.com") == "www.example.com");
    CHECK(content_to_rdata(CNAME, "www.example.com", {}) ==
          content_to_rdata(CNAME, "www.example.com.", {}));
    CHECK(shown(SRV, "10 5 5060 sip.example.com") == "10 5 5060 sip.example.com");
    CHECK(shown(NS, ".") == ".");
    // RFC 1035 §5.1 escapes survive the round trip.
    CHECK(shown(CNAME, "a\\.b.example.com") == "a\\.b.example.com");
    CHECK(shown(PTR, "host\\032name.example.com") == "host\\032name.example.com");
    CHECK(shown(AAAA, "2001:DB8:0:0::1") == "2001:db8::1");
}

TEST_CASE("RFC 3597: unknown types and the generic form of known ones")
{
    auto t = dns::rrtype_from_text("TYPE65280");
    REQUIRE(t);
    std::string wire = content_to_rdata(*t, "\\# 4 deadbeef", {});
    CHECK(wire == std::string("\xde\xad\xbe\xef"));
    CHECK(shown(*t, "\\# 4 DEADBEEF") == "\\# 4 deadbeef");
    CHECK(shown(dns::rrtype::A, "\\# 4 c0000201") == "192.0.2.1");
    CHECK(test::refusal([&] { content_to_rdata(*t, "\\# 5 deadbeef", {}); }).field == "content");
    CHECK(test::refusal([&] { content_to_rdata(*t, "plain text", {}); }).field == "content");
}

TEST_CASE("the common types parse and show the way the API shows them")
{
    using namespace dns::rrtype;
    CHECK(shown(CAA, "0 issue \"letsencrypt.org\"") == "0 issue \"letsencrypt.org\"");
    CHECK(shown(HTTPS, "1 . alpn=h2,h3") == "1 . alpn=h2,h3");
    CHECK(shown(SVCB, "0 svc.example.com") == "0 svc.example.com");
    CHECK(shown(TLSA, "3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF") ==
          "3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    CHECK(shown(SSHFP, "1 1 123456789abcdef67890123456789abcdef67890") ==
          "1 1 123456789abcdef67890123456789abcdef67890");
    CHECK(shown(NAPTR, "100 50 \"s\" \"z3950+I2L+I2C\" \"\" _z3950._tcp.gatech.edu") ==
          "100 50 \"s\" \"z3950+I2L+I2C\" \"\" _z3950._tcp.gatech.edu");
    CHECK(!shown(LOC, "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m").empty());
    CHECK(!shown(CERT, "1 0 0 AAAA").empty());
}

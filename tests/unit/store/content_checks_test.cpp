// Content must parse whole and exactly, for zone files, dnsctl and the API alike: integers
// outside their field are refused (ldns wraps them), nothing after a ';' is dropped, RFC 3597
// data must fit the type it claims, and an escaped "@" stays a label.
#include "tests/unit/store/store_fixture.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/zone_file.hpp"
#include "zonestore/store/content.hpp"

using namespace nuage;
using store::content_to_rdata;

namespace {

// The refusal of `content` for `type`: "field: message", or "" when it was accepted.
std::string refused(std::uint16_t type, const std::string& content,
                    std::optional<std::int64_t> priority = std::nullopt)
{
    auto e = test::refusal([&] { content_to_rdata(type, content, priority); });
    return e.field.empty() ? "" : e.field + ": " + e.message;
}

const dns::Name kOrigin = dns::Name::parse("t.test.");

} // namespace

TEST_CASE("integers outside their field are refused, never wrapped")
{
    using namespace dns::rrtype;
    CHECK(refused(SRV, "10 5 70000 sip.example.com") ==
          "content: Content for SRV record is invalid: 70000 is out of range (0 to 65535)");
    CHECK(refused(SRV, "10 -1 5060 sip.example.com") ==
          "content: Content for SRV record is invalid: -1 is out of range (0 to 65535)");
    CHECK(refused(CAA, "256 issue \"letsencrypt.org\"").find("256 is out of range (0 to 255)") !=
          std::string::npos);
    CHECK(refused(CAA, "300 issue \"letsencrypt.org\"").starts_with("content: "));
    std::string digest(64, 'a');
    CHECK(refused(TLSA, "300 1 1 " + digest).find("300 is out of range") != std::string::npos);
    CHECK(refused(SSHFP, "300 1 " + digest).find("300 is out of range") != std::string::npos);
    CHECK(refused(NAPTR, "70000 50 \"s\" \"SIP+D2U\" \"\" _sip._udp.example.com")
              .starts_with("content: "));
    CHECK(refused(URI, "70000 \"https://example.com/\"", 10).find("70000 is out of range") !=
          std::string::npos);
    CHECK(refused(DS, "70000 13 2 " + digest).find("70000 is out of range") != std::string::npos);
    CHECK(refused(MX, "70000 mail.example.com").find("70000 is out of range") != std::string::npos);
    CHECK(refused(CERT, "PKIX -1 0 AAAA").find("-1 is out of range") != std::string::npos);
    CHECK(refused(HTTPS, "1 . port=70000").find("70000 is out of range") != std::string::npos);
    CHECK(refused(SVCB, "70000 svc.example.com").starts_with("content: "));
    CHECK(refused(SOA, "a. b. 4294967296 1 2 3 4").find("4294967296 is out of range") !=
          std::string::npos);
    CHECK(refused(SOA, "a. b. 1 4294967296 2 3 4").starts_with("content: "));
    CHECK(refused(SOA, "a. b. 1 1x 2 3 4").starts_with("content: "));
    // The edges of each range are data.
    CHECK(refused(SRV, "65535 0 65535 sip.example.com").empty());
    CHECK(refused(CAA, "128 issue \"letsencrypt.org\"").empty());
    CHECK(refused(SOA, "a. b. 4294967295 1h 2 3 4").empty());
    CHECK(refused(HTTPS, "1 . port=65535").empty());
    CHECK(refused(DS, "65535 ECDSAP256SHA256 2 " + digest).empty());
}

TEST_CASE("content parses whole: nothing after a ';' is dropped")
{
    using namespace dns::rrtype;
    CHECK(test::refusal([] { content_to_rdata(A, "192.0.2.1;junk", {}); }).code == 9005);
    CHECK(test::refusal([] { content_to_rdata(CNAME, "t.test;junk", {}); }).code == 9007);
    CHECK(refused(AAAA, "2001:db8::1 ; x").starts_with("content: "));
    CHECK(refused(TXT, "\"quoted\" ; trailing").find("';' outside quotes") != std::string::npos);
    CHECK(refused(HTTPS, "1 . alpn=\"h2,h3\" ; echo").starts_with("content: "));
    CHECK(refused(TXT, "\"never closed").starts_with("content: "));
    CHECK(refused(A, std::string("192.0.2.1\0junk", 14)).starts_with("content: "));
    // RFC 1035 §3.2.1: RDATA is at most 65535 octets, whatever the spelling.
    CHECK(refused(TXT, std::string(65000, 'a')).empty());
    CHECK(refused(TXT, std::string(65400, 'a')).find("longer than 65535 octets") !=
          std::string::npos);
    // Unquoted TXT is one text, semicolons included (DKIM, DMARC); quoted ';' is text.
    CHECK(content_to_rdata(TXT, "v=DKIM1; k=rsa; p=MIGf", {}) ==
          std::string("\x16v=DKIM1; k=rsa; p=MIGf"));
    CHECK(content_to_rdata(TXT, "v=DMARC1; p=none", {}) == std::string("\x10v=DMARC1; p=none"));
    CHECK(content_to_rdata(TXT, "\"v=DMARC1; p=none\"", {}) == std::string("\x10v=DMARC1; p=none"));
    CHECK(content_to_rdata(TXT, "\"a\" b\\;c", {}) == std::string("\x01"
                                                                  "a\x03"
                                                                  "b;c"));
    CHECK(content_to_rdata(HTTPS, "1 . alpn=\"h2;h3\"", {}).size() == 13);
}

TEST_CASE("RFC 3597 data must be the fields of a type we know; other types' data is opaque")
{
    using namespace dns::rrtype;
    CHECK(refused(A, "\\# 3 010203") ==
          "content: Content for A record must be a valid IPv4 address.");
    CHECK_THROWS_WITH(dns::rdata_from_text(A, "\\# 3 010203", kOrigin),
                      doctest::Contains("the \\# data is not a valid A record"));
    CHECK_THROWS_AS(dns::rdata_from_text(A, "\\# 5 0102030405", kOrigin), dns::ContentError);
    CHECK_THROWS_AS(dns::rdata_from_text(MX, "\\# 2 0001", kOrigin), dns::ContentError);
    CHECK_THROWS_AS(dns::rdata_from_text(65280, "\\# 70000 00", kOrigin), dns::ContentError);
    CHECK_THROWS_AS(dns::rdata_from_text(65280, "\\# 2 00", kOrigin), dns::ContentError);
    CHECK_THROWS_AS(dns::rdata_from_text(65280, "\\# 1 zz", kOrigin), dns::ContentError);
    CHECK(dns::rdata_from_text(A, "\\# 4 c0000201", kOrigin) == std::string("\xc0\x00\x02\x01", 4));
    CHECK(dns::rdata_from_text(65534, "\\# 0", kOrigin).empty());
    CHECK(dns::rdata_from_text(65280, "\\# 4 dead beef", kOrigin) == "\xde\xad\xbe\xef");
    // ldns reads SINK (40) through its own field list and kept one octet of four.
    CHECK(dns::rdata_from_text(40, "\\# 4 0a000001", kOrigin) ==
          std::string("\x0a\x00\x00\x01", 4));
}

TEST_CASE("an escaped @ is the label \"@\", not the origin (as knotd and nsd read it)")
{
    using dns::rrtype::CNAME;
    CHECK(dns::rdata_from_text(CNAME, "\\@", kOrigin) == dns::Name::parse("\\@.t.test.").wire());
    CHECK(dns::rdata_from_text(CNAME, "\\064.x", kOrigin) ==
          dns::Name::parse("\\@.x.t.test.").wire());
    CHECK(dns::rdata_from_text(CNAME, "@", kOrigin) == kOrigin.wire());
    CHECK(dns::rdata_from_text(dns::rrtype::MX, "10 \\@.example.com.", kOrigin) ==
          std::string("\x00\x0a", 2) + dns::Name::parse("\\@.example.com.").wire());
    auto recs = dns::read_zone_file("d IN CNAME \\@\n", kOrigin, "f");
    CHECK(recs.at(0).rdata == dns::Name::parse("\\@.t.test.").wire());
}

TEST_CASE("zone files: integer fields in range, RDATA at most 65535 octets")
{
    auto error_of = [](const std::string& text) -> std::string {
        try {
            dns::read_zone_file(text, kOrigin, "f");
        } catch (const dns::ZoneFileError& e) {
            return std::string(e.what()) + " [" + e.field + "]";
        }
        return "";
    };
    CHECK(error_of("@ IN SOA a. b. 4294967296 1 2 3 4\n") ==
          "f:1: 4294967296 is out of range (0 to 4294967295) [content]");
    CHECK(error_of("_s._tcp IN SRV 0 0 70000 t.test.\n").find("70000 is out of range") !=
          std::string::npos);
    std::string big = "x IN TXT";
    for (int i = 0; i < 260; ++i) {
        big += " \"" + std::string(255, 'a') + "\"";
    }
    CHECK(error_of(big + "\n").starts_with("f:1: the content is over 65534 characters"));
    CHECK(error_of("x IN A \\# 3 010203\n") ==
          "f:1: the \\# data is not a valid A record (RFC 3597 §5: its 3 octets must be the "
          "type's fields) [content]");
}

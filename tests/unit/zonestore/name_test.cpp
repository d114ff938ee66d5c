#include "zonestore/dns/name.hpp"
#include "zonestore/dns/rdata.hpp"

#include <doctest/doctest.h>

using nuage::dns::Name;

TEST_CASE("names parse, lowercase and print with escapes")
{
    Name origin = Name::parse("Example.COM.");
    CHECK(origin.to_text() == "example.com.");
    CHECK(Name::parse("www", &origin).to_text() == "www.example.com.");
    CHECK(Name::parse("@", &origin) == origin);
    CHECK(Name::parse("a\\.b.example.com.").label_count() == 3);
    CHECK(Name::parse("a\\.b.example.com.").to_text() == "a\\.b.example.com.");
    CHECK(Name::parse("\\000.example.com.").to_text() == "\\000.example.com.");
    CHECK_FALSE(Name::from_text("www")); // relative without origin
    CHECK_FALSE(Name::from_text(std::string(64, 'a') + ".com."));
    CHECK(Name::parse("www.example.com.").is_subdomain_of(origin));
    CHECK_FALSE(Name::parse("wwwexample.com.").is_subdomain_of(origin));
    CHECK(Name::parse("www.example.com.").relative_to(origin) == "www");
    CHECK(Name::parse("*.example.com.").is_wildcard());
}

TEST_CASE("canonical order follows RFC 4034 §6.1")
{
    // The example list of RFC 4034 §6.1, in order.
    const char* ordered[] = {"example.",         "a.example.",      "yljkjljk.a.example.",
                             "Z.a.example.",     "zABC.a.EXAMPLE.", "z.example.",
                             "\\001.z.example.", "*.z.example.",    "\\200.z.example."};
    for (std::size_t i = 0; i + 1 < std::size(ordered); ++i) {
        CHECK(Name::parse(ordered[i]) < Name::parse(ordered[i + 1]));
    }
}

TEST_CASE("rdata round-trips through presentation format")
{
    Name origin = Name::parse("example.com.");
    using nuage::dns::rdata_from_text;
    using nuage::dns::rdata_to_text;
    CHECK(rdata_to_text(1, rdata_from_text(1, "192.0.2.1", origin)) == "192.0.2.1");
    CHECK(rdata_to_text(15, rdata_from_text(15, "10 mail", origin)) == "10 mail.example.com.");
    CHECK(rdata_from_text(65280, "\\# 2 abcd", origin) == "\xab\xcd");
    CHECK_THROWS_AS(rdata_from_text(1, "300.1.1.1", origin), nuage::dns::ContentError);
    CHECK(nuage::dns::rrtype_from_text("TYPE65280") == 65280);
    CHECK(nuage::dns::rrtype_from_text("type65535") == 65535);
    CHECK(!nuage::dns::rrtype_from_text("TYPE65536")); // found by fuzz_zone_file (UB in ldns)
    CHECK(!nuage::dns::rrtype_from_text("TYPE655342"));
    CHECK(!nuage::dns::rrtype_from_text("TYPE0"));
    CHECK(!nuage::dns::rrtype_from_text("TYPE1x"));
    CHECK(nuage::dns::rrtype_to_text(28) == "AAAA");
}

#include "tests/support/catalog_builder.hpp"
#include "zonestore/compile/compiler.hpp"

#include <doctest/doctest.h>

using namespace nuage;

namespace {
const char* kZone = R"(
$ORIGIN example.com.
$TTL 3600
@       IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
@       IN NS  ns1
ns1     IN A   192.0.2.53
www     IN A   192.0.2.1
a.b.c   IN TXT "deep"
*.w     IN A   192.0.2.9
sub     IN NS  ns.sub
ns.sub  IN A   192.0.2.77
)";
}

TEST_CASE("compiler builds flags, empty non-terminals and the synthesized apex")
{
    auto cat = test::catalog_from_zones({{"example.com.", kZone}});
    const auto* z = cat->find_zone(dns::Name::parse("deep.www.example.com."));
    REQUIRE(z);
    CHECK(z->serial == 2024010101);
    CHECK(z->negative_ttl == 300);
    CHECK(z->delegation_count == 1);
    const auto* apex = z->apex();
    REQUIRE(apex);
    CHECK(apex->is_apex());
    CHECK(apex->find(6) != nullptr);
    CHECK(apex->find(2)->count == 1);
    const auto* c = z->nodes.find(dns::Name::parse("c.example.com."));
    REQUIRE(c);
    CHECK(c->is_empty_nonterminal());
    CHECK(z->nodes.find(dns::Name::parse("b.c.example.com."))->is_empty_nonterminal());
    CHECK(z->nodes.find(dns::Name::parse("w.example.com."))->has_wildcard_child());
    CHECK(z->nodes.find(dns::Name::parse("sub.example.com."))->is_delegation());
    CHECK(z->nodes.find(dns::Name::parse("ns.sub.example.com.")) != nullptr);
}

TEST_CASE("incremental update replaces one name and removes dangling empty non-terminals")
{
    auto src = test::zone_source_from_text("example.com.", kZone);
    auto base = compile::compile_zone(src);
    auto meta = src.meta;
    meta.soa.serial++;
    std::vector<compile::NameUpdate> ups{{dns::Name::parse("a.b.c.example.com."), {}},
                                         {dns::Name::parse("x.y.example.com."),
                                          {{dns::Name::parse("x.y.example.com."), 1, 60,
                                            std::string("\x01\x02\x03\x04", 4)}}}};
    auto next = compile::update_zone(*base, meta, ups);
    CHECK(next->serial == src.meta.soa.serial + 1);
    CHECK(next->nodes.find(dns::Name::parse("c.example.com.")) == nullptr);
    CHECK(next->nodes.find(dns::Name::parse("b.c.example.com.")) == nullptr);
    CHECK(next->nodes.find(dns::Name::parse("y.example.com."))->is_empty_nonterminal());
    CHECK(next->nodes.find(dns::Name::parse("x.y.example.com."))->find(1)->ttl == 60);
    CHECK(next->nodes.shares_node_with(base->nodes, dns::Name::parse("www.example.com.")));
    CHECK(base->nodes.find(dns::Name::parse("c.example.com.")) != nullptr);
}

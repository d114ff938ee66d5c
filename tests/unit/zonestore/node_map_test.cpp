#include "zonestore/snapshot/node_map.hpp"

#include <doctest/doctest.h>

using namespace nuage;

namespace {
std::shared_ptr<const snapshot::Node> node(const std::string& name)
{
    auto n = std::make_shared<snapshot::Node>();
    n->owner = dns::Name::parse(name);
    return n;
}
}  // namespace

TEST_CASE("node map finds, replaces and erases while sharing untouched chunks")
{
    std::vector<std::shared_ptr<const snapshot::Node>> nodes;
    for (int i = 0; i < 5000; ++i) {
        nodes.push_back(node("n" + std::to_string(i) + ".example."));
    }
    auto m = snapshot::NodeMap::build(nodes);
    CHECK(m.size() == 5000);
    CHECK(m.chunk_count() > 1);
    CHECK(m.find(dns::Name::parse("n42.example.")) != nullptr);
    CHECK(m.find(dns::Name::parse("n5000.example.")) == nullptr);

    auto replacement = node("n42.example.");
    std::vector<std::shared_ptr<const snapshot::Node>> ups{replacement, node("new.example.")};
    std::vector<dns::Name> dels{dns::Name::parse("n7.example.")};
    auto m2 = m.with_changes(ups, dels);
    CHECK(m2.size() == 5000);
    CHECK(m2.find(dns::Name::parse("n42.example.")) == replacement.get());
    CHECK(m.find(dns::Name::parse("n42.example.")) != replacement.get());
    CHECK(m2.find(dns::Name::parse("n7.example.")) == nullptr);
    CHECK(m.find(dns::Name::parse("n7.example.")) != nullptr);
    CHECK(m2.find(dns::Name::parse("new.example.")) != nullptr);
    CHECK(m2.shares_node_with(m, dns::Name::parse("n1000.example.")));
}

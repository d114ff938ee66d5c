// edge_fixture.hpp -- test support for the edge (issue 3): the store fixture with edge pools
// set as dnsd sets them, and helpers to read the public view of one name.
#pragma once

#include "tests/unit/store/store_fixture.hpp"
#include "zonestore/dns/rdata.hpp"

#include <vector>

namespace nuage::test {

// Two pools: "default" (both families) and "v4only".
inline std::vector<store::EdgePool> test_pools()
{
    return {{"default", {"203.0.113.10", "203.0.113.11"}, {"2001:db8:e::10"}},
            {"v4only", {"203.0.113.20"}, {}}};
}

struct EdgeFixture : StoreFixture {
    EdgeFixture() { st->set_edge_pools(test_pools()); }

    store::Record add_in(const store::RecordInput& in) { return st->create_record(zone, in); }

    // The public records of `name` (absolute, with the dot) of type `type`.
    std::vector<compile::SourceRecord> view(const char* name, std::uint16_t type)
    {
        std::vector<compile::SourceRecord> out;
        for (auto& r : st->load_zone_source(zone).records) {
            if (r.owner == dns::Name::parse(name) && r.type == type) {
                out.push_back(std::move(r));
            }
        }
        return out;
    }
};

inline std::string wire4(const char* text)
{
    return dns::rdata_from_text(dns::rrtype::A, text, dns::Name());
}
inline std::string wire6(const char* text)
{
    return dns::rdata_from_text(dns::rrtype::AAAA, text, dns::Name());
}

} // namespace nuage::test

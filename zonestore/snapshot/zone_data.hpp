// zone_data.hpp -- one compiled zone: the public view that the engine answers from.
// Immutable; shared by pointer between the catalog generations that include it.
#pragma once

#include "zonestore/dns/name.hpp"
#include "zonestore/snapshot/flattened.hpp"
#include "zonestore/snapshot/node_map.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

namespace nuage::snapshot {

struct ZoneData {
    std::int64_t zone_id = 0;  // the store's id
    dns::Name origin;          // lowercase
    std::uint32_t serial = 0;
    // TTL of the SOA in negative answers: min(SOA TTL, SOA MINIMUM) (RFC 2308 §5).
    std::uint32_t negative_ttl = 0;
    std::size_t delegation_count = 0;  // lets lookups skip the zone-cut walk when 0
    NodeMap nodes;                     // every name of the zone, apex and occluded names included
    // The zone's flattened CNAMEs, sorted by owner (wire order); null when there are none.
    // Shared between versions until a change touches one of them.
    std::shared_ptr<const std::vector<FlattenedCname>> flattened;

    const Node* apex() const noexcept { return nodes.find(origin); }
    const FlattenedCname* find_flattened(const dns::Name& owner) const noexcept
    {
        if (!flattened) {
            return nullptr;
        }
        auto it = std::lower_bound(
            flattened->begin(), flattened->end(), owner,
            [](const FlattenedCname& f, const dns::Name& n) { return f.owner.wire() < n.wire(); });
        return it != flattened->end() && it->owner == owner ? &*it : nullptr;
    }
    const RRset* soa() const noexcept
    {
        const Node* a = apex();
        return a ? a->find(6) : nullptr;
    }
};

using ZoneRef = std::shared_ptr<const ZoneData>;

}  // namespace nuage::snapshot

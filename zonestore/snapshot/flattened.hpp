// flattened.hpp -- the flattened CNAMEs of a compiled zone (DESIGN §2 "CNAME flattening"):
// which names answer A/AAAA with their target's final addresses instead of a CNAME. The
// compiler records them; the daemon's flattener resolves the targets and writes the addresses
// into the nodes. The engine never reads this table, only the node flags (node.hpp).
#pragma once

#include "zonestore/dns/name.hpp"

#include <cstdint>

namespace nuage::snapshot {

struct FlattenedCname {
    dns::Name owner;       // the CNAME's owner (lowercase): the name that answers A/AAAA
    dns::Name target;      // the CNAME's target (lowercase)
    std::uint32_t ttl = 0; // the CNAME's served TTL: the flattened answer's TTL is at most this

    bool operator==(const FlattenedCname&) const = default;
};

} // namespace nuage::snapshot

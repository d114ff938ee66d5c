// flattened.hpp -- writes what the daemon's flattener found into a compiled zone: the A and
// AAAA RRsets of each flattened name (DESIGN §2 "CNAME flattening") and its unknown flags,
// and the SOA serial when flattening moves it. Only the touched nodes are copied; the rest is
// shared with the base version, as with compile::update_zone.
#pragma once

#include "zonestore/snapshot/zone_data.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nuage::compile {

// One address family of a flattened name.
struct FlattenedFamily {
    bool known = false; // false: queries for this family get SERVFAIL
    std::uint32_t ttl = 0;
    std::vector<std::string> rdatas; // wire RDATA; known and empty: NODATA

    bool operator==(const FlattenedFamily&) const = default;
};

struct FlattenedAnswer {
    dns::Name owner;
    FlattenedFamily a, aaaa;
};

// `base` with the A/AAAA RRsets and unknown flags of each name in `answers` replaced, its
// other RRsets kept. A name that is not a flattened node of `base` is skipped (its CNAME was
// removed meanwhile).
snapshot::ZoneRef apply_flattened(const snapshot::ZoneData& base,
                                  std::span<const FlattenedAnswer> answers);

// `base` with `serial` in its SOA (and ZoneData::serial), everything else shared.
snapshot::ZoneRef with_serial(const snapshot::ZoneData& base, std::uint32_t serial);

// Does `node` hold exactly `answer` for both families (RRsets, TTLs and flags)?
bool node_holds(const snapshot::Node& node, const FlattenedAnswer& answer);

} // namespace nuage::compile

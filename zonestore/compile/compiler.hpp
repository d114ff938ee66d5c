// compiler.hpp -- rows of a zone -> an immutable snapshot::ZoneData.
// Full compiles build every node; incremental updates replace the nodes of the changed names
// (and the ancestors whose child counts or flags change), sharing all others with the base.
// Nothing partial is returned: any error throws CompileError and the caller keeps what it has.
#pragma once

#include "zonestore/compile/zone_source.hpp"
#include "zonestore/snapshot/zone_data.hpp"

#include <span>
#include <stdexcept>

namespace nuage::compile {

struct CompileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

snapshot::ZoneRef compile_zone(const ZoneSource& source);

// `base` with the names in `updates` replaced by their new records, the apex SOA/NS
// re-synthesized from `meta` (the serial moves on every change).
snapshot::ZoneRef update_zone(const snapshot::ZoneData& base, const ZoneMeta& meta,
                              std::span<const NameUpdate> updates);

}  // namespace nuage::compile

// lookup.hpp -- the resolve stage: query name -> zone (longest suffix) -> node, following
// RFC 1034 §4.3.2 as refined by RFC 4592 (wildcards), RFC 8020 (empty non-terminals) and
// RFC 6604 (CNAME chains), into an AnswerPlan. Reads the snapshot only; never allocates.
#pragma once

#include "dnsd/engine/answer_plan.hpp"
#include "dnsd/engine/query.hpp"
#include "zonestore/snapshot/catalog.hpp"

#include <cstddef>
#include <cstdint>

namespace nuage::engine {

// Plans the answer to `q` (opcode QUERY, one question of class IN or ANY, a data qtype).
// Sets plan.refused when the name is in no served zone.
void resolve(const snapshot::Catalog& catalog, const QueryView& q, AnswerPlan& plan) noexcept;

// The node whose A and AAAA RRsets are additional data for `target` (an uncompressed wire name
// in any case) in `zone`: the node of that name, else the wildcard that would answer for it
// (RFC 4592 §2.2), else null. Names outside the zone get null: additional data comes from the
// RRset's own zone only, as Knot DNS does.
const snapshot::Node* find_additional_node(const snapshot::ZoneData& zone,
                                           const std::uint8_t* target, std::size_t len) noexcept;

} // namespace nuage::engine

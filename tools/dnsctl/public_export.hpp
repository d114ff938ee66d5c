// public_export.hpp -- `dnsctl zone export ZONE --public`: what the world sees, offline. The
// flattened names are resolved as dnsd resolves them from the zones it serves (the flattener's
// planner over a catalog compiled from the store), so the file holds their addresses; a target
// outside the served zones is resolved by the running dnsd only, and is named in a comment.
#pragma once

#include "zonestore/store/store.hpp"

#include <string>

namespace nuage::dnsctl {

// The public master file of zone `zone_id` of `st` (edge pools as `st` was configured).
std::string public_export(store::Store& st, std::int64_t zone_id);

} // namespace nuage::dnsctl

// tunnels.hpp -- dnsctl's offline tunnel commands (DESIGN §4 `tunnel create|list|delete`) and
// the warnings the edge needs on record writes: a DNS-only record that shows a proxied name's
// origin address, a DNS-only tunnel route. Warnings go to stderr; nothing is refused here.
#pragma once

#include "tools/dnsctl/offline.hpp"

namespace nuage::dnsctl {

// Creates a tunnel; prints its secret (the only time it is shown) and its id as the last
// line. `secret`: a base64 secret of at least 32 bytes to use instead of a random one.
void tunnel_create(Context& c, const std::string& name, const std::optional<std::string>& secret);
// One tunnel a line: id, name, status, created_at, deleted_at ("-" while live), routes.
void tunnel_list(Context& c, bool include_deleted);
// Soft-deletes the tunnel with this id, or the live tunnel with this name. Refused (naming
// them) while DNS routes point at it.
void tunnel_delete(Context& c, const std::string& id_or_name);

// The edge's warnings after `r` was written (stderr, one line each, naming both records).
void warn_after_write(Context& c, const store::Record& r);
// The same after a zone import, for every record of the zone.
void warn_after_import(Context& c, std::int64_t zone_id);

} // namespace nuage::dnsctl

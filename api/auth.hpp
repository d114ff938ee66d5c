// auth.hpp -- API.md §3: who is calling, and may they. Credentials (a Bearer token, or the
// legacy X-Auth-Email + X-Auth-Key pair whose key is a token's secret) resolve to one stored
// token, compared by hash; each failure gets the status and code of the §3 table. Nothing
// here logs a credential or echoes it in a message.
#pragma once

#include "api/context.hpp"

namespace nuage::api {

// What a route needs from its caller.
enum class Access {
    Open,        // no API token (the route authenticates its own way, e.g. a tunnel secret)
    Verify,      // GET /user/tokens/verify: Bearer only (API.md §3)
    Any,         // any live token
    ZoneRead,    // a token that reaches the route's zone
    ZoneEdit,    // ... and may edit
    AccountRead, // a token that reaches every zone
    AccountEdit, // ... and may edit (creating and deleting zones, tunnels and tokens)
};

// The caller's token. Throws ApiError per the §3 table: 400 9106 (no credentials), 400 6003
// with 6111/6102/6103 (malformed), 403 9109 (unknown or revoked token; 401 on verify),
// 403 9103 (unknown email/key), 400 1001 (verify called with X-Auth headers).
Principal authenticate(const Request& req, store::Store& store, const ApiSettings& settings,
                       bool verify);

// Throws 403 10000 unless `who` may do what `access` says (to `zone` for the zone levels).
void authorize(const Principal& who, Access access, const store::Zone* zone);

} // namespace nuage::api

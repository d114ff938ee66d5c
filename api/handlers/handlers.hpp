// handlers.hpp -- one function per resource and verb (the route table in routes.cpp names
// them). Each takes the Call the router prepared (caller authenticated, the route's zone
// resolved and in scope) and returns the envelope; refusals are thrown.
#pragma once

#include "api/context.hpp"

namespace nuage::api::handlers {

// accounts.cpp
Response accounts_list(Call& c);
Response accounts_get(Call& c);

// zones.cpp
Response zones_list(Call& c);
Response zones_create(Call& c);
Response zones_get(Call& c);
Response zones_patch(Call& c);
Response zones_delete(Call& c);
Response zones_activation_check(Call& c);

// zone_settings.cpp
Response settings_list(Call& c);
Response cname_flattening_get(Call& c);
Response cname_flattening_patch(Call& c);
Response dns_settings_get(Call& c);
Response dns_settings_patch(Call& c);

// dns_records.cpp
Response records_list(Call& c);
Response records_create(Call& c);
Response records_get(Call& c);
Response records_put(Call& c);
Response records_patch(Call& c);
Response records_delete(Call& c);

// dns_records_bulk.cpp
Response records_batch(Call& c);
Response records_export(Call& c);
Response records_import(Call& c);

// tokens.cpp
Response tokens_verify(Call& c);
Response tokens_list(Call& c);
Response tokens_get(Call& c);
Response tokens_delete(Call& c);

// tunnels.cpp
Response tunnels_list(Call& c);
Response tunnels_create(Call& c);
Response tunnels_get(Call& c);
Response tunnels_patch(Call& c);
Response tunnels_delete(Call& c);
Response tunnels_connections(Call& c);
Response tunnels_report(Call& c);

} // namespace nuage::api::handlers

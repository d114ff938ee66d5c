// routes.cpp -- the one route table of the API (STYLE: PowerDNS ws-auth.cc): method, path
// below /client/v4, what the caller needs, and the handler. A literal segment beats a
// parameter (/dns_records/export is not a record id); a known path with another method is 405.
#include "api/handlers/handlers.hpp"
#include "api/router.hpp"

namespace nuage::api {

const std::vector<Route>& route_table()
{
    using A = Access;
    namespace h = handlers;
    static const std::vector<Route> kRoutes = {
        // Accounts (API.md §4): the installation's one account.
        {"GET", "/accounts", A::Any, h::accounts_list},
        {"GET", "/accounts/:account_id", A::Any, h::accounts_get},

        // Zones (API.md §4).
        {"GET", "/zones", A::Any, h::zones_list}, // filtered to the token's zones
        {"POST", "/zones", A::AccountEdit, h::zones_create},
        {"GET", "/zones/:zone_id", A::ZoneRead, h::zones_get},
        {"PATCH", "/zones/:zone_id", A::ZoneEdit, h::zones_patch},
        {"DELETE", "/zones/:zone_id", A::AccountEdit, h::zones_delete},
        {"PUT", "/zones/:zone_id/activation_check", A::ZoneEdit, h::zones_activation_check},

        // Zone settings (API.md §4).
        {"GET", "/zones/:zone_id/settings", A::ZoneRead, h::settings_list},
        {"GET", "/zones/:zone_id/settings/cname_flattening", A::ZoneRead, h::cname_flattening_get},
        {"PATCH", "/zones/:zone_id/settings/cname_flattening", A::ZoneEdit,
         h::cname_flattening_patch},
        {"GET", "/zones/:zone_id/dns_settings", A::ZoneRead, h::dns_settings_get},
        {"PATCH", "/zones/:zone_id/dns_settings", A::ZoneEdit, h::dns_settings_patch},

        // DNS records (API.md §5).
        {"GET", "/zones/:zone_id/dns_records", A::ZoneRead, h::records_list},
        {"POST", "/zones/:zone_id/dns_records", A::ZoneEdit, h::records_create},
        {"POST", "/zones/:zone_id/dns_records/batch", A::ZoneEdit, h::records_batch},
        {"GET", "/zones/:zone_id/dns_records/export", A::ZoneRead, h::records_export},
        {"POST", "/zones/:zone_id/dns_records/import", A::ZoneEdit, h::records_import},
        {"GET", "/zones/:zone_id/dns_records/:record_id", A::ZoneRead, h::records_get},
        {"PUT", "/zones/:zone_id/dns_records/:record_id", A::ZoneEdit, h::records_put},
        {"PATCH", "/zones/:zone_id/dns_records/:record_id", A::ZoneEdit, h::records_patch},
        {"DELETE", "/zones/:zone_id/dns_records/:record_id", A::ZoneEdit, h::records_delete},

        // Tunnels (API.md §7); the connections report authenticates with the tunnel's secret.
        {"GET", "/accounts/:account_id/cfd_tunnel", A::AccountRead, h::tunnels_list},
        {"POST", "/accounts/:account_id/cfd_tunnel", A::AccountEdit, h::tunnels_create},
        {"GET", "/accounts/:account_id/cfd_tunnel/:tunnel_id", A::AccountRead, h::tunnels_get},
        {"PATCH", "/accounts/:account_id/cfd_tunnel/:tunnel_id", A::AccountEdit, h::tunnels_patch},
        {"DELETE", "/accounts/:account_id/cfd_tunnel/:tunnel_id", A::AccountEdit,
         h::tunnels_delete},
        {"GET", "/accounts/:account_id/cfd_tunnel/:tunnel_id/connections", A::AccountRead,
         h::tunnels_connections},
        {"PUT", "/accounts/:account_id/cfd_tunnel/:tunnel_id/connections", A::Open,
         h::tunnels_report},

        // API tokens (API.md §3).
        {"GET", "/user/tokens/verify", A::Verify, h::tokens_verify},
        {"GET", "/user/tokens", A::AccountRead, h::tokens_list},
        {"GET", "/user/tokens/:token_id", A::AccountRead, h::tokens_get},
        {"DELETE", "/user/tokens/:token_id", A::AccountEdit, h::tokens_delete},
    };
    return kRoutes;
}

} // namespace nuage::api

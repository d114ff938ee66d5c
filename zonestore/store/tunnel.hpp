// tunnel.hpp -- the account's tunnels (DESIGN §2 "Tunnels", API.md §7): plain values, the
// secret's format and hash, the status computed from the age of the last connection report,
// and what makes a CNAME a tunnel route. The store keeps only the SHA-256 of a secret.
#pragma once

#include "zonestore/dns/name.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nuage::store {

// API.md §7: inactive (never connected), then healthy / degraded / down from the age of the
// last report (under 60 s, under 5 min, older; a report with no connection is down at once).
enum class TunnelStatus { Inactive, Healthy, Degraded, Down };

const char* to_string(TunnelStatus s);
std::optional<TunnelStatus> tunnel_status_from_string(std::string_view s);

inline constexpr std::chrono::seconds kTunnelHealthyFor{60};
inline constexpr std::chrono::seconds kTunnelDegradedFor{300};

// One connector connection, as the user's edge reports it (API.md §7 connections[]).
struct TunnelConnection {
    std::string id; // the connection's id (a UUID, as reported)
    std::string client_id;
    std::string client_version;
    std::string colo_name;
    bool is_pending_reconnect = false;
    std::string opened_at; // RFC 3339, as reported
    std::string origin_ip;
};

struct Tunnel {
    std::string id; // UUID, lowercase 8-4-4-4-12
    std::string name;
    std::string config_src = "local"; // "local" or "cloudflare"
    std::string created_at;           // RFC 3339 UTC with microseconds
    std::optional<std::string> deleted_at;
    std::optional<std::string> conns_active_at;   // set while connections are reported
    std::optional<std::string> conns_inactive_at; // set when a report lists none
    std::optional<std::string> reported_at;       // the last connections report
    std::vector<TunnelConnection> connections;    // as last reported
    TunnelStatus status = TunnelStatus::Inactive; // computed when read (tunnel_status)

    bool deleted() const { return deleted_at.has_value(); }
};

// The status of `t` at `now` (API.md §7).
TunnelStatus tunnel_status(const Tunnel& t, std::chrono::system_clock::time_point now);

struct TunnelCreate {
    std::string name;
    std::string config_src = "local";
    // Base64 (standard or URL-safe, padding optional) of at least 32 bytes, as API.md §7 and
    // cloudflared send it. Unset: the store makes one (32 random bytes).
    std::optional<std::string> secret;
};

// A tunnel just made, with its secret: the only time the store has it in the clear.
struct NewTunnel {
    Tunnel tunnel;
    std::string secret; // base64, standard alphabet, padded
};

// PATCH: the fields to change (API.md §7: name, tunnel_secret).
struct TunnelUpdate {
    std::optional<std::string> name;
    std::optional<std::string> secret;
};

// GET list filters (API.md §7). Unset filters match everything.
struct TunnelFilter {
    std::optional<std::string> name;           // exact
    std::optional<std::string> uuid;           // exact id, any case
    std::optional<bool> is_deleted;            // true: only deleted ones; false: live ones only
    std::optional<std::string> existed_at;     // RFC 3339: created by then and not deleted by then
    std::optional<std::string> include_prefix; // name starts with
    std::optional<std::string> exclude_prefix; // name does not start with
    std::optional<TunnelStatus> status;
};

// A CNAME that routes to a tunnel: where it is.
struct TunnelRoute {
    std::string zone_name;
    std::string record_id;
    std::string name; // the record's name, as the API shows it
    bool proxied = false;
};

inline constexpr std::size_t kTunnelSecretMinBytes = 32;

// A fresh random UUID (version 4, OpenSSL's CSPRNG), lowercase.
std::string new_tunnel_id();
// Is `s` a UUID (8-4-4-4-12 hex digits, any case)?
bool is_tunnel_id(std::string_view s);
// A fresh secret: 32 random bytes, base64.
std::string new_tunnel_secret();
// The secret's bytes, or nullopt when `b64` is not base64 (standard or URL-safe alphabet,
// padding optional).
std::optional<std::string> decode_tunnel_secret(std::string_view b64);
// SHA-256 of the secret's decoded bytes (32 raw bytes): what the store keeps, so that any
// base64 spelling of one secret verifies.
std::string tunnel_secret_hash(std::string_view secret_bytes);

// `target` is a tunnel route's target when it is exactly one label below `domain`
// ("<id>.cfargotunnel.com"): returns that label (the tunnel id as written, lowercase), or
// nullopt. Names deeper below the domain are routes too (returned whole, so that they are
// refused as no tunnel's id).
std::optional<std::string> tunnel_route_label(const dns::Name& target, const dns::Name& domain);

// A time to the microsecond: 64 bits of them reach ±292,000 years (system_clock's
// nanoseconds stop in 2262, and clients do send "2999-01-01T00:00:00Z").
using RfcTime = std::chrono::sys_time<std::chrono::microseconds>;

// RFC 3339 text (as the store and clients write it: "2024-05-01T10:00:00Z", with optional
// fractional seconds and a Z or ±hh:mm offset) -> a time point; nullopt when it is not one
// (a date that does not exist, such as February 30, included).
std::optional<RfcTime> parse_rfc3339(std::string_view s);

} // namespace nuage::store

// config.hpp -- the daemon's configuration: one TOML file (DESIGN §4) into a typed DaemonConfig
// with every default in code, plus the command-line overrides. Validation refuses unknown keys,
// wrong types and bad values, naming the file, line and key of each. Shared with dnsctl
// (library nuage_config); no sockets and no logging here.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nuage::config {

// "127.0.0.1:5300" or "[::1]:5300": a numeric address and a port, nothing resolved.
struct Endpoint {
    std::string address; // numeric, without brackets
    std::uint16_t port = 0;
    bool ipv6 = false;

    std::string to_string() const; // the same spelling it was parsed from
    bool operator==(const Endpoint&) const = default;
};

// Parses an address:port; nullopt (with `error` set when given) if it is not one.
std::optional<Endpoint> parse_endpoint(std::string_view text, std::string* error = nullptr);

struct ApiConfig {
    Endpoint listen{"127.0.0.1", 8053, false};
    std::string tls_cert; // both empty, or both set
    std::string tls_key;
    std::uint32_t max_body_bytes = 1048576;     // a larger request body gets 413
    std::uint32_t rate_limit_per_minute = 1200; // requests per source address; 0: no limit
    std::uint32_t threads = 8;                  // HTTP worker threads (one per connection)
    // [api] listen or --api-listen was given: failing to listen there stops dnsd. The default
    // address is best effort (DNS is served without the API when it is taken).
    bool listen_set = false;
};

struct AccountConfig {
    std::string name = "Nuage";
    std::string email; // empty: X-Auth-Email is not checked
};

// A set of edge addresses that fronts proxied traffic (DESIGN §2 "Edge addresses").
struct EdgePool {
    std::string name;
    std::vector<std::string> ipv4; // numeric, validated
    std::vector<std::string> ipv6;
};

struct FlatteningConfig {
    std::vector<Endpoint> upstreams; // empty: the system's resolvers (a later issue)
    std::uint32_t stale_max_seconds = 86400;
    std::uint32_t serial_min_interval_seconds = 60;
};

struct TunnelsConfig {
    std::string domain = "cfargotunnel.com"; // without the trailing dot
};

struct ZonesConfig {
    std::vector<std::string> name_servers;       // absolute, with the trailing dot
    std::optional<Endpoint> activation_resolver; // unset: the system's resolver
    std::uint32_t activation_interval_seconds = 3600;
    // The port the parent's servers are asked on (53 in the world; tests serve the parent
    // zone on a free loopback port).
    std::uint16_t activation_parent_port = 53;
};

// RFC 7766 limits of the TCP transport.
struct TcpConfig {
    std::uint32_t idle_timeout_ms = 10000;  // RFC 7766 §6.2.3 suggests seconds, not minutes
    std::uint32_t max_connections = 1024;   // over all workers; beyond it a connection is closed
    std::uint32_t max_message_size = 65535; // a longer length prefix closes the connection
};

struct LogConfig {
    std::string level = "info"; // trace, debug, info, warn, error, critical, off
};

struct DaemonConfig {
    std::string database = "nuage.sqlite"; // relative paths are relative to the working dir
    std::vector<Endpoint> listen{{"127.0.0.1", 5300, false}, {"::1", 5300, true}};
    unsigned threads = 2;
    // "USER" or "USER:GROUP" to run as once the sockets are bound (root needed to switch);
    // empty: keep the starting user.
    std::string user;
    ApiConfig api;
    AccountConfig account;
    std::vector<EdgePool> edge_pools; // the first is the default
    FlatteningConfig flattening;
    TunnelsConfig tunnels;
    ZonesConfig zones;
    TcpConfig tcp;
    LogConfig log;

    // The pool zones get unless they name one, or null when no pool is configured.
    const EdgePool* default_edge_pool() const
    {
        return edge_pools.empty() ? nullptr : &edge_pools.front();
    }
};

// Every problem found, one line each: "config.toml:12: listen[1]: not an address:port".
struct ConfigError : std::runtime_error {
    explicit ConfigError(std::vector<std::string> problems);
    std::vector<std::string> problems;
};

// Parses TOML text; `filename` is only used in messages. Throws ConfigError.
DaemonConfig parse_config(std::string_view text, std::string_view filename);
// Reads and parses a file. Throws ConfigError (also when the file cannot be read).
DaemonConfig load_config(const std::string& path);

// Command-line flags that override the file (DESIGN §4); unset ones leave the file's value.
struct Overrides {
    std::optional<std::string> database;   // --db
    std::vector<std::string> listen;       // --listen, repeatable; non-empty replaces the list
    std::optional<unsigned> threads;       // --threads
    std::optional<std::string> api_listen; // --api-listen
    std::optional<std::string> log_level;  // --log-level
    std::optional<std::string> user;       // --user
};

// Applies `o` to `cfg`, validating each value. Throws ConfigError naming the flag.
void apply_overrides(DaemonConfig& cfg, const Overrides& o);

} // namespace nuage::config

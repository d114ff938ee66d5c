// delegation_probe.hpp -- what the parent's servers say about a zone's delegation (DESIGN §2
// Zones), through ldns (this is not the query path). Two steps, as `dig NS` at the parent:
// ask the resolver for the parent zone's NS and their addresses, then ask each of those
// servers directly, without recursion, for the zone's NS RRset (a referral counts).
#pragma once

#include "dnsd/config.hpp"
#include "zonestore/dns/name.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nuage::activation {

struct ProbeOptions {
    std::optional<config::Endpoint> resolver; // unset: the system's (/etc/resolv.conf)
    std::uint16_t parent_port = 53;
    std::chrono::milliseconds timeout{2000};
    std::size_t max_servers = 16;              // parent server addresses asked, at most
    const std::atomic<bool>* cancel = nullptr; // set: no further query is sent (dnsd stops)
};

// One of the parent's server addresses and what it said.
struct ServerAnswer {
    std::string address;
    // The zone's NS names as this server gives them (lowercase, no trailing dot); an empty set
    // when it says the zone is not delegated (NXDOMAIN or no NS); nullopt when it failed.
    std::optional<std::set<std::string>> ns;
    std::string error; // why it failed
};

struct ProbeResult {
    std::string parent; // the parent zone found ("test."), empty when none was
    std::vector<ServerAnswer> servers;
    std::string error; // non-empty: the parent's servers could not be found
};

// Runs both steps for `zone` (blocking; each query bounded by options.timeout).
ProbeResult probe_delegation(const dns::Name& zone, const ProbeOptions& options);

// True when at least one parent server answered and every server that answered gave exactly
// `expected` (compared case-insensitively, trailing dots ignored). Servers that failed are
// ignored: one unreachable address does not hold a zone back.
bool delegation_matches(const ProbeResult& result, const std::vector<dns::Name>& expected);

// "ns1.example.net" from "NS1.Example.NET." (lowercase, no trailing dot).
std::string normalize_ns(std::string_view text);

// One line for the log: the parent, then each server and what it said.
std::string describe(const ProbeResult& result);

} // namespace nuage::activation

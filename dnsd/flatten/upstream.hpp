// upstream.hpp -- the stub resolver that asks `[flattening] upstreams` for targets outside the
// served zones, on the flattener's own libuv loop (never a DNS worker's). Hardened as DESIGN §2
// says: a fresh socket per query (so a kernel-chosen random source port, RFC 5452 §9.2),
// connected to the upstream (datagrams from anyone else are dropped by the kernel), a random
// ID and 0x20 case checked on the way back (wire.hpp), TCP when the answer is truncated
// (RFC 7766 §5), a timeout per attempt and the attempts spread over the upstreams, upstream
// CNAMEs followed (at most 8, loops refused). Not thread-safe: one loop, one thread.
#pragma once

#include "dnsd/config.hpp"
#include "dnsd/flatten/wire.hpp"
#include "zonestore/dns/name.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <uv.h>
#include <vector>

namespace nuage::flatten {

struct ResolverOptions {
    std::vector<config::Endpoint> upstreams;
    std::chrono::milliseconds timeout{1000}; // per attempt
    unsigned attempts = 3;                   // in all, each on the next upstream
    // Is this name in a zone we serve? A chain that reaches one is not asked of the upstream
    // again: the planner answers it from the snapshot. Called on the resolver's loop.
    std::function<bool(const dns::Name&)> is_served;
};

struct Resolution {
    bool ok = false;                 // false: no usable answer (SERVFAIL for the name)
    std::vector<std::string> rdatas; // ok: the final addresses (empty: NXDOMAIN or NODATA)
    std::uint32_t ttl = 0;           // ok: the smallest TTL over the chain
    std::string error;               // not ok: why, for the log
    std::vector<dns::Name> chain;    // ok: the CNAME targets followed, in order
    bool handoff = false;            // ok: stopped at chain.back(), a served name (no rdatas)
};

class Resolver {
public:
    using Done = std::function<void(Resolution)>;

    Resolver(uv_loop_t* loop, ResolverOptions options);
    ~Resolver(); // calls close()
    Resolver(const Resolver&) = delete;
    Resolver& operator=(const Resolver&) = delete;

    // Resolves `name` (A or AAAA); `done` is called once, on the loop, unless close() comes
    // first. Never blocks.
    void resolve(const dns::Name& name, std::uint16_t qtype, Done done);
    // Abandons every lookup (their callbacks are not called). Their handles close on the
    // loop's next turns: run it until it has no more work before freeing it.
    void close();
    std::size_t active() const { return lookups_.size(); }

private:
    struct Lookup;
    struct Exchange;
    void start_exchange(Lookup& l);
    void on_exchange(Lookup& l, const UpstreamAnswer& a);
    void finish(Lookup& l, Resolution r);

    uv_loop_t* loop_;
    ResolverOptions options_;
    std::size_t next_upstream_ = 0; // rotates the first upstream of each lookup
    std::map<Lookup*, std::unique_ptr<Lookup>> lookups_;
};

} // namespace nuage::flatten

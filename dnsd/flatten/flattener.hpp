// flattener.hpp -- CNAME flattening in the running daemon (DESIGN §2, §3). Every catalog a
// writer publishes first goes through apply(), which writes the flattened names' addresses
// into it: targets in served zones are followed in that very catalog (so a write and the
// flattened names depending on it are published together), targets outside come from the
// upstream cache. The cache is filled by the stub resolver on the flattener's own libuv loop
// thread; a changed upstream answer is published by the flattener's publisher thread, never by
// a DNS worker and never blocking the journal watcher. The zone's SOA serial follows changed
// flattened answers at most once per interval: the store's serial is bumped (Store::
// bump_serial), so the served serial is always the stored one and survives restarts.
#pragma once

#include "dnsd/flatten/cache.hpp"
#include "dnsd/flatten/serial_pacer.hpp"
#include "dnsd/flatten/state.hpp"
#include "dnsd/flatten/upstream.hpp"
#include "dnsd/publish.hpp"
#include "zonestore/store/store.hpp"

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace nuage::flatten {

struct FlattenerOptions {
    ResolverOptions resolver;
    CachePolicy cache;
    std::chrono::seconds serial_min_interval{60};
    std::chrono::milliseconds publish_timeout{1000};
};

// The options of `[flattening]`; with no upstream configured, the nameservers of
// /etc/resolv.conf (the system's resolvers).
FlattenerOptions options_from(const config::FlatteningConfig& cfg);

class Flattener {
public:
    // `store` is the flattener's own connection, used only to bump serials (null: serials
    // are not bumped, e.g. in tests).
    Flattener(FlattenerOptions options, std::unique_ptr<store::Store> store);
    ~Flattener(); // stop()
    Flattener(const Flattener&) = delete;
    Flattener& operator=(const Flattener&) = delete;

    // For a writer holding publisher.lock_writer(): `cat` with the flattened names of
    // `changed_zones` (rebuilt from the store; every zone at start) and of the zones depending
    // on them brought up to date. New catalogs get `generation`. Never waits for an upstream:
    // a target not answered yet is SERVFAIL until its answer is published.
    snapshot::CatalogRef apply(snapshot::CatalogRef cat,
                               const std::vector<std::int64_t>& changed_zones,
                               std::uint64_t generation);

    // Starts the loop thread and the publisher thread, which publishes changed upstream
    // answers and serials through `publisher` (under its writer lock).
    void start(dnsd::Publisher& publisher);
    void stop(); // joins both; lookups in flight are abandoned

    // For tests and logs: flattened names known, upstream lookups in flight.
    std::size_t names() const;

private:
    void run_loop();
    void run_publisher();
    // On the loop, with mu_ held: starts due fetches, notes changed views, sets the timer.
    void sweep_locked(std::vector<CacheKey>& to_fetch);
    void sweep();
    void fetch(const CacheKey& key);
    void publish_keys(const std::set<CacheKey>& keys);
    void bump_serial(std::int64_t zone_id);
    snapshot::CatalogRef update(snapshot::CatalogRef cat,
                                const std::vector<std::int64_t>& changed_zones,
                                const std::set<CacheKey>& changed_keys, std::uint64_t generation);

    FlattenerOptions options_;
    dnsd::Publisher* publisher_ = nullptr;
    std::unique_ptr<store::Store> store_;

    mutable std::mutex mu_; // everything below but the loop's handles
    std::condition_variable cv_;
    FlattenState state_;
    std::map<CacheKey, CacheEntry> cache_;
    std::set<CacheKey> wanted_;
    std::set<CacheKey> changed_keys_; // views that differ from what was published
    SerialPacer pacer_;
    bool stop_ = false;

    uv_loop_t loop_{};
    uv_async_t wake_{};
    uv_timer_t tick_{};
    std::unique_ptr<Resolver> resolver_;
    std::mutex served_mu_;           // the resolver's view of the served zones (is_served)
    snapshot::CatalogRef served_;
    std::thread loop_thread_, publish_thread_;
    bool started_ = false;
};

} // namespace nuage::flatten

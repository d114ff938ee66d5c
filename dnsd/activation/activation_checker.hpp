// activation_checker.hpp -- zone activation (DESIGN §2 Zones): a zone stays `pending` until the
// parent's servers delegate it to its assigned name servers, then it becomes `active`. The
// checker runs on its own thread with its own Store connection (never on a DNS worker or an
// API thread): every `[zones] activation_interval_seconds` over the pending zones, and on
// demand for one zone (PUT /zones/:id/activation_check calls check_now()).
#pragma once

#include "dnsd/config.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace nuage::activation {

class ActivationChecker {
public:
    struct Options {
        std::string database;                          // the store file (a connection of its own)
        std::optional<config::Endpoint> resolver;      // unset: /etc/resolv.conf
        std::uint16_t parent_port = 53;                // where the parent's servers are asked
        std::chrono::seconds interval{3600};           // sweep of the pending zones
        std::chrono::milliseconds query_timeout{2000}; // per query and server
    };

    // From the daemon's configuration ([zones] activation_*).
    static Options options_from(const config::DaemonConfig& cfg);

    explicit ActivationChecker(Options options);
    ~ActivationChecker(); // stop()
    ActivationChecker(const ActivationChecker&) = delete;
    ActivationChecker& operator=(const ActivationChecker&) = delete;

    // Starts the thread; its first sweep runs one interval later. Throws store::StoreError when the
    // database cannot be opened.
    void start();
    // Wakes the thread and joins it (an ongoing query finishes first: bounded by the timeout).
    void stop();

    // Thread-safe and returns at once: the zone (store::Zone::id, the store's internal id) is
    // checked on the checker's thread as soon as it is free. A zone that is not pending, or no
    // longer exists, is left alone. The caller reads the outcome from the zone's `status`.
    void check_now(std::int64_t zone_id);

    // Checks completed since start (on demand or swept), for tests and logs.
    std::uint64_t checks_done() const;

private:
    void run();
    void sweep();
    void check_one(std::int64_t zone_id);

    Options options_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::int64_t> queue_;
    bool stop_ = false;
    std::atomic<bool> cancel_{false}; // read by an ongoing probe between its queries
    std::uint64_t checks_done_ = 0;
    std::thread thread_;
    struct State;
    std::unique_ptr<State> state_; // the store connection, used on the thread only
};

} // namespace nuage::activation

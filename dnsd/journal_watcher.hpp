// journal_watcher.hpp -- from the store to the published catalog: the first full compile at
// start, then a thread that follows the store's change journal (changes made by any process,
// e.g. `dnsctl record add` while dnsd runs; DESIGN §3) and publishes only what changed: the
// changed names of a zone through compile::update_zone, a created or replaced zone in full, a
// deleted zone removed. A zone that fails to compile keeps its previous version served.
#pragma once

#include "dnsd/flatten/flattener.hpp"
#include "dnsd/publish.hpp"
#include "zonestore/store/store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

namespace nuage::dnsd {

// Compiles every zone of `store`. A zone that fails to compile is logged and left out (the
// others are still served); a StoreError (the database itself failing) propagates.
snapshot::CatalogRef compile_catalog(store::Store& store, std::uint64_t generation);

class JournalWatcher {
public:
    struct Options {
        std::chrono::milliseconds poll_interval{100}; // "answered within one second"
        std::chrono::milliseconds publish_timeout{1000};
        std::size_t batch = 1000; // journal entries read per round
        // The journal only carries changes to the daemons that follow it: entries more than
        // `journal_keep` behind this watcher are deleted, at most once per `prune_interval`.
        // A reader that falls further behind finds a gap and reloads every zone.
        std::size_t journal_keep = 10000;
        std::chrono::milliseconds prune_interval{60000};
    };

    // `store` is this watcher's own connection (a Store is not thread-safe); `after` is the
    // journal sequence the published catalog already reflects.
    JournalWatcher(std::unique_ptr<store::Store> store, Publisher& publisher, std::int64_t after,
                   Options options);
    JournalWatcher(std::unique_ptr<store::Store> store, Publisher& publisher, std::int64_t after)
        : JournalWatcher(std::move(store), publisher, after, Options{})
    {
    }
    ~JournalWatcher();
    JournalWatcher(const JournalWatcher&) = delete;
    JournalWatcher& operator=(const JournalWatcher&) = delete;

    // Every catalog the watcher publishes first goes through `f` (the zones it rebuilt named
    // as changed), so that flattened names depending on a write are published with it
    // (DESIGN §2, §3). Set before start(); `f` must outlive the watcher.
    void set_flattener(flatten::Flattener* f) { flattener_ = f; }

    void start(); // polls on its own thread
    void stop();  // wakes the thread and joins it

    // Publish before respond (DESIGN §2, API.md §2): wakes the thread, waits until it has
    // consumed the journal up to (at least) `seq` and every worker has picked up what it
    // published. The thread stays the only publisher. False when `timeout` passed first.
    // Thread-safe; needs start().
    bool catch_up(std::int64_t seq, std::chrono::milliseconds timeout);

    // One round on the caller's thread: reads the journal past last_seq(), rebuilds what it
    // names, publishes once (waiting for the workers). Returns the entries consumed. Throws
    // StoreError when the database fails (nothing consumed; the next round retries).
    std::size_t poll_once();
    std::int64_t last_seq() const { return last_seq_; }

private:
    void run();
    snapshot::CatalogRef reload_all(std::uint64_t generation);
    void maybe_prune();

    std::unique_ptr<store::Store> store_;
    Publisher& publisher_;
    std::int64_t last_seq_;
    Options options_;
    flatten::Flattener* flattener_ = nullptr;
    std::chrono::steady_clock::time_point last_prune_{};
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
    bool wake_ = false;         // catch_up asks for a round now
    std::int64_t done_seq_ = 0; // the journal the last finished round consumed (under mu_)
    std::condition_variable done_cv_;
    std::thread thread_;
};

} // namespace nuage::dnsd

// publish.hpp -- the Publisher: the current CatalogRef and its generation, handed to workers.
// A writer stores a new catalog and bumps an atomic generation; each worker does one acquire
// load of it per receive batch and, on a change, picks the new ref up under a mutex (no query
// takes it). publish_and_wait returns once every worker has seen the generation: RCU's grace
// period turned around, so "visible before the response" holds (DESIGN §3, STYLE "Snapshot and
// swap"). Catalogs a worker drops are retired here and freed on the writer's thread.
#pragma once

#include "zonestore/snapshot/catalog.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace nuage::dnsd {

class Publisher {
public:
    using Wake = std::function<void()>;

    explicit Publisher(snapshot::CatalogRef initial);

    // ---- writers (the journal watcher, later the API) -------------------------------------
    // Serializes writers that derive a new catalog from current(): hold it from the read of
    // the base catalog to the publish.
    std::unique_lock<std::mutex> lock_writer() { return std::unique_lock(writer_); }
    // The catalog last published (not necessarily picked up yet).
    snapshot::CatalogRef current() const;
    // Makes `catalog` current, wakes every reader, returns the new generation.
    std::uint64_t publish(snapshot::CatalogRef catalog);
    // publish(), then waits until every reader has seen the new generation or `timeout` has
    // passed. True when all have; old catalogs retired by the readers are freed before return.
    bool publish_and_wait(snapshot::CatalogRef catalog, std::chrono::milliseconds timeout);
    // Waits until every reader has seen generation `gen` (true) or `timeout` passed (false).
    bool wait_seen(std::uint64_t gen, std::chrono::milliseconds timeout);

    // ---- readers (the workers) ------------------------------------------------------------
    // Registers a reader before it runs; `wake` makes its loop call pick_up soon (it must be
    // callable from any thread, e.g. uv_async_send). Returns the reader's id.
    std::size_t add_reader(Wake wake);
    // A reader that stops: it is no longer woken or waited for.
    void remove_reader(std::size_t id);
    // One acquire load: the hot path compares this with the generation it has seen.
    std::uint64_t generation() const noexcept
    {
        return generation_.load(std::memory_order_acquire);
    }
    // Replaces `ref` with the current catalog and `seen` with its generation, and records
    // that reader `id` has seen it. The old ref is retired, not freed, on this thread.
    void pick_up(std::size_t id, snapshot::CatalogRef& ref, std::uint64_t& seen);

private:
    struct Reader {
        Wake wake;
        std::uint64_t seen = 0;
    };
    bool all_seen_locked(std::uint64_t gen) const;
    void free_retired();

    std::mutex writer_;
    mutable std::mutex mu_; // guards everything below except generation_
    std::condition_variable seen_cv_;
    snapshot::CatalogRef current_;
    std::atomic<std::uint64_t> generation_{1};
    std::vector<Reader> readers_;
    std::vector<snapshot::CatalogRef> retired_;
};

} // namespace nuage::dnsd

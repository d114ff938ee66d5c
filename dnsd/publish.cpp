#include "dnsd/publish.hpp"

#include <utility>

namespace nuage::dnsd {

Publisher::Publisher(snapshot::CatalogRef initial) : current_(std::move(initial))
{
    if (!current_) {
        current_ = std::make_shared<const snapshot::Catalog>();
    }
}

snapshot::CatalogRef Publisher::current() const
{
    std::lock_guard lock(mu_);
    return current_;
}

std::uint64_t Publisher::publish(snapshot::CatalogRef catalog)
{
    std::uint64_t gen = 0;
    snapshot::CatalogRef old;
    {
        std::lock_guard lock(mu_);
        old = std::exchange(current_, std::move(catalog));
        // Release: a reader whose acquire load sees `gen` then takes mu_ and finds current_.
        gen = generation_.load(std::memory_order_relaxed) + 1;
        generation_.store(gen, std::memory_order_release);
        // A wake only signals the reader's loop (uv_async_send); it never calls back in here.
        for (auto& r : readers_) {
            if (r.wake) {
                r.wake();
            }
        }
    }
    free_retired();
    return gen; // `old` is released here, on the writer's thread, if no reader holds it
}

bool Publisher::all_seen_locked(std::uint64_t gen) const
{
    for (const auto& r : readers_) {
        if (r.seen < gen) {
            return false;
        }
    }
    return true;
}

bool Publisher::wait_seen(std::uint64_t gen, std::chrono::milliseconds timeout)
{
    bool ok = false;
    {
        std::unique_lock lock(mu_);
        ok = seen_cv_.wait_for(lock, timeout, [&] { return all_seen_locked(gen); });
    }
    free_retired();
    return ok;
}

bool Publisher::publish_and_wait(snapshot::CatalogRef catalog, std::chrono::milliseconds timeout)
{
    return wait_seen(publish(std::move(catalog)), timeout);
}

std::size_t Publisher::add_reader(Wake wake)
{
    std::lock_guard lock(mu_);
    readers_.push_back({std::move(wake), 0});
    return readers_.size() - 1;
}

void Publisher::remove_reader(std::size_t id)
{
    {
        std::lock_guard lock(mu_);
        readers_[id].wake = nullptr;
        readers_[id].seen = UINT64_MAX; // a stopped reader holds no catalog and blocks no wait
    }
    seen_cv_.notify_all();
}

void Publisher::pick_up(std::size_t id, snapshot::CatalogRef& ref, std::uint64_t& seen)
{
    {
        std::lock_guard lock(mu_);
        if (ref) {
            // Freeing a whole zone here would stall this worker's queries: the writer does it.
            retired_.push_back(std::move(ref));
        }
        ref = current_;
        seen = generation_.load(std::memory_order_relaxed);
        readers_[id].seen = seen;
    }
    seen_cv_.notify_all();
}

void Publisher::free_retired()
{
    std::vector<snapshot::CatalogRef> dead;
    {
        std::lock_guard lock(mu_);
        dead.swap(retired_);
    }
    // Destroyed here, outside the lock: the last reference to an old zone may be among them.
}

} // namespace nuage::dnsd

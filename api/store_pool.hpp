// store_pool.hpp -- Store connections for the API's threads. A Store is not thread-safe (one
// SQLite connection each), so a request borrows one for its duration and gives it back; idle
// connections are kept for the next request. SQLite's WAL and busy timeout serialize the
// writers of all connections and processes.
#pragma once

#include "zonestore/store/store.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace nuage::api {

class StorePool {
public:
    using Opener = std::function<std::unique_ptr<store::Store>()>;

    explicit StorePool(Opener open) : open_(std::move(open)) {}

    // A borrowed connection, returned to the pool when the lease ends.
    class Lease {
    public:
        Lease(StorePool& pool, std::unique_ptr<store::Store> s) : pool_(&pool), s_(std::move(s)) {}
        ~Lease()
        {
            if (s_) {
                pool_->give_back(std::move(s_));
            }
        }
        Lease(Lease&&) = default;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Lease& operator=(Lease&&) = delete;
        store::Store& operator*() const { return *s_; }
        store::Store* operator->() const { return s_.get(); }

    private:
        StorePool* pool_;
        std::unique_ptr<store::Store> s_;
    };

    // An idle connection, or a new one. Throws store::StoreError when it cannot be opened.
    Lease acquire();

private:
    void give_back(std::unique_ptr<store::Store> s);

    Opener open_;
    std::mutex mu_;
    std::vector<std::unique_ptr<store::Store>> idle_;
};

} // namespace nuage::api

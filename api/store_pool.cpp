#include "api/store_pool.hpp"

namespace nuage::api {

StorePool::Lease StorePool::acquire()
{
    {
        std::lock_guard lock(mu_);
        if (!idle_.empty()) {
            auto s = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(s));
        }
    }
    return Lease(*this, open_()); // opened outside the lock: it may wait on the database
}

void StorePool::give_back(std::unique_ptr<store::Store> s)
{
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(s));
}

} // namespace nuage::api

#include "api/token_usage.hpp"

namespace nuage::api {

bool TokenUsage::due(const std::string& token_id, Clock::time_point now)
{
    std::lock_guard lock(mu_);
    auto [it, fresh] = written_.try_emplace(token_id, now);
    if (fresh) {
        return true;
    }
    if (now - it->second < kInterval) {
        return false;
    }
    it->second = now;
    return true;
}

} // namespace nuage::api

#include "api/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace nuage::api {

namespace {
constexpr std::size_t kMaxClients = 10000; // past it, full buckets are forgotten
}

void RateLimiter::forget_idle(Clock::time_point now)
{
    // A bucket that refilled completely is the same as no bucket at all.
    auto full_after = std::chrono::seconds(61);
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        it = now - it->second.at > full_after ? buckets_.erase(it) : std::next(it);
    }
}

std::uint32_t RateLimiter::take(const std::string& client, Clock::time_point now)
{
    if (per_minute_ == 0) {
        return 0;
    }
    std::lock_guard lock(mu_);
    if (buckets_.size() >= kMaxClients) {
        forget_idle(now);
    }
    double rate = per_minute_ / 60.0; // tokens a second
    auto [it, fresh] = buckets_.try_emplace(client, Bucket{double(per_minute_), now});
    Bucket& b = it->second;
    if (!fresh) {
        double elapsed = std::chrono::duration<double>(now - b.at).count();
        b.tokens = std::min<double>(per_minute_, b.tokens + elapsed * rate);
        b.at = now;
    }
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
    }
    return static_cast<std::uint32_t>(std::ceil((1 - b.tokens) / rate));
}

} // namespace nuage::api

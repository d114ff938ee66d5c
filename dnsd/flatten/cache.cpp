#include "dnsd/flatten/cache.hpp"

#include <algorithm>

namespace nuage::flatten {

CacheView CacheEntry::view(Clock::time_point now, const CachePolicy& p) const
{
    if (!have_ || now >= stale_until_) {
        return {};
    }
    return {true, rdatas_, now < expires_ ? ttl_ : std::min(ttl_, p.stale_ttl), chain_, handoff_};
}

void CacheEntry::fetch_succeeded(Clock::time_point now, std::vector<std::string> rdatas,
                                 std::uint32_t ttl, const CachePolicy& p,
                                 std::vector<dns::Name> chain, bool handoff)
{
    chain_ = std::move(chain);
    handoff_ = handoff;
    ttl = std::min(ttl, p.max_ttl);
    have_ = true;
    rdatas_ = std::move(rdatas);
    ttl_ = ttl;
    in_flight_ = false;
    failures_ = 0;
    last_error_.clear();
    auto life = std::chrono::seconds(ttl);
    expires_ = now + life;
    stale_until_ = expires_ + p.stale_max;
    // Refetch before expiry, so that a working upstream never lets the answer go stale.
    auto prefetch = std::chrono::duration_cast<Clock::duration>(life * p.prefetch_at);
    next_fetch_ = now + std::max<Clock::duration>(prefetch, p.min_refresh);
}

void CacheEntry::fetch_failed(Clock::time_point now, std::string why, const CachePolicy& p)
{
    in_flight_ = false;
    last_error_ = std::move(why);
    unsigned shift = std::min(failures_, 5u);
    ++failures_;
    auto backoff = std::min<std::chrono::seconds>(p.retry_min * (1u << shift), p.retry_max);
    next_fetch_ = now + backoff;
    if (have_ && now < expires_) {
        // A failed prefetch: try again before expiry if there is time for it.
        next_fetch_ = std::min(next_fetch_, std::max(now + p.retry_min, expires_));
    }
}

Clock::time_point CacheEntry::next_event(Clock::time_point now) const
{
    Clock::time_point t = Clock::time_point::max();
    if (!in_flight_) {
        t = std::max(next_fetch_, now);
    }
    if (have_ && now < expires_) {
        t = std::min(t, expires_);
    } else if (have_ && now < stale_until_) {
        t = std::min(t, stale_until_);
    }
    return t;
}

} // namespace nuage::flatten

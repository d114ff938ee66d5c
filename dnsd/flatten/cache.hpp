// cache.hpp -- the flattener's cache of upstream answers, one entry per (target, type): a pure
// state machine over a clock the caller passes in, so that its timing is tested without
// sockets or sleeps. An answer is kept for its TTL and refetched before it expires (prefetch,
// at 90 % of the TTL); when the upstream fails it is served stale for up to
// `stale_max` past expiry (RFC 8767), with a short TTL; after that, or before any answer,
// the entry is unknown and its flattened names get SERVFAIL, never a guess (DESIGN §2).
#pragma once

#include "zonestore/dns/name.hpp"

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nuage::flatten {

using Clock = std::chrono::steady_clock;

struct CacheKey {
    dns::Name name; // lowercase
    std::uint16_t qtype = 0;

    auto operator<=>(const CacheKey&) const = default;
    bool operator==(const CacheKey&) const = default;
};

struct CachePolicy {
    std::chrono::seconds stale_max{86400}; // [flattening] stale_max_seconds
    double prefetch_at = 0.9;              // refetch at this fraction of the TTL
    std::chrono::seconds min_refresh{1};   // however small the TTL (0 included)
    std::uint32_t max_ttl = 86400;         // TTLs above are taken as this (RFC 8767 §4 caps too)
    std::uint32_t stale_ttl = 30;          // RFC 8767 §4: the TTL of a stale answer
    std::chrono::seconds retry_min{1};     // after a failure: 1, 2, 4, ... seconds
    std::chrono::seconds retry_max{30};
};

// What flattened names see of an entry.
struct CacheView {
    bool known = false;              // false: SERVFAIL
    std::vector<std::string> rdatas; // known: the addresses (empty: NODATA)
    std::uint32_t ttl = 0;           // known: the TTL to serve (the stale TTL once expired)
    // The CNAME targets the upstream's answer went through, in order: a flattened name
    // answers from the snapshot from the first of them that is in a served zone, never from
    // the upstream's copy of our own data (DESIGN §2: proxy rules apply on the way).
    std::vector<dns::Name> chain;
    bool handoff = false; // the resolver stopped at chain.back(), a name we serve

    bool operator==(const CacheView&) const = default;
};

class CacheEntry {
public:
    // A new entry is unknown and due for its first fetch at once.
    explicit CacheEntry(Clock::time_point now) : next_fetch_(now) {}

    CacheView view(Clock::time_point now, const CachePolicy& p) const;

    // Is a fetch due (not one in flight, and the prefetch or retry time reached)?
    bool fetch_due(Clock::time_point now) const { return !in_flight_ && now >= next_fetch_; }
    void fetch_started() { in_flight_ = true; }
    // The upstream answered (`rdatas` empty: NXDOMAIN or NODATA, which is known).
    void fetch_succeeded(Clock::time_point now, std::vector<std::string> rdatas, std::uint32_t ttl,
                         const CachePolicy& p, std::vector<dns::Name> chain = {},
                         bool handoff = false);
    // Every upstream failed: keep what we have (it goes stale at expiry), retry with backoff.
    void fetch_failed(Clock::time_point now, std::string why, const CachePolicy& p);

    // The next time something happens on its own: a fetch is due, or the view changes
    // (fresh -> stale at expiry, stale -> unknown at the end of serve-stale).
    Clock::time_point next_event(Clock::time_point now) const;

    bool in_flight() const { return in_flight_; }
    unsigned failures() const { return failures_; }
    const std::string& last_error() const { return last_error_; }

    // The view last published for this key: the sweep compares it with view(now).
    std::optional<CacheView> published;

private:
    bool have_ = false;
    std::vector<std::string> rdatas_;
    std::vector<dns::Name> chain_;
    bool handoff_ = false;
    std::uint32_t ttl_ = 0;
    Clock::time_point expires_{}, stale_until_{};
    Clock::time_point next_fetch_;
    bool in_flight_ = false;
    unsigned failures_ = 0;
    std::string last_error_;
};

} // namespace nuage::flatten

// rate_limit.hpp -- a per-client request budget (issue 4 "Bad input"): a token bucket per
// source address that holds `per_minute` requests and refills at per_minute/60 a second.
// Past it the API answers 429 (code 971) with Retry-After. 0 turns it off. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace nuage::api {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(std::uint32_t per_minute) : per_minute_(per_minute) {}

    // Takes one request from `client`'s bucket: 0 when allowed, else the seconds to wait.
    std::uint32_t take(const std::string& client, Clock::time_point now = Clock::now());

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point at;
    };
    void forget_idle(Clock::time_point now);

    std::uint32_t per_minute_;
    std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;
};

} // namespace nuage::api

// token_usage.hpp -- when to write a token's last_used_on (API.md §3): at most once a minute
// per token, so that a busy client does not turn every request into a database write (and
// the DNS path never writes at all). Thread-safe; one per API.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace nuage::api {

class TokenUsage {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::seconds kInterval{60};

    // Is a use of `token_id` at `now` to be written? True for its first use, then at most
    // once per kInterval.
    bool due(const std::string& token_id, Clock::time_point now = Clock::now());

private:
    std::mutex mu_;
    std::unordered_map<std::string, Clock::time_point> written_;
};

} // namespace nuage::api

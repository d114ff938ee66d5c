// serial_pacer.hpp -- when a zone's SOA serial follows its flattened answers. A changed
// flattened answer is served at once, but the serial (and, later, NOTIFY and IXFR) moves at
// most once per `serial_min_interval_seconds` per zone (DESIGN §2): changes inside an interval
// are coalesced into one bump at its end. Pure: the caller passes the clock.
#pragma once

#include "dnsd/flatten/cache.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace nuage::flatten {

class SerialPacer {
public:
    explicit SerialPacer(std::chrono::seconds interval) : interval_(interval) {}

    // The flattened answers of `zone_id` changed.
    void request(std::int64_t zone_id);
    // The zones whose bump is due at `now`; each is counted as bumped at `now`.
    std::vector<std::int64_t> take_due(Clock::time_point now);
    // When the next pending bump is due, if any.
    std::optional<Clock::time_point> next_due() const;
    // A zone that is gone: forget it.
    void forget(std::int64_t zone_id);

private:
    struct Zone {
        std::optional<Clock::time_point> last_bump;
        bool pending = false;
    };
    Clock::time_point due_at(const Zone& z) const;

    std::chrono::seconds interval_;
    std::map<std::int64_t, Zone> zones_;
};

} // namespace nuage::flatten

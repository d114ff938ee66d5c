#include "dnsd/flatten/serial_pacer.hpp"

namespace nuage::flatten {

Clock::time_point SerialPacer::due_at(const Zone& z) const
{
    return z.last_bump ? *z.last_bump + interval_ : Clock::time_point::min();
}

void SerialPacer::request(std::int64_t zone_id)
{
    zones_[zone_id].pending = true;
}

std::vector<std::int64_t> SerialPacer::take_due(Clock::time_point now)
{
    std::vector<std::int64_t> out;
    for (auto& [id, z] : zones_) {
        if (z.pending && due_at(z) <= now) {
            z.pending = false;
            z.last_bump = now;
            out.push_back(id);
        }
    }
    return out;
}

std::optional<Clock::time_point> SerialPacer::next_due() const
{
    std::optional<Clock::time_point> t;
    for (const auto& [id, z] : zones_) {
        if (z.pending && (!t || due_at(z) < *t)) {
            t = due_at(z);
        }
    }
    return t;
}

void SerialPacer::forget(std::int64_t zone_id)
{
    zones_.erase(zone_id);
}

} // namespace nuage::flatten

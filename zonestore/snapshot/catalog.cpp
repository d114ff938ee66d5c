#include "zonestore/snapshot/catalog.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace nuage::snapshot {

Catalog::Catalog(std::vector<ZoneRef> zones, std::uint64_t generation)
    : zones_(std::move(zones)), generation_(generation)
{
    std::size_t cap = std::bit_ceil(std::max<std::size_t>(4, zones_.size() * 2));
    slots_.resize(cap);
    for (const auto& z : zones_) {
        std::uint64_t h = z->origin.hash();
        std::size_t i = h & (cap - 1);
        while (slots_[i].zone) {
            i = (i + 1) & (cap - 1);
        }
        slots_[i] = {h, z.get()};
    }
}

const ZoneData* Catalog::find_exact(const std::uint8_t* name, std::size_t len) const noexcept
{
    if (slots_.empty()) {
        return nullptr;
    }
    std::uint64_t h = dns::name_hash(name, len);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot& s = slots_[i];
        if (!s.zone) {
            return nullptr;
        }
        if (s.hash == h && s.zone->origin.size() == len &&
            std::memcmp(s.zone->origin.data(), name, len) == 0) {
            return s.zone;
        }
    }
}

const ZoneData* Catalog::find_zone(const std::uint8_t* qname, std::size_t len) const noexcept
{
    // Strip labels from the left: the first hit is the longest suffix.
    while (true) {
        if (const ZoneData* z = find_exact(qname, len)) {
            return z;
        }
        if (*qname == 0) {
            return nullptr;
        }
        std::size_t step = 1 + *qname;
        qname += step;
        len -= step;
    }
}

const ZoneData* Catalog::find_parent_zone(const ZoneData& zone) const noexcept
{
    if (zone.origin.is_root()) {
        return nullptr;
    }
    const std::uint8_t* p = zone.origin.data();
    std::size_t step = 1 + *p;
    return find_zone(p + step, zone.origin.size() - step);
}

ZoneRef Catalog::zone_by_id(std::int64_t zone_id) const
{
    for (const auto& z : zones_) {
        if (z->zone_id == zone_id) {
            return z;
        }
    }
    return nullptr;
}

std::shared_ptr<const Catalog> Catalog::with_zone(ZoneRef zone, std::uint64_t generation) const
{
    std::vector<ZoneRef> zs;
    zs.reserve(zones_.size() + 1);
    for (const auto& z : zones_) {
        if (z->zone_id != zone->zone_id) {
            zs.push_back(z);
        }
    }
    zs.push_back(std::move(zone));
    return std::make_shared<const Catalog>(std::move(zs), generation);
}

std::shared_ptr<const Catalog> Catalog::without_zone(std::int64_t zone_id,
                                                     std::uint64_t generation) const
{
    std::vector<ZoneRef> zs;
    for (const auto& z : zones_) {
        if (z->zone_id != zone_id) {
            zs.push_back(z);
        }
    }
    return std::make_shared<const Catalog>(std::move(zs), generation);
}

}  // namespace nuage::snapshot

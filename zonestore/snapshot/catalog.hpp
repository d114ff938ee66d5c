// catalog.hpp -- every served zone, found by the longest suffix of a query name.
// Immutable: a publish builds a new Catalog that shares the unchanged zones with the old one,
// then swaps the pointer (dnsd/publish). Readers hold a CatalogRef for as long as they answer.
#pragma once

#include "zonestore/snapshot/zone_data.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace nuage::snapshot {

class Catalog {
public:
    Catalog() = default;
    explicit Catalog(std::vector<ZoneRef> zones, std::uint64_t generation = 0);

    // The zone with the longest origin that is a suffix of `qname` (lowercase wire), or null.
    const ZoneData* find_zone(const std::uint8_t* qname, std::size_t len) const noexcept;
    const ZoneData* find_zone(const dns::Name& qname) const noexcept
    {
        return find_zone(qname.data(), qname.size());
    }
    // The closest enclosing zone strictly above `zone`'s origin (where its DS lives), or null.
    const ZoneData* find_parent_zone(const ZoneData& zone) const noexcept;

    const std::vector<ZoneRef>& zones() const { return zones_; }
    ZoneRef zone_by_id(std::int64_t zone_id) const;
    std::uint64_t generation() const { return generation_; }

    // A new catalog: `zone` added or replacing the one with the same id, all others shared.
    std::shared_ptr<const Catalog> with_zone(ZoneRef zone, std::uint64_t generation) const;
    std::shared_ptr<const Catalog> without_zone(std::int64_t zone_id,
                                                std::uint64_t generation) const;

private:
    struct Slot {
        std::uint64_t hash = 0;
        const ZoneData* zone = nullptr;
    };
    const ZoneData* find_exact(const std::uint8_t* name, std::size_t len) const noexcept;

    std::vector<ZoneRef> zones_;
    std::vector<Slot> slots_;  // open addressing by origin hash, at most half full
    std::uint64_t generation_ = 0;
};

using CatalogRef = std::shared_ptr<const Catalog>;

}  // namespace nuage::snapshot

// state.hpp -- every flattened name of the served zones, what it last answered and what that
// answer depends on (the zones its walk read, the upstream answers it used), so that a change
// recomputes "only the zone that changed, and the zones whose flattening depends on it"
// (DESIGN §3). Not thread-safe and free of threads: the Flattener guards it; tests drive it
// directly with catalogs and fake upstream answers.
#pragma once

#include "dnsd/flatten/planner.hpp"

#include <map>
#include <optional>
#include <set>
#include <vector>

namespace nuage::flatten {

class FlattenState {
public:
    struct Outcome {
        snapshot::CatalogRef catalog; // to publish: the input itself when nothing changed
        // Zones whose flattened answers changed as sets (TTLs aside), other than the zones
        // the caller rebuilt from the store: their serial should follow (serial_pacer.hpp).
        std::vector<std::int64_t> answers_changed;
    };

    // Writes the flattened answers into `cat`: recomputed for the names of `changed_zones`
    // (rebuilt from the store, or all of them at start), for the names that read one of those
    // zones, and for the names that used one of `changed_keys`. New catalogs get `generation`.
    Outcome apply(snapshot::CatalogRef cat, const std::vector<std::int64_t>& changed_zones,
                  const std::set<CacheKey>& changed_keys, std::uint64_t generation,
                  const Planner::CacheLookup& lookup);

    // Every upstream answer some flattened name uses now.
    std::set<CacheKey> wanted() const;
    std::size_t size() const;

private:
    struct Entry {
        snapshot::FlattenedCname def;
        std::set<std::int64_t> zones;
        std::set<CacheKey> keys;
        std::optional<compile::FlattenedAnswer> last;
    };
    using ZoneEntries = std::map<dns::Name, Entry>;

    bool sync_zones(const snapshot::Catalog& cat, const std::vector<std::int64_t>& changed);
    bool needs_update(std::int64_t zone_id, const Entry& e, bool all,
                      const std::set<std::int64_t>& changed,
                      const std::set<CacheKey>& changed_keys) const;

    std::map<std::int64_t, ZoneEntries> zones_;
    std::set<std::int64_t> present_; // the zone ids of the last catalog seen
};

} // namespace nuage::flatten

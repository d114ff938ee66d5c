#include "dnsd/flatten/state.hpp"

#include <algorithm>

namespace nuage::flatten {

namespace {

template <class T> bool intersects(const std::set<T>& a, const std::set<T>& b)
{
    for (const auto& x : a) {
        if (b.count(x)) {
            return true;
        }
    }
    return false;
}

// Equal as served sets (DESIGN §2: "compared as a set"); TTLs do not count.
bool same_sets(const compile::FlattenedFamily& a, const compile::FlattenedFamily& b)
{
    if (a.known != b.known) {
        return false;
    }
    auto x = a.rdatas, y = b.rdatas;
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    x.erase(std::unique(x.begin(), x.end()), x.end());
    y.erase(std::unique(y.begin(), y.end()), y.end());
    return x == y;
}

} // namespace

// Brings the entries of the changed zones in line with their flattened tables; true when a
// zone appeared or disappeared (a target may have moved into or out of the served zones).
bool FlattenState::sync_zones(const snapshot::Catalog& cat,
                              const std::vector<std::int64_t>& changed)
{
    bool membership = false;
    for (std::int64_t id : changed) {
        snapshot::ZoneRef z = cat.zone_by_id(id);
        bool was = present_.count(id) != 0;
        membership = membership || was != bool(z);
        if (!z) {
            present_.erase(id);
            zones_.erase(id);
            continue;
        }
        present_.insert(id);
        ZoneEntries old = std::move(zones_[id]);
        ZoneEntries& now = zones_[id];
        now.clear();
        if (!z->flattened) {
            zones_.erase(id);
            continue;
        }
        for (const auto& f : *z->flattened) {
            auto it = old.find(f.owner);
            if (it != old.end() && it->second.def == f) {
                now.emplace(f.owner, std::move(it->second));
            } else {
                now.emplace(f.owner, Entry{f, {}, {}, std::nullopt});
            }
        }
    }
    return membership;
}

bool FlattenState::needs_update(std::int64_t zone_id, const Entry& e, bool all,
                                const std::set<std::int64_t>& changed,
                                const std::set<CacheKey>& changed_keys) const
{
    return all || !e.last || changed.count(zone_id) || intersects(e.zones, changed) ||
           intersects(e.keys, changed_keys);
}

FlattenState::Outcome FlattenState::apply(snapshot::CatalogRef cat,
                                          const std::vector<std::int64_t>& changed_zones,
                                          const std::set<CacheKey>& changed_keys,
                                          std::uint64_t generation,
                                          const Planner::CacheLookup& lookup)
{
    bool all = sync_zones(*cat, changed_zones);
    std::set<std::int64_t> changed(changed_zones.begin(), changed_zones.end());
    Planner planner(*cat, lookup);
    std::map<std::int64_t, std::vector<compile::FlattenedAnswer>> writes;
    std::set<std::int64_t> answers_changed;
    for (auto& [zone_id, entries] : zones_) {
        snapshot::ZoneRef zone = cat->zone_by_id(zone_id);
        for (auto& [owner, e] : entries) {
            if (!zone || !needs_update(zone_id, e, all, changed, changed_keys)) {
                continue;
            }
            const FamilyResult& a = planner.resolve(zone_id, e.def, kTypeA);
            const FamilyResult& aaaa = planner.resolve(zone_id, e.def, kTypeAAAA);
            compile::FlattenedAnswer ans{owner, a.family, aaaa.family};
            e.zones = a.zones;
            e.zones.insert(aaaa.zones.begin(), aaaa.zones.end());
            e.keys = a.keys;
            e.keys.insert(aaaa.keys.begin(), aaaa.keys.end());
            if (e.last && !changed.count(zone_id) &&
                (!same_sets(e.last->a, ans.a) || !same_sets(e.last->aaaa, ans.aaaa))) {
                answers_changed.insert(zone_id);
            }
            const snapshot::Node* node = zone->nodes.find(owner);
            if (node && !compile::node_holds(*node, ans)) {
                writes[zone_id].push_back(ans);
            }
            e.last = std::move(ans);
        }
    }
    for (auto& [zone_id, answers] : writes) {
        cat = cat->with_zone(compile::apply_flattened(*cat->zone_by_id(zone_id), answers),
                             generation);
    }
    return {std::move(cat), {answers_changed.begin(), answers_changed.end()}};
}

std::set<CacheKey> FlattenState::wanted() const
{
    std::set<CacheKey> out;
    for (const auto& [id, entries] : zones_) {
        for (const auto& [owner, e] : entries) {
            out.insert(e.keys.begin(), e.keys.end());
        }
    }
    return out;
}

std::size_t FlattenState::size() const
{
    std::size_t n = 0;
    for (const auto& [id, entries] : zones_) {
        n += entries.size();
    }
    return n;
}

} // namespace nuage::flatten

// planner.hpp -- the answer of one flattened name, computed from the published catalog (the
// public view: proxied names already hold edge addresses, so the origin never leaks through
// flattening) and from the upstream cache for targets outside the served zones. Pure: no
// threads, no sockets; the engine's own lookup walks the snapshot (CNAME chains, wildcards,
// delegations, other served zones), so a flattened answer is what a query for the target
// would get.
#pragma once

#include "dnsd/flatten/cache.hpp"
#include "dnsd/flatten/wire.hpp"
#include "zonestore/compile/flattened.hpp"
#include "zonestore/snapshot/catalog.hpp"

#include <functional>
#include <map>
#include <set>
#include <tuple>

namespace nuage::flatten {

struct FamilyResult {
    compile::FlattenedFamily family;
    std::set<std::int64_t> zones; // zones read on the way: a change to one recomputes this
    std::set<CacheKey> keys;      // upstream answers used
};

class Planner {
public:
    using CacheLookup = std::function<CacheView(const CacheKey&)>;

    Planner(const snapshot::Catalog& catalog, CacheLookup lookup)
        : catalog_(catalog), lookup_(std::move(lookup))
    {
    }

    // A or AAAA of flattened CNAME `f` of zone `zone_id`; memoized for the planner's life.
    // A flattened target is resolved through its own answer, not the node it holds now, so
    // the order of computation never matters; a cycle of flattened names is unknown.
    const FamilyResult& resolve(std::int64_t zone_id, const snapshot::FlattenedCname& f,
                                std::uint16_t qtype);

private:
    using Key = std::tuple<std::int64_t, std::string, std::uint16_t>;
    FamilyResult walk(std::int64_t zone_id, const snapshot::FlattenedCname& f, std::uint16_t qtype);
    // The chain from `target` (TTL so far `ttl`) into `r`: in the snapshot, then upstream.
    // `handoffs` counts the returns from upstream chains into served zones (bounded).
    void follow(const dns::Name& target, std::uint32_t ttl, std::uint16_t qtype, FamilyResult& r,
                std::size_t handoffs);
    void external(const dns::Name& name, std::uint16_t qtype, std::uint32_t ttl, FamilyResult& r,
                  std::size_t handoffs);
    // When the chain ends (TTL so far `ttl`) at a flattened name of `zone`: that name's
    // answer into `r`, and true.
    bool through_flattened(const snapshot::ZoneData& zone, const dns::Name& final_name,
                           std::uint32_t ttl, std::uint16_t qtype, FamilyResult& r);

    const snapshot::Catalog& catalog_;
    CacheLookup lookup_;
    std::map<Key, FamilyResult> memo_;
    std::set<Key> in_progress_;
};

} // namespace nuage::flatten

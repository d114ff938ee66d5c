#include "tools/dnsctl/public_export.hpp"

#include "dnsd/flatten/state.hpp"
#include "zonestore/compile/compiler.hpp"
#include "zonestore/store/zone_file_io.hpp"

namespace nuage::dnsctl {

namespace {

constexpr std::uint16_t kA = 1, kAAAA = 28;

// Every zone of the store that compiles, with the flattened names' answers filled in from the
// served zones (upstream answers unknown: that is the running daemon's cache).
snapshot::CatalogRef flattened_catalog(store::Store& st)
{
    std::vector<snapshot::ZoneRef> zones;
    std::vector<std::int64_t> ids;
    for (std::int64_t id : st.zone_ids()) {
        try {
            zones.push_back(compile::compile_zone(st.load_zone_source(id)));
            ids.push_back(id);
        } catch (const store::StoreError&) {
            throw;
        } catch (const std::exception&) {
            // dnsd does not serve a zone that does not compile: it is no target either.
        }
    }
    auto cat = std::make_shared<const snapshot::Catalog>(std::move(zones), 1);
    flatten::FlattenState state;
    auto unknown = [](const flatten::CacheKey&) { return flatten::CacheView{}; };
    return state.apply(cat, ids, {}, 2, unknown).catalog;
}

} // namespace

std::string public_export(store::Store& st, std::int64_t zone_id)
{
    compile::ZoneSource source = st.load_zone_source(zone_id);
    store::PublicFlattened flat;
    snapshot::CatalogRef cat = flattened_catalog(st);
    snapshot::ZoneRef zone = cat->zone_by_id(zone_id);
    for (const auto& f : source.flattened) {
        const snapshot::Node* node = zone ? zone->nodes.find(f.owner) : nullptr;
        bool unknown = !node;
        for (std::uint16_t type : {kA, kAAAA}) {
            if (!node || node->flatten_unknown_for(type)) {
                unknown = true;
                continue;
            }
            if (const snapshot::RRset* s = node->find(type)) {
                s->for_each([&](const std::uint8_t* rd, std::uint16_t len) {
                    flat.answers.push_back({f.owner, type, s->ttl,
                                            std::string(reinterpret_cast<const char*>(rd), len)});
                });
            }
        }
        if (unknown) {
            flat.unresolved.push_back(f.owner);
        }
    }
    return store::export_public(source, flat);
}

} // namespace nuage::dnsctl

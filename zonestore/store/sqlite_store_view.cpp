// The daemon's reads of the SQLite store: the journal, and each zone's public view (rows ->
// view::PublicView -> compile::SourceRecord), read inside one snapshot so that a zone's serial
// and its records agree.
#include "zonestore/db/transaction.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/wire.hpp"
#include "zonestore/store/sqlite_store.hpp"

#include <algorithm>

namespace nuage::store {

// ---- journal ----------------------------------------------------------------------------------

std::int64_t SqliteStore::journal_head()
{
    return guarded([&] {
        auto st = db_.cached("SELECT coalesce(max(seq), 0) FROM journal");
        st->step();
        return st->int64(0);
    });
}

std::vector<JournalEntry> SqliteStore::journal_since(std::int64_t after, std::size_t limit)
{
    return guarded([&] {
        std::vector<JournalEntry> out;
        auto st = db_.cached(
            "SELECT seq, zone_id, kind, names FROM journal WHERE seq > ? ORDER BY seq LIMIT ?");
        st->bind_all(after, static_cast<std::int64_t>(limit));
        while (st->step()) {
            JournalEntry e;
            e.seq = st->int64(0);
            e.zone_id = st->int64(1);
            e.kind = journal_kind_from_text(st->text(2));
            std::string_view names = st->blob(3);
            while (!names.empty()) {
                const auto* p = reinterpret_cast<const std::uint8_t*>(names.data());
                std::size_t len = dns::name_wire_length(p, p + names.size());
                if (len == 0) {
                    throw StoreError("journal entry " + std::to_string(e.seq) + " is corrupt");
                }
                e.names.push_back(*dns::Name::from_wire(names.substr(0, len)));
                names.remove_prefix(len);
            }
            out.push_back(std::move(e));
        }
        return out;
    });
}

std::size_t SqliteStore::prune_journal(std::int64_t through)
{
    return guarded([&] {
        auto st = db_.cached("DELETE FROM journal WHERE seq <= ? AND seq < "
                             "(SELECT max(seq) FROM journal)");
        st->bind_all(through);
        st->step();
        return static_cast<std::size_t>(db_.changes());
    });
}

// ---- the daemon's reads: the public view ------------------------------------------------------

void SqliteStore::set_edge_pools(std::vector<EdgePool> pools)
{
    std::vector<std::pair<std::string, view::EdgeSet>> parsed;
    for (const auto& p : pools) {
        try {
            parsed.emplace_back(p.name, view::parse_edge_set(p.ipv4, p.ipv6));
        } catch (const std::invalid_argument& e) {
            throw StoreError("edge pool " + p.name + ": " + e.what());
        }
    }
    pools_ = std::move(parsed);
    pools_set_ = true;
}

const view::EdgeSet* SqliteStore::pool_of(const Zone& z) const
{
    if (!z.edge_pool) {
        return pools_.empty() ? nullptr : &pools_.front().second; // the default
    }
    for (const auto& [name, set] : pools_) {
        if (*z.edge_pool == name) {
            return &set;
        }
    }
    return nullptr; // named but not configured: never another pool's addresses
}

void SqliteStore::check_proxied_pool(const Zone& z, const Record& r) const
{
    if (!r.proxied || !pools_set_) {
        return;
    }
    const view::EdgeSet* p = pool_of(z);
    if (!p || (p->ipv4.empty() && p->ipv6.empty())) {
        std::string pool = z.edge_pool.value_or(pools_.empty() ? "" : pools_.front().first);
        refuse("proxied",
               pool.empty() ? "no edge pool is configured ([[edge_pools]]): a proxied name "
                              "would have no address"
                            : "the zone's edge pool '" + pool +
                                  "' is not configured or has no address: a proxied name "
                                  "would have no address",
               9041);
    }
    if (r.type != dns::rrtype::A && r.type != dns::rrtype::AAAA) {
        return;
    }
    for (const auto& [name, set] : pools_) {
        const auto& edge = r.type == dns::rrtype::A ? set.ipv4 : set.ipv6;
        if (std::find(edge.begin(), edge.end(), r.rdata) != edge.end()) {
            refuse("content",
                   "Target " + r.content +
                       " is not allowed for a proxied record (an address of the edge pool '" +
                       name + "'): the edge would connect to itself.",
                   9003);
        }
    }
}

std::vector<std::string> SqliteStore::edge_pool_problems()
{
    return guarded([&] {
        std::vector<std::string> out;
        for (const Zone& z : list_zones()) {
            const view::EdgeSet* p = pool_of(z);
            bool empty = p && p->ipv4.empty() && p->ipv6.empty();
            std::string pool = z.edge_pool.value_or(pools_.empty() ? "" : pools_.front().first);
            if (z.edge_pool && !p) {
                out.push_back("zone " + z.name + ": edge_pool '" + *z.edge_pool +
                              "' is not configured ([[edge_pools]])");
            } else if (empty) {
                out.push_back("zone " + z.name + ": edge_pools '" + pool +
                              "' has no ipv4 and no ipv6 address");
            } else if (!p) {
                auto st = db_.cached("SELECT name FROM records WHERE zone_id = ? AND proxied = 1 "
                                     "ORDER BY name LIMIT 1");
                st->bind(1, z.id);
                if (st->step()) {
                    out.push_back("zone " + z.name + ": " + std::string(st->text(0)) +
                                  " is proxied but no edge pool is configured ([[edge_pools]])");
                }
            }
        }
        return out;
    });
}

view::PublicView SqliteStore::view_of(const Zone& z) const
{
    const view::EdgeSet* edges = pool_of(z);
    if (!edges && z.edge_pool && pools_set_) {
        // Set offline without the configuration (dnsctl without --config): compiling would
        // serve the zone's proxied names with no address. The daemon keeps what it serves.
        throw std::runtime_error("zone " + z.name + ": edge_pool '" + *z.edge_pool +
                                 "' is not configured ([[edge_pools]])");
    }
    return view::PublicView(z.origin, z.cname_flattening == CnameFlattening::FlattenAll,
                            edges ? *edges : view::EdgeSet{});
}

compile::ZoneMeta SqliteStore::meta_of(const Zone& z) const
{
    compile::ZoneMeta m;
    m.zone_id = z.id;
    m.origin = z.origin;
    m.soa = z.soa;
    m.name_servers = z.name_servers;
    m.ns_ttl = z.ns_ttl;
    return m;
}

compile::ZoneMeta SqliteStore::load_zone_meta(std::int64_t zone_id)
{
    return guarded([&] { return meta_of(zone_or_throw(zone_id)); });
}

compile::ZoneSource SqliteStore::load_zone_source(std::int64_t zone_id)
{
    return guarded([&] {
        db::ReadTransaction snapshot(db_); // the meta (serial) and the rows agree
        Zone z = zone_or_throw(zone_id);
        compile::ZoneSource src;
        src.meta = meta_of(z);
        view::PublicView view = view_of(z);
        {
            auto n = db_.cached("SELECT count(*) FROM records WHERE zone_id = ?");
            n->bind(1, zone_id).step();
            src.records.reserve(static_cast<std::size_t>(n->int64(0)));
        }
        auto st = db_.cached("SELECT owner, type, ttl, proxied, flatten_cname, rdata, "
                             "settings != '{}' AND json_extract(settings, '$.ipv4_only'), "
                             "settings != '{}' AND json_extract(settings, '$.ipv6_only') "
                             "FROM records WHERE zone_id = ? ORDER BY owner, type");
        st->bind(1, zone_id);
        std::vector<view::ViewRow> rows;
        std::string owner_wire;
        auto flush = [&] {
            if (!rows.empty()) {
                view.add_name(*dns::Name::from_wire(owner_wire), rows, src.records, src.flattened);
                rows.clear();
            }
        };
        while (st->step()) {
            std::string_view owner = st->blob(0);
            if (owner != owner_wire) {
                flush();
                owner_wire.assign(owner);
            }
            rows.push_back({static_cast<std::uint16_t>(st->int64(1)),
                            static_cast<std::uint32_t>(st->int64(2)), st->int64(3) != 0,
                            st->int64(4) != 0, std::string(st->blob(5)), st->int64(6) != 0,
                            st->int64(7) != 0});
        }
        flush();
        return src;
    });
}

std::vector<compile::NameUpdate> SqliteStore::names_view(const Zone& z,
                                                         const std::vector<dns::Name>& names)
{
    view::PublicView view = view_of(z);
    std::vector<compile::NameUpdate> out;
    std::vector<view::ViewRow> rows;
    for (const auto& name : names) {
        auto st = db_.cached("SELECT type, ttl, proxied, flatten_cname, rdata, "
                             "settings != '{}' AND json_extract(settings, '$.ipv4_only'), "
                             "settings != '{}' AND json_extract(settings, '$.ipv6_only') "
                             "FROM records WHERE zone_id = ? AND owner = ? ORDER BY type");
        st->bind_all(z.id, db::Blob{name.wire()});
        rows.clear();
        while (st->step()) {
            rows.push_back({static_cast<std::uint16_t>(st->int64(0)),
                            static_cast<std::uint32_t>(st->int64(1)), st->int64(2) != 0,
                            st->int64(3) != 0, std::string(st->blob(4)), st->int64(5) != 0,
                            st->int64(6) != 0});
        }
        compile::NameUpdate u;
        u.owner = name;
        view.add_name(name, rows, u.records, u.flattened);
        out.push_back(std::move(u));
    }
    return out;
}

std::vector<compile::NameUpdate> SqliteStore::load_names(std::int64_t zone_id,
                                                         const std::vector<dns::Name>& names)
{
    return guarded([&] {
        db::ReadTransaction snapshot(db_);
        return names_view(zone_or_throw(zone_id), names);
    });
}

ZoneUpdate SqliteStore::load_zone_update(std::int64_t zone_id, const std::vector<dns::Name>& names)
{
    return guarded([&] {
        db::ReadTransaction snapshot(db_); // the serial and the rows agree
        Zone z = zone_or_throw(zone_id);
        ZoneUpdate u;
        u.meta = meta_of(z);
        u.names = names_view(z, names);
        return u;
    });
}

} // namespace nuage::store

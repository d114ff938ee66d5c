// Zone-file import into the SQLite store: the whole file is checked in memory with the same
// rules as every other write (record_rules.hpp), then written in one transaction.
#include "zonestore/db/transaction.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/store/clock_ids.hpp"
#include "zonestore/store/content.hpp"
#include "zonestore/store/sqlite_store.hpp"

#include <unordered_map>
#include <unordered_set>

namespace nuage::store {

namespace {

// Checks every record of `zone` against the rules, in file order, as if each were added in
// turn. Throws ImportError at the first refusal, naming its line.
void check_import(const ZoneImport& zone, CnameFlattening flattening)
{
    ZoneRules rules{zone.origin, flattening};
    std::unordered_map<dns::Name, std::vector<RuleRecord>, dns::NameHash> by_name;
    std::unordered_set<dns::Name, dns::NameHash> cuts; // delegations below the apex
    auto fail = [&](const ImportRecord& r, std::optional<FieldError> e) {
        if (e) {
            throw ImportError(zone.file, r.line, std::move(*e));
        }
    };
    for (const auto& r : zone.records) {
        RuleRecord rr = rule_record(r);
        fail(r, check_record(rules, rr));
        auto& others = by_name[r.owner];
        fail(r, check_name(rules, rr, others));
        if (r.type == dns::rrtype::NS && !(r.owner == zone.origin)) {
            cuts.insert(r.owner);
        }
        others.push_back(std::move(rr));
    }
    if (cuts.empty()) {
        return;
    }
    // Below a delegation only glue: walk each record's ancestors up to the apex.
    for (const auto& r : zone.records) {
        for (dns::Name p = r.owner; p.size() > zone.origin.size();) {
            p = p.parent();
            if (p.size() > zone.origin.size() && cuts.count(p)) {
                fail(r, check_below_delegation(rule_record(r), p));
            }
        }
    }
}

Record record_of(const ImportRecord& in, std::int64_t zone_id, const std::string& now)
{
    Record r;
    r.id = new_public_id();
    r.zone_id = zone_id;
    r.owner = in.owner;
    r.name = in.owner.to_text_no_dot();
    r.type = in.type;
    auto shown = rdata_to_content(in.type, in.rdata);
    r.content = std::move(shown.content);
    r.priority = shown.priority;
    r.ttl = in.ttl;
    r.proxied = in.proxied;
    r.flatten_cname = in.flatten_cname;
    r.comment = in.comment;
    r.tags = in.tags;
    r.created_on = r.modified_on = now;
    if (r.comment) {
        r.comment_modified_on = now;
    }
    if (!r.tags.empty()) {
        r.tags_modified_on = now;
    }
    r.rdata = in.rdata;
    return r;
}

} // namespace

Zone SqliteStore::import_zone(const ZoneImport& in, bool replace)
{
    return guarded([&] {
        db::Transaction tx(db_);
        auto existing = find_zone_by_name(in.origin);
        if (existing && !replace) {
            throw ImportError(in.file, 0,
                              {"name",
                               "the zone " + existing->name +
                                   " already exists: --replace replaces all of its records",
                               1061});
        }
        CnameFlattening flattening =
            existing ? existing->cname_flattening : CnameFlattening::FlattenAtRoot;
        check_import(in, flattening);
        ZoneRules rules{in.origin, flattening};
        for (const auto& r : in.records) {
            if (auto e = check_tunnel_route(rules, rule_record(r))) {
                throw ImportError(in.file, r.line, std::move(*e));
            }
        }
        std::string now = now_rfc3339();
        Zone z = existing ? *existing : Zone{};
        z.soa = in.soa;
        z.name_servers = in.name_servers;
        z.ns_ttl = in.ns_ttl;
        z.modified_on = now;
        if (existing) {
            // The file's serial, unless it would not move the zone forward (RFC 1982):
            // secondaries must see every change.
            if (!serial_gt(in.soa.serial, existing->soa.serial)) {
                z.soa.serial = next_serial(existing->soa.serial);
            }
            db_.cached("DELETE FROM records WHERE zone_id = ?")->bind(1, z.id).run();
            write_zone_settings(z);
        } else {
            z.public_id = new_public_id();
            z.origin = in.origin;
            z.name = in.origin.to_text_no_dot();
            z.created_on = now;
            z.id = insert_zone(z);
        }
        for (const auto& r : in.records) {
            insert_record(record_of(r, z.id, now));
        }
        append_journal(
            db_, z.id,
            existing ? JournalEntry::Kind::ZoneReplaced : JournalEntry::Kind::ZoneCreated, {});
        tx.commit();
        return z;
    });
}

} // namespace nuage::store

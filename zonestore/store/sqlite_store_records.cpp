// Record reads and writes of the SQLite store: each write validates against the rows the
// transaction sees (so a batch's later changes see its earlier ones), writes, then bumps the
// serial and appends one journal entry (DESIGN §3).
#include "zonestore/db/transaction.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/store/clock_ids.hpp"
#include "zonestore/store/content.hpp"
#include "zonestore/store/sqlite_store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace nuage::store {

namespace {

using namespace dns::rrtype;

std::vector<std::string> tags_from_json(std::string_view text)
{
    std::vector<std::string> out;
    for (const auto& t : nlohmann::json::parse(text)) {
        out.push_back(t.get<std::string>());
    }
    return out;
}

std::string tags_json(const std::vector<std::string>& tags)
{
    return nlohmann::json(tags).dump();
}

// The settings column (migration 0001: "other settings, JSON object"): the flags that are set.
std::string settings_json(const Record& r)
{
    nlohmann::json j = nlohmann::json::object();
    if (r.ipv4_only) {
        j["ipv4_only"] = true;
    }
    if (r.ipv6_only) {
        j["ipv6_only"] = true;
    }
    return j.dump();
}

void settings_from_json(std::string_view text, Record& r)
{
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_object()) {
        r.ipv4_only = j.value("ipv4_only", false);
        r.ipv6_only = j.value("ipv6_only", false);
    }
}

void dedup(std::vector<dns::Name>& names)
{
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
}

[[noreturn]] void record_not_found(const std::string& id)
{
    throw NotFound("Record does not exist: " + id);
}

} // namespace

const char* const kRecordColumns =
    "public_id, zone_id, name, owner, type, content, priority, ttl, proxied, flatten_cname, "
    "comment, tags, created_on, modified_on, comment_modified_on, tags_modified_on, rdata, "
    "settings";

Record record_from_row(const db::Statement& st)
{
    Record r;
    r.id = st.text(0);
    r.zone_id = st.int64(1);
    r.name = st.text(2);
    r.owner = *dns::Name::from_wire(st.blob(3));
    r.type = static_cast<std::uint16_t>(st.int64(4));
    r.content = st.text(5);
    if (!st.is_null(6)) {
        r.priority = static_cast<std::uint16_t>(st.int64(6));
    }
    r.ttl = static_cast<std::uint32_t>(st.int64(7));
    r.proxied = st.int64(8) != 0;
    r.flatten_cname = st.int64(9) != 0;
    r.comment = st.optional_text(10);
    r.tags = tags_from_json(st.text(11));
    r.created_on = st.text(12);
    r.modified_on = st.text(13);
    r.comment_modified_on = st.optional_text(14);
    r.tags_modified_on = st.optional_text(15);
    r.rdata = st.blob(16);
    settings_from_json(st.text(17), r);
    if (r.type == dns::rrtype::TXT) {
        // Rows written before TXT content was shown as UTF-8 text kept ldns's escapes (\240):
        // TXT content is always the RDATA's, rendered now.
        r.content = rdata_to_content(r.type, r.rdata).content;
    }
    return r;
}

std::vector<RuleRecord> SqliteStore::rules_at(std::int64_t zone_id, const dns::Name& owner,
                                              const std::string* except_id)
{
    std::vector<RuleRecord> out;
    auto st = db_.cached("SELECT type, proxied, flatten_cname, rdata FROM records "
                         "WHERE zone_id = ? AND owner = ? AND public_id != ?");
    st->bind_all(zone_id, db::Blob{owner.wire()}, except_id ? *except_id : std::string());
    while (st->step()) {
        out.push_back(RuleRecord{owner, static_cast<std::uint16_t>(st->int64(0)),
                                 std::string(st->blob(3)), st->int64(1) != 0, st->int64(2) != 0});
    }
    return out;
}

void SqliteStore::check_in_zone(const Zone& z, const Record& r, const std::string* except_id)
{
    ZoneRules rules{z.origin, z.cname_flattening};
    RuleRecord rr = rule_record(r);
    std::string except = except_id ? *except_id : std::string();
    auto fail = [](std::optional<FieldError> e) {
        if (e) {
            throw ValidationError({std::move(*e)});
        }
    };
    fail(check_record(rules, rr));
    // The proxied state of a name's addresses is checked once the whole batch is applied.
    fail(check_name(rules, rr, rules_at(z.id, r.owner, except_id), false));
    fail(check_tunnel_route(rules, rr));
    check_proxied_pool(z, r);
    // Delegations above: names strictly between the owner and the apex.
    for (dns::Name p = r.owner; p.size() > z.origin.size();) {
        p = p.parent();
        if (p.size() <= z.origin.size()) {
            break;
        }
        auto st = db_.cached("SELECT 1 FROM records WHERE zone_id = ? AND owner = ? AND type = 2 "
                             "AND public_id != ? LIMIT 1");
        st->bind_all(z.id, db::Blob{p.wire()}, except);
        if (st->step()) {
            fail(check_below_delegation(rr, p));
        }
    }
    // A new delegation: everything below it must be glue.
    if (rr.type == NS && !(r.owner == z.origin)) {
        auto st = db_.cached(
            "SELECT owner, type, proxied FROM records WHERE zone_id = ? AND "
            "nuage_below(owner, ?) AND (type NOT IN (1, 28) OR proxied = 1) AND public_id != ? "
            "LIMIT 1");
        st->bind_all(z.id, db::Blob{r.owner.wire()}, except);
        if (st->step()) {
            RuleRecord below{*dns::Name::from_wire(st->blob(0)),
                             static_cast<std::uint16_t>(st->int64(1)),
                             {},
                             st->int64(2) != 0};
            fail(check_delegation_over(rr, below));
        }
    }
}

void SqliteStore::check_flattening_change(const Zone& z, CnameFlattening value)
{
    if (value == CnameFlattening::FlattenAll) {
        return;
    }
    // Below the apex, a CNAME sharing its name without its own flatten_cname relies on
    // flatten_all.
    auto st =
        db_.cached("SELECT c.name FROM records c JOIN records o ON o.zone_id = c.zone_id AND "
                   "o.owner = c.owner AND o.id != c.id WHERE c.zone_id = ? AND c.type = 5 AND "
                   "c.flatten_cname = 0 AND c.owner != ? LIMIT 1");
    st->bind_all(z.id, db::Blob{z.origin.wire()});
    if (st->step()) {
        refuse("cname_flattening", "the CNAME at " + std::string(st->text(0)) +
                                       " shares its name with other records, which only "
                                       "flatten_all allows");
    }
}

std::optional<Record> SqliteStore::find_record(std::int64_t zone_id, const std::string& record_id)
{
    auto st = db_.cached(std::string("SELECT ") + kRecordColumns +
                         " FROM records WHERE zone_id = ? AND public_id = ?");
    st->bind_all(zone_id, record_id);
    if (!st->step()) {
        return std::nullopt;
    }
    return record_from_row(*st);
}

void SqliteStore::insert_record(const Record& r)
{
    auto st = db_.cached("INSERT INTO records (public_id, zone_id, name, owner, type, content, "
                         "priority, ttl, proxied, flatten_cname, comment, tags, created_on, "
                         "modified_on, comment_modified_on, tags_modified_on, rdata, settings) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st->bind_all(r.id, r.zone_id, r.name, db::Blob{r.owner.wire()}, r.type, r.content, r.priority,
                 r.ttl, r.proxied, r.flatten_cname, r.comment, tags_json(r.tags), r.created_on,
                 r.modified_on, r.comment_modified_on, r.tags_modified_on, db::Blob{r.rdata},
                 settings_json(r))
        .run();
}

void SqliteStore::update_row(const Record& r)
{
    auto st = db_.cached("UPDATE records SET name = ?, owner = ?, type = ?, content = ?, "
                         "priority = ?, ttl = ?, proxied = ?, flatten_cname = ?, comment = ?, "
                         "tags = ?, modified_on = ?, comment_modified_on = ?, "
                         "tags_modified_on = ?, rdata = ?, settings = ? WHERE zone_id = ? AND "
                         "public_id = ?");
    st->bind_all(r.name, db::Blob{r.owner.wire()}, r.type, r.content, r.priority, r.ttl, r.proxied,
                 r.flatten_cname, r.comment, tags_json(r.tags), r.modified_on,
                 r.comment_modified_on, r.tags_modified_on, db::Blob{r.rdata}, settings_json(r),
                 r.zone_id, r.id)
        .run();
}

void SqliteStore::delete_row(std::int64_t zone_id, const std::string& record_id)
{
    db_.cached("DELETE FROM records WHERE zone_id = ? AND public_id = ?")
        ->bind_all(zone_id, record_id)
        .run();
}

std::vector<Record> SqliteStore::list_records(std::int64_t zone_id, const RecordFilter& f)
{
    return guarded([&] {
        std::vector<Record> out;
        auto st = db_.cached(std::string("SELECT ") + kRecordColumns +
                             " FROM records WHERE zone_id = ?1 AND (?2 IS NULL OR owner = ?2) "
                             "AND (?3 IS NULL OR type = ?3) ORDER BY name, type, content");
        st->bind(1, zone_id);
        if (f.owner) {
            st->bind(2, db::Blob{f.owner->wire()});
        }
        if (f.type) {
            st->bind(3, *f.type);
        }
        while (st->step()) {
            out.push_back(record_from_row(*st));
        }
        return out;
    });
}

std::vector<Record> SqliteStore::exposure_candidates(const Record& changed)
{
    return guarded([&] {
        // An address record's RDATA in both forms: IPv4 and its IPv4-mapped IPv6 (and back).
        static const std::string kMapped("\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
        std::string addr = changed.rdata, other;
        if (addr.size() == 4) {
            other = kMapped + addr;
        } else if (addr.size() == 16 && addr.compare(0, 12, kMapped) == 0) {
            other = addr.substr(12);
        }
        std::vector<Record> out;
        auto st = db_.cached(std::string("SELECT ") + kRecordColumns +
                             " FROM records WHERE proxied = 1 OR type IN (12, 16, 64, 65) OR "
                             "(type IN (1, 28) AND rdata IN (?1, ?2))");
        st->bind_all(db::Blob{addr}, db::Blob{other});
        while (st->step()) {
            out.push_back(record_from_row(*st));
        }
        return out;
    });
}

Record SqliteStore::get_record(std::int64_t zone_id, const std::string& record_id)
{
    return guarded([&] {
        auto r = find_record(zone_id, record_id);
        if (!r) {
            record_not_found(record_id);
        }
        return *r;
    });
}

Record SqliteStore::create_record(std::int64_t zone_id, const RecordInput& in)
{
    RecordBatch b;
    b.creates.push_back(in);
    return apply_batch(zone_id, b).created.front();
}

Record SqliteStore::update_record(std::int64_t zone_id, const std::string& record_id,
                                  const RecordInput& in)
{
    RecordBatch b;
    b.updates.emplace_back(record_id, in);
    return apply_batch(zone_id, b).updated.front();
}

void SqliteStore::delete_record(std::int64_t zone_id, const std::string& record_id)
{
    RecordBatch b;
    b.deletes.push_back(record_id);
    apply_batch(zone_id, b);
}

BatchResult SqliteStore::apply_batch(std::int64_t zone_id, const RecordBatch& batch)
{
    return guarded([&] {
        db::Transaction tx(db_);
        Zone z = zone_or_throw(zone_id);
        std::string now = now_rfc3339();
        std::vector<dns::Name> touched;
        BatchResult res;
        for (const auto& id : batch.deletes) {
            auto old = find_record(z.id, id);
            if (!old) {
                record_not_found(id);
            }
            delete_row(z.id, id);
            touched.push_back(old->owner);
            res.deleted.push_back(id);
        }
        for (const auto& [id, in] : batch.updates) {
            auto old = find_record(z.id, id);
            if (!old) {
                record_not_found(id);
            }
            Record r = prepare_record(z, in);
            check_in_zone(z, r, &id);
            r.id = old->id;
            r.created_on = old->created_on;
            r.modified_on = now;
            r.comment_modified_on = r.comment == old->comment ? old->comment_modified_on
                                                              : std::optional<std::string>(now);
            r.tags_modified_on =
                r.tags == old->tags ? old->tags_modified_on : std::optional<std::string>(now);
            update_row(r);
            touched.push_back(old->owner);
            touched.push_back(r.owner);
            res.updated.push_back(std::move(r));
        }
        for (const auto& in : batch.creates) {
            Record r = prepare_record(z, in);
            check_in_zone(z, r, nullptr);
            r.id = new_public_id();
            r.created_on = r.modified_on = now;
            if (r.comment) {
                r.comment_modified_on = now;
            }
            if (!r.tags.empty()) {
                r.tags_modified_on = now;
            }
            insert_record(r);
            touched.push_back(r.owner);
            res.created.push_back(std::move(r));
        }
        if (!touched.empty()) {
            dedup(touched);
            for (const auto& name : touched) {
                if (auto e = check_proxied_state(name, rules_at(z.id, name, nullptr))) {
                    throw ValidationError({std::move(*e)});
                }
            }
            finish_write(z, JournalEntry::Kind::Records, touched);
        }
        tx.commit();
        return res;
    });
}

} // namespace nuage::store

#include "zonestore/store/sqlite_store.hpp"

#include "zonestore/db/migrate.hpp"
#include "zonestore/db/transaction.hpp"
#include "zonestore/dns/wire.hpp"
#include "zonestore/store/clock_ids.hpp"
#include "zonestore/store/host_name.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace nuage::store {

namespace {

const char* const kZoneColumns =
    "id, public_id, name, status, soa_mname, soa_rname, soa_serial, soa_refresh, soa_retry, "
    "soa_expire, soa_minimum, soa_ttl, name_servers, ns_ttl, cname_flattening, edge_pool, "
    "created_on, modified_on, activated_on, vanity_name_servers";

dns::Name name_no_dot(std::string_view text)
{
    static const dns::Name root;
    return dns::Name::parse(text, &root);
}

std::string names_json(const std::vector<dns::Name>& names)
{
    nlohmann::json j = nlohmann::json::array();
    for (const auto& n : names) {
        j.push_back(n.to_text_no_dot());
    }
    return j.dump();
}

Zone zone_from_row(const db::Statement& st)
{
    Zone z;
    z.id = st.int64(0);
    z.public_id = st.text(1);
    z.name = st.text(2);
    z.origin = name_no_dot(z.name);
    z.status = st.text(3);
    z.soa.mname = name_no_dot(st.text(4));
    z.soa.rname = name_no_dot(st.text(5));
    z.soa.serial = static_cast<std::uint32_t>(st.int64(6));
    z.soa.refresh = static_cast<std::uint32_t>(st.int64(7));
    z.soa.retry = static_cast<std::uint32_t>(st.int64(8));
    z.soa.expire = static_cast<std::uint32_t>(st.int64(9));
    z.soa.minimum = static_cast<std::uint32_t>(st.int64(10));
    z.soa.ttl = static_cast<std::uint32_t>(st.int64(11));
    for (const auto& n : nlohmann::json::parse(st.text(12))) {
        z.name_servers.push_back(name_no_dot(n.get<std::string>()));
    }
    z.ns_ttl = static_cast<std::uint32_t>(st.int64(13));
    z.cname_flattening =
        cname_flattening_from_string(st.text(14)).value_or(CnameFlattening::FlattenAtRoot);
    z.edge_pool = st.optional_text(15);
    z.created_on = st.text(16);
    z.modified_on = st.text(17);
    z.activated_on = st.optional_text(18);
    for (const auto& n : nlohmann::json::parse(st.text(19))) {
        z.vanity_name_servers.push_back(name_no_dot(n.get<std::string>()));
    }
    return z;
}

// nuage_below(owner, cut): is the wire name `owner` strictly below `cut`? Label-exact, which a
// byte-suffix test of the wire or text form would not be.
void sql_below(sqlite3_context* ctx, int, sqlite3_value** argv)
{
    auto blob = [](sqlite3_value* v) {
        return std::string_view(static_cast<const char*>(sqlite3_value_blob(v)),
                                static_cast<std::size_t>(sqlite3_value_bytes(v)));
    };
    auto owner = dns::Name::from_wire(blob(argv[0]));
    auto cut = dns::Name::from_wire(blob(argv[1]));
    bool below = owner && cut && owner->size() > cut->size() && owner->is_subdomain_of(*cut);
    sqlite3_result_int(ctx, below ? 1 : 0);
}

// A user's name as an LDH domain name (IDN labels as punycode), with or without the trailing
// dot; `two_labels` asks for a host name of at least two labels. nullopt with `why` set.
std::optional<dns::Name> ldh_name(std::string_view text, bool two_labels, std::string& why)
{
    std::string_view body = text;
    if (body.ends_with('.')) {
        body.remove_suffix(1);
    }
    why = "the name is empty";
    auto ascii = body.empty() ? std::optional<std::string>() : idn_to_ascii(body, &why);
    if (ascii) {
        if (auto problem = host_name_problem(*ascii, HostNameKind::Zone)) {
            why = *problem;
            ascii.reset();
        } else if (two_labels && ascii->find('.') == std::string::npos) {
            why = "a host name has at least two labels";
            ascii.reset();
        } else if (ascii->size() > kMaxHostNameText) {
            why = "it is longer than 253 characters";
            ascii.reset();
        }
    }
    static const dns::Name root;
    return ascii ? dns::Name::from_text(*ascii + ".", &root, &why) : std::nullopt;
}

// The zone a user names: no wildcard. Throws ValidationError (field "name", 1049).
dns::Name zone_origin(std::string_view text)
{
    std::string why;
    auto origin = ldh_name(text, false, why);
    if (!origin) {
        refuse("name", "'" + printable(text) + "' is not a valid zone name: " + why, 1049);
    }
    return *origin;
}

// A host name given in a zone setting (a name server, the SOA mname).
dns::Name host_or_refuse(std::string_view text, const std::string& field)
{
    std::string why;
    auto n = ldh_name(text, true, why);
    if (!n) {
        refuse(field, "'" + printable(text) + "' is not a host name: " + why);
    }
    return *n;
}

// The SOA rname (RFC 1035 §3.3.13): a mailbox as a name, "hostmaster.example.com", or as an
// address, "hostmaster@example.com" (its local part becomes the first label, dots and all).
dns::Name mailbox_or_refuse(std::string_view text, const std::string& field)
{
    auto at = text.find('@');
    if (at == std::string_view::npos) {
        return host_or_refuse(text, field);
    }
    std::string_view local = text.substr(0, at);
    bool ok = !local.empty() && local.size() <= 63 &&
              std::all_of(local.begin(), local.end(),
                          [](unsigned char c) { return c > 0x20 && c < 0x7f && c != '@'; });
    if (!ok) {
        refuse(field, "'" + printable(text) +
                          "' is not a mailbox: the part before '@' is 1 to 63 "
                          "printable characters");
    }
    return host_or_refuse(text.substr(at + 1), field).prepend_label(local);
}

} // namespace

const char* journal_kind_text(JournalEntry::Kind k)
{
    switch (k) {
    case JournalEntry::Kind::ZoneCreated:
        return "zone_created";
    case JournalEntry::Kind::ZoneDeleted:
        return "zone_deleted";
    case JournalEntry::Kind::ZoneReplaced:
        return "zone_replaced";
    case JournalEntry::Kind::ZoneSettings:
        return "zone_settings";
    case JournalEntry::Kind::Records:
        break;
    }
    return "records";
}

JournalEntry::Kind journal_kind_from_text(std::string_view s)
{
    using K = JournalEntry::Kind;
    for (K k : {K::ZoneCreated, K::ZoneDeleted, K::ZoneReplaced, K::ZoneSettings}) {
        if (s == journal_kind_text(k)) {
            return k;
        }
    }
    return K::Records;
}

const char* to_string(CnameFlattening f)
{
    return f == CnameFlattening::FlattenAll ? "flatten_all" : "flatten_at_root";
}

std::optional<CnameFlattening> cname_flattening_from_string(std::string_view s)
{
    if (s == "flatten_at_root") {
        return CnameFlattening::FlattenAtRoot;
    }
    if (s == "flatten_all") {
        return CnameFlattening::FlattenAll;
    }
    return std::nullopt;
}

ValidationError::ValidationError(std::vector<FieldError> errs)
    : std::runtime_error([&] {
          std::string s;
          for (const auto& e : errs) {
              s += (s.empty() ? "" : "; ") + e.field + ": " + e.message;
          }
          return s;
      }()),
      errors(std::move(errs))
{
}

ImportError::ImportError(std::string f, int l, FieldError err)
    : ValidationError({err}), file(std::move(f)), line(l)
{
    text = file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
    if (!err.field.empty()) {
        text += err.field + ": ";
    }
    text += err.message;
}

std::unique_ptr<Store> Store::open(const std::string& path)
{
    return guarded([&]() -> std::unique_ptr<Store> { return std::make_unique<SqliteStore>(path); });
}

SqliteStore::SqliteStore(const std::string& path) : db_(path)
{
    db::check(db_.handle(),
              sqlite3_create_function(db_.handle(), "nuage_below", 2,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, sql_below,
                                      nullptr, nullptr),
              "cannot register nuage_below");
    try {
        db::migrate(db_);
    } catch (const db::DbError& e) {
        throw StoreError("cannot migrate database " + path + ": " + e.what());
    }
}

void append_journal(db::Database& db, std::int64_t zone_id, JournalEntry::Kind kind,
                    const std::vector<dns::Name>& names)
{
    std::string blob;
    for (const auto& n : names) {
        blob += n.wire();
    }
    auto st = db.cached("INSERT INTO journal (zone_id, kind, names, created_on) "
                        "VALUES (?, ?, ?, ?)");
    st->bind_all(zone_id, journal_kind_text(kind), db::Blob{blob}, now_rfc3339()).run();
}

// ---- zones ----------------------------------------------------------------------------------

std::optional<Zone> SqliteStore::zone_where(const char* where,
                                            const std::function<void(db::Statement&)>& bind)
{
    auto st = db_.cached(std::string("SELECT ") + kZoneColumns + " FROM zones WHERE " + where);
    bind(*st);
    if (!st->step()) {
        return std::nullopt;
    }
    return zone_from_row(*st);
}

Zone SqliteStore::zone_or_throw(std::int64_t zone_id)
{
    auto z = zone_where("id = ?", [&](db::Statement& s) { s.bind(1, zone_id); });
    if (!z) {
        throw NotFound("no zone with id " + std::to_string(zone_id));
    }
    return *z;
}

std::optional<Zone> SqliteStore::find_zone(std::int64_t zone_id)
{
    return guarded(
        [&] { return zone_where("id = ?", [&](db::Statement& s) { s.bind(1, zone_id); }); });
}

std::optional<Zone> SqliteStore::find_zone_by_name(const dns::Name& origin)
{
    return guarded([&] {
        return zone_where("name = ?",
                          [&](db::Statement& s) { s.bind(1, origin.to_text_no_dot()); });
    });
}

std::optional<Zone> SqliteStore::find_zone_by_public_id(const std::string& public_id)
{
    return guarded([&] {
        return zone_where("public_id = ?", [&](db::Statement& s) { s.bind(1, public_id); });
    });
}

std::vector<Zone> SqliteStore::list_zones()
{
    return guarded([&] {
        std::vector<Zone> out;
        auto st = db_.cached(std::string("SELECT ") + kZoneColumns + " FROM zones ORDER BY name");
        while (st->step()) {
            out.push_back(zone_from_row(*st));
        }
        return out;
    });
}

std::vector<std::int64_t> SqliteStore::zone_ids()
{
    return guarded([&] {
        std::vector<std::int64_t> out;
        auto st = db_.cached("SELECT id FROM zones ORDER BY id");
        while (st->step()) {
            out.push_back(st->int64(0));
        }
        return out;
    });
}

std::int64_t SqliteStore::insert_zone(const Zone& z)
{
    auto st = db_.cached(
        "INSERT INTO zones (public_id, name, status, soa_mname, soa_rname, soa_serial, "
        "soa_refresh, soa_retry, soa_expire, soa_minimum, soa_ttl, name_servers, ns_ttl, "
        "cname_flattening, edge_pool, created_on, modified_on, activated_on, "
        "vanity_name_servers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st->bind_all(z.public_id, z.name, z.status, z.soa.mname.to_text_no_dot(),
                 z.soa.rname.to_text_no_dot(), z.soa.serial, z.soa.refresh, z.soa.retry,
                 z.soa.expire, z.soa.minimum, z.soa.ttl, names_json(z.name_servers), z.ns_ttl,
                 to_string(z.cname_flattening), z.edge_pool, z.created_on, z.modified_on,
                 z.activated_on, names_json(z.vanity_name_servers))
        .run();
    return db_.last_insert_rowid();
}

void SqliteStore::write_zone_settings(const Zone& z)
{
    auto st = db_.cached(
        "UPDATE zones SET status = ?, soa_mname = ?, soa_rname = ?, soa_serial = ?, "
        "soa_refresh = ?, soa_retry = ?, soa_expire = ?, soa_minimum = ?, soa_ttl = ?, "
        "name_servers = ?, ns_ttl = ?, cname_flattening = ?, edge_pool = ?, modified_on = ?, "
        "activated_on = ?, vanity_name_servers = ? WHERE id = ?");
    st->bind_all(z.status, z.soa.mname.to_text_no_dot(), z.soa.rname.to_text_no_dot(), z.soa.serial,
                 z.soa.refresh, z.soa.retry, z.soa.expire, z.soa.minimum, z.soa.ttl,
                 names_json(z.name_servers), z.ns_ttl, to_string(z.cname_flattening), z.edge_pool,
                 z.modified_on, z.activated_on, names_json(z.vanity_name_servers), z.id)
        .run();
}

void SqliteStore::finish_write(Zone& z, JournalEntry::Kind kind,
                               const std::vector<dns::Name>& names)
{
    z.soa.serial = next_serial(z.soa.serial);
    z.modified_on = now_rfc3339();
    write_zone_settings(z);
    append_journal(db_, z.id, kind, names);
}

Zone SqliteStore::create_zone(const ZoneCreate& req)
{
    auto origin = zone_origin(req.name);
    if (req.name_servers.empty()) {
        refuse("name_servers", "a zone needs at least one name server (--ns, or [zones] "
                               "name_servers in the configuration)");
    }
    Zone z;
    z.public_id = new_public_id();
    z.origin = origin;
    z.name = origin.to_text_no_dot();
    z.name_servers = req.name_servers;
    if (req.soa) {
        z.soa = *req.soa;
    } else {
        z.soa.mname = req.name_servers.front();
        z.soa.rname = origin.prepend_label("hostmaster");
        z.soa.serial = date_serial();
        z.soa.minimum = 300;
    }
    z.created_on = z.modified_on = now_rfc3339();
    return guarded([&] {
        db::Transaction tx(db_);
        if (zone_where("name = ?", [&](db::Statement& s) { s.bind(1, z.name); })) {
            refuse("name", z.name + " already exists", 1061);
        }
        z.id = insert_zone(z);
        append_journal(db_, z.id, JournalEntry::Kind::ZoneCreated, {});
        tx.commit();
        return z;
    });
}

void SqliteStore::delete_zone(std::int64_t zone_id)
{
    guarded([&] {
        db::Transaction tx(db_);
        zone_or_throw(zone_id);
        db_.cached("DELETE FROM zones WHERE id = ?")->bind(1, zone_id).run();
        append_journal(db_, zone_id, JournalEntry::Kind::ZoneDeleted, {});
        tx.commit();
    });
}

Zone SqliteStore::set_cname_flattening(std::int64_t zone_id, CnameFlattening value)
{
    return guarded([&] {
        db::Transaction tx(db_);
        Zone z = zone_or_throw(zone_id);
        if (value == CnameFlattening::FlattenAtRoot) {
            check_flattening_change(z, value);
        } else {
            check_routes_flattenable(z);
        }
        z.cname_flattening = value;
        finish_write(z, JournalEntry::Kind::ZoneSettings, {});
        tx.commit();
        return z;
    });
}

Zone SqliteStore::set_edge_pool(std::int64_t zone_id, std::optional<std::string> pool)
{
    if (pool && pool->empty()) {
        refuse("edge_pool", "the pool name is empty");
    }
    if (pool && pools_set_) {
        // Once the configuration is known, a zone never names a pool dnsd would refuse.
        auto it = std::find_if(pools_.begin(), pools_.end(),
                               [&](const auto& p) { return p.first == *pool; });
        if (it == pools_.end()) {
            refuse("edge_pool", "no edge pool named '" + *pool + "' is configured");
        }
        if (it->second.ipv4.empty() && it->second.ipv6.empty()) {
            refuse("edge_pool", "the edge pool '" + *pool + "' has no address");
        }
    }
    return guarded([&] {
        db::Transaction tx(db_);
        Zone z = zone_or_throw(zone_id);
        z.edge_pool = std::move(pool);
        finish_write(z, JournalEntry::Kind::ZoneSettings, {});
        tx.commit();
        return z;
    });
}

Zone SqliteStore::set_zone_status(std::int64_t zone_id, const std::string& status)
{
    if (status != "pending" && status != "active") {
        refuse("status", "status is 'pending' or 'active'");
    }
    return guarded([&] {
        db::Transaction tx(db_);
        Zone z = zone_or_throw(zone_id);
        if (status == "active" && z.status != "active") {
            z.activated_on = now_rfc3339();
        }
        z.status = status;
        z.modified_on = now_rfc3339();
        write_zone_settings(z); // the public view does not change: no serial, no journal
        tx.commit();
        return z;
    });
}

Zone SqliteStore::set_vanity_name_servers(std::int64_t zone_id,
                                          const std::vector<std::string>& names)
{
    std::vector<dns::Name> parsed;
    for (std::size_t i = 0; i < names.size(); ++i) {
        parsed.push_back(
            host_or_refuse(names[i], "vanity_name_servers[" + std::to_string(i) + "]"));
    }
    return guarded([&] {
        db::Transaction tx(db_);
        Zone z = zone_or_throw(zone_id);
        z.vanity_name_servers = std::move(parsed);
        z.modified_on = now_rfc3339();
        write_zone_settings(z); // shown only: the public view does not change
        tx.commit();
        return z;
    });
}

Zone SqliteStore::set_zone_dns(std::int64_t zone_id, const ZoneDnsChange& c)
{
    // Cloudflare's ranges for these settings (API.md §4 dns_settings).
    auto ranged = [](const std::optional<std::int64_t>& v, const char* field, std::int64_t lo,
                     std::int64_t hi, std::uint32_t& dst) {
        if (!v) {
            return;
        }
        if (*v < lo || *v > hi) {
            refuse(field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                              " seconds (" + std::to_string(*v) + " given)");
        }
        dst = static_cast<std::uint32_t>(*v);
    };
    return guarded([&] {
        db::Transaction tx(db_);
        Zone z = zone_or_throw(zone_id);
        ranged(c.ns_ttl, "ns_ttl", 30, 86400, z.ns_ttl);
        ranged(c.refresh, "soa.refresh", 600, 86400, z.soa.refresh);
        ranged(c.retry, "soa.retry", 600, 86400, z.soa.retry);
        ranged(c.expire, "soa.expire", 86400, 2419200, z.soa.expire);
        ranged(c.min_ttl, "soa.min_ttl", 60, 86400, z.soa.minimum);
        ranged(c.ttl, "soa.ttl", 300, 86400, z.soa.ttl);
        if (c.mname) {
            z.soa.mname = host_or_refuse(*c.mname, "soa.mname");
        }
        if (c.rname) {
            z.soa.rname = mailbox_or_refuse(*c.rname, "soa.rname");
        }
        finish_write(z, JournalEntry::Kind::ZoneSettings, {});
        tx.commit();
        return z;
    });
}

std::uint32_t SqliteStore::bump_serial(std::int64_t zone_id)
{
    return guarded([&] {
        db::Transaction tx(db_);
        Zone z = zone_or_throw(zone_id);
        z.soa.serial = next_serial(z.soa.serial);
        auto st = db_.cached("UPDATE zones SET soa_serial = ? WHERE id = ?");
        st->bind_all(static_cast<std::int64_t>(z.soa.serial), zone_id);
        st->run();
        tx.commit();
        return z.soa.serial;
    });
}

void SqliteStore::backup(const std::string& dest)
{
    guarded([&] { db_.backup_to(dest); });
}

} // namespace nuage::store

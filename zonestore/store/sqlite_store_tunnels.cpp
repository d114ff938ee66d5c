// Tunnels in the SQLite store (migration 0002): create, list, rename, soft delete, secret
// checks and connection reports; and the tunnel-route rule every record write applies (a
// CNAME into the tunnel domain must name a live tunnel, DESIGN §2 "Tunnels").
#include "zonestore/db/transaction.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/wire.hpp"
#include "zonestore/store/clock_ids.hpp"
#include "zonestore/store/sqlite_store.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

namespace nuage::store {

namespace {

const char* const kTunnelColumns =
    "public_id, name, config_src, created_at, deleted_at, conns_active_at, conns_inactive_at, "
    "reported_at, connections";

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(dns::to_lower(static_cast<std::uint8_t>(c)));
    }
    return out;
}

std::string connections_json(const std::vector<TunnelConnection>& conns)
{
    nlohmann::json a = nlohmann::json::array();
    for (const auto& c : conns) {
        a.push_back({{"id", c.id},
                     {"client_id", c.client_id},
                     {"client_version", c.client_version},
                     {"colo_name", c.colo_name},
                     {"is_pending_reconnect", c.is_pending_reconnect},
                     {"opened_at", c.opened_at},
                     {"origin_ip", c.origin_ip}});
    }
    return a.dump();
}

std::vector<TunnelConnection> connections_from_json(std::string_view text)
{
    std::vector<TunnelConnection> out;
    for (const auto& j : nlohmann::json::parse(text)) {
        TunnelConnection c;
        c.id = j.value("id", "");
        c.client_id = j.value("client_id", "");
        c.client_version = j.value("client_version", "");
        c.colo_name = j.value("colo_name", "");
        c.is_pending_reconnect = j.value("is_pending_reconnect", false);
        c.opened_at = j.value("opened_at", "");
        c.origin_ip = j.value("origin_ip", "");
        out.push_back(std::move(c));
    }
    return out;
}

Tunnel tunnel_from_row(const db::Statement& st)
{
    Tunnel t;
    t.id = st.text(0);
    t.name = st.text(1);
    t.config_src = st.text(2);
    t.created_at = st.text(3);
    t.deleted_at = st.optional_text(4);
    t.conns_active_at = st.optional_text(5);
    t.conns_inactive_at = st.optional_text(6);
    t.reported_at = st.optional_text(7);
    t.connections = connections_from_json(st.text(8));
    t.status = tunnel_status(t, std::chrono::system_clock::now());
    return t;
}

void check_tunnel_name(const std::string& name)
{
    if (name.empty() || name.size() > 255) {
        refuse("name", "a tunnel's name is 1 to 255 characters");
    }
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7f) {
            refuse("name", "a tunnel's name has no control characters");
        }
    }
}

// The SHA-256 of a secret given as base64 of at least 32 bytes (API.md §7).
std::string secret_hash_of(const std::string& b64)
{
    auto bytes = decode_tunnel_secret(b64);
    if (!bytes) {
        refuse("tunnel_secret", "the tunnel secret must be base64");
    }
    if (bytes->size() < kTunnelSecretMinBytes) {
        refuse("tunnel_secret", "the tunnel secret must be at least 32 bytes (base64 of " +
                                    std::to_string(bytes->size()) + " given)");
    }
    return tunnel_secret_hash(*bytes);
}

bool matches(const Tunnel& t, const TunnelFilter& f, const std::optional<RfcTime>& existed)
{
    if (f.name && t.name != *f.name) {
        return false;
    }
    if (f.uuid && t.id != lower(*f.uuid)) {
        return false;
    }
    if (f.is_deleted && t.deleted() != *f.is_deleted) {
        return false;
    }
    if (f.include_prefix && t.name.rfind(*f.include_prefix, 0) != 0) {
        return false;
    }
    if (f.exclude_prefix && t.name.rfind(*f.exclude_prefix, 0) == 0) {
        return false;
    }
    if (f.status && t.status != *f.status) {
        return false;
    }
    if (existed) {
        auto created = parse_rfc3339(t.created_at);
        auto deleted = t.deleted_at ? parse_rfc3339(*t.deleted_at) : std::nullopt;
        if (!created || *created > *existed || (deleted && *deleted <= *existed)) {
            return false;
        }
    }
    return true;
}

// A connections report (API.md §7): each connection has its id; origin_ip, when given, is an
// IP address and opened_at an RFC 3339 time. Names the field ("connections[1].origin_ip").
std::optional<FieldError> check_connections(const std::vector<TunnelConnection>& conns)
{
    for (std::size_t i = 0; i < conns.size(); ++i) {
        const TunnelConnection& c = conns[i];
        std::string where = "connections[" + std::to_string(i) + "].";
        if (c.id.empty()) {
            return FieldError{where + "id", "every connection needs its id", 0};
        }
        unsigned char buf[16];
        if (!c.origin_ip.empty() && inet_pton(AF_INET, c.origin_ip.c_str(), buf) != 1 &&
            inet_pton(AF_INET6, c.origin_ip.c_str(), buf) != 1) {
            return FieldError{where + "origin_ip", "'" + c.origin_ip + "' is not an IP address", 0};
        }
        if (!c.opened_at.empty() && !parse_rfc3339(c.opened_at)) {
            return FieldError{where + "opened_at", "'" + c.opened_at + "' is not an RFC 3339 time",
                              0};
        }
    }
    return std::nullopt;
}

} // namespace

void SqliteStore::set_tunnel_domain(const dns::Name& domain)
{
    tunnel_domain_ = domain;
}

dns::Name SqliteStore::tunnel_domain() const
{
    return tunnel_domain_;
}

std::optional<Tunnel> SqliteStore::tunnel_row(std::string_view id)
{
    auto st =
        db_.cached(std::string("SELECT ") + kTunnelColumns + " FROM tunnels WHERE public_id = ?");
    st->bind(1, lower(id));
    if (!st->step()) {
        return std::nullopt;
    }
    return tunnel_from_row(*st);
}

Tunnel SqliteStore::live_tunnel_or_throw(std::string_view id)
{
    auto t = tunnel_row(id);
    if (!t) {
        throw NotFound("no tunnel with id " + std::string(id));
    }
    if (t->deleted()) {
        refuse("tunnel_id", "the tunnel " + t->id + " was deleted");
    }
    return *t;
}

std::optional<FieldError> SqliteStore::check_tunnel_route(const ZoneRules& rules,
                                                          const RuleRecord& r)
{
    if (r.type != dns::rrtype::CNAME) {
        return std::nullopt;
    }
    auto target = dns::Name::from_wire(r.rdata);
    auto label = target ? tunnel_route_label(*target, tunnel_domain_) : std::nullopt;
    if (!label) {
        return std::nullopt;
    }
    std::string dom = tunnel_domain_.to_text_no_dot();
    if (!is_tunnel_id(*label)) {
        return FieldError{"content",
                          "'" + *label + "' is not a tunnel id: a CNAME into " + dom +
                              " routes to a tunnel and must be <tunnel id>." + dom,
                          9007};
    }
    auto t = tunnel_row(*label);
    if (!t) {
        return FieldError{"content", "no tunnel with id " + *label + " (the CNAME routes to it)",
                          9007};
    }
    if (t->deleted()) {
        return FieldError{"content",
                          "the tunnel " + *label + " was deleted (the CNAME routes to it)", 9007};
    }
    if (!r.proxied && rules.is_flattened(r)) {
        std::string why = r.owner == rules.origin ? "at the apex it is flattened"
                          : r.flatten_cname       ? "it is flattened"
                                                  : "the zone flattens every CNAME";
        return FieldError{r.flatten_cname ? "settings.flatten_cname" : "proxied",
                          "a tunnel route must be proxied when it is flattened (" + why +
                              "): " + dom +
                              " names do not resolve publicly, so there are no "
                              "addresses to flatten",
                          1004};
    }
    return std::nullopt;
}

void SqliteStore::check_routes_flattenable(const Zone& z)
{
    auto st = db_.cached("SELECT owner, rdata FROM records WHERE zone_id = ? AND type = 5 AND "
                         "proxied = 0 ORDER BY owner");
    st->bind(1, z.id);
    while (st->step()) {
        auto target = dns::Name::from_wire(st->blob(1));
        if (target && tunnel_route_label(*target, tunnel_domain_)) {
            auto owner = dns::Name::from_wire(st->blob(0));
            refuse("cname_flattening",
                   "the DNS-only tunnel route " + (owner ? owner->to_text_no_dot() : "") +
                       " would be flattened, and " + tunnel_domain_.to_text_no_dot() +
                       " names do not resolve publicly: proxy it first");
        }
    }
}

std::vector<TunnelRoute> SqliteStore::routes_to(const std::string& id)
{
    // Routes are found by their target, whatever the record's case or zone: a CNAME's RDATA is
    // one name, compared in its lowercased form (Name::from_wire lowercases).
    dns::Name target = tunnel_domain_.prepend_label(id);
    std::vector<TunnelRoute> out;
    auto st = db_.cached("SELECT z.name, r.public_id, r.name, r.proxied, r.rdata FROM records r "
                         "JOIN zones z ON z.id = r.zone_id WHERE r.type = 5 "
                         "ORDER BY z.name, r.name");
    while (st->step()) {
        auto t = dns::Name::from_wire(st->blob(4));
        if (t && *t == target) {
            out.push_back({std::string(st->text(0)), std::string(st->text(1)),
                           std::string(st->text(2)), st->int64(3) != 0});
        }
    }
    return out;
}

NewTunnel SqliteStore::create_tunnel(const TunnelCreate& req)
{
    check_tunnel_name(req.name);
    if (req.config_src != "local" && req.config_src != "cloudflare") {
        refuse("config_src", "config_src is 'local' or 'cloudflare'");
    }
    NewTunnel out;
    out.secret = req.secret ? *req.secret : new_tunnel_secret();
    std::string hash = secret_hash_of(out.secret);
    Tunnel& t = out.tunnel;
    t.id = new_tunnel_id();
    t.name = req.name;
    t.config_src = req.config_src;
    t.created_at = now_rfc3339();
    return guarded([&] {
        db::Transaction tx(db_);
        auto dup =
            db_.cached("SELECT public_id FROM tunnels WHERE name = ? AND deleted_at IS NULL");
        dup->bind(1, t.name);
        if (dup->step()) {
            refuse("name", "a tunnel named '" + t.name + "' already exists (" +
                               std::string(dup->text(0)) + ")");
        }
        auto st = db_.cached("INSERT INTO tunnels (public_id, name, secret_hash, config_src, "
                             "created_at) VALUES (?, ?, ?, ?, ?)");
        st->bind_all(t.id, t.name, db::Blob{hash}, t.config_src, t.created_at).run();
        tx.commit();
        return out;
    });
}

std::vector<Tunnel> SqliteStore::list_tunnels(const TunnelFilter& f)
{
    std::optional<RfcTime> existed;
    if (f.existed_at) {
        existed = parse_rfc3339(*f.existed_at);
        if (!existed) {
            refuse("existed_at", "'" + *f.existed_at + "' is not an RFC 3339 time");
        }
    }
    return guarded([&] {
        std::vector<Tunnel> out;
        auto st = db_.cached(std::string("SELECT ") + kTunnelColumns +
                             " FROM tunnels ORDER BY created_at, id");
        while (st->step()) {
            Tunnel t = tunnel_from_row(*st);
            if (matches(t, f, existed)) {
                out.push_back(std::move(t));
            }
        }
        return out;
    });
}

std::optional<Tunnel> SqliteStore::find_tunnel(const std::string& id)
{
    return guarded([&] { return tunnel_row(id); });
}

Tunnel SqliteStore::update_tunnel(const std::string& id, const TunnelUpdate& u)
{
    if (u.name) {
        check_tunnel_name(*u.name);
    }
    std::optional<std::string> hash;
    if (u.secret) {
        hash = secret_hash_of(*u.secret);
    }
    return guarded([&] {
        db::Transaction tx(db_);
        Tunnel t = live_tunnel_or_throw(id);
        if (u.name && *u.name != t.name) {
            auto dup =
                db_.cached("SELECT public_id FROM tunnels WHERE name = ? AND deleted_at IS NULL");
            dup->bind(1, *u.name);
            if (dup->step()) {
                refuse("name", "a tunnel named '" + *u.name + "' already exists (" +
                                   std::string(dup->text(0)) + ")");
            }
            db_.cached("UPDATE tunnels SET name = ? WHERE public_id = ?")
                ->bind_all(*u.name, t.id)
                .run();
            t.name = *u.name;
        }
        if (hash) {
            db_.cached("UPDATE tunnels SET secret_hash = ? WHERE public_id = ?")
                ->bind_all(db::Blob{*hash}, t.id)
                .run();
        }
        tx.commit();
        return t;
    });
}

Tunnel SqliteStore::delete_tunnel(const std::string& id)
{
    return guarded([&] {
        db::Transaction tx(db_);
        auto t = tunnel_row(id);
        if (!t) {
            throw NotFound("no tunnel with id " + id);
        }
        if (t->deleted()) {
            refuse("tunnel_id", "the tunnel " + t->id + " is already deleted");
        }
        auto routes = routes_to(t->id);
        if (!routes.empty()) {
            std::string names;
            for (const auto& r : routes) {
                names += (names.empty() ? "" : ", ") + r.name;
            }
            refuse("tunnel_id", "the tunnel " + t->id + " (" + t->name +
                                    ") still has DNS routes: " + names +
                                    "; delete them or point them elsewhere first");
        }
        t->deleted_at = now_rfc3339();
        db_.cached("UPDATE tunnels SET deleted_at = ? WHERE public_id = ?")
            ->bind_all(*t->deleted_at, t->id)
            .run();
        tx.commit();
        return *t;
    });
}

std::vector<TunnelRoute> SqliteStore::tunnel_routes(const std::string& id)
{
    return guarded([&] {
        db::ReadTransaction snapshot(db_);
        return routes_to(lower(id));
    });
}

bool SqliteStore::verify_tunnel_secret(const std::string& id, std::string_view secret)
{
    auto bytes = decode_tunnel_secret(secret);
    if (!bytes || !is_tunnel_id(id)) {
        return false;
    }
    std::string hash = tunnel_secret_hash(*bytes);
    return guarded([&] {
        auto st = db_.cached(
            "SELECT secret_hash FROM tunnels WHERE public_id = ? AND deleted_at IS NULL");
        st->bind(1, lower(id));
        if (!st->step()) {
            return false;
        }
        std::string_view stored = st->blob(0);
        return stored.size() == hash.size() &&
               CRYPTO_memcmp(stored.data(), hash.data(), hash.size()) == 0;
    });
}

Tunnel SqliteStore::report_tunnel_connections(const std::string& id,
                                              const std::vector<TunnelConnection>& conns)
{
    if (auto e = check_connections(conns)) {
        throw ValidationError({std::move(*e)});
    }
    return guarded([&] {
        db::Transaction tx(db_);
        Tunnel t = live_tunnel_or_throw(id);
        std::string now = now_rfc3339();
        bool was_up = !t.connections.empty();
        if (!conns.empty() && (!was_up || !t.conns_active_at)) {
            t.conns_active_at = now;
        }
        if (conns.empty() && (was_up || !t.conns_inactive_at)) {
            t.conns_inactive_at = now;
        }
        if (!conns.empty()) {
            t.conns_inactive_at.reset();
        }
        t.reported_at = now;
        t.connections = conns;
        db_.cached("UPDATE tunnels SET conns_active_at = ?, conns_inactive_at = ?, "
                   "reported_at = ?, connections = ? WHERE public_id = ?")
            ->bind_all(t.conns_active_at, t.conns_inactive_at, t.reported_at,
                       connections_json(conns), t.id)
            .run();
        tx.commit();
        t.status = tunnel_status(t, std::chrono::system_clock::now());
        return t;
    });
}

} // namespace nuage::store

// store.hpp -- the truth: zones, records and the change journal in SQLite (DESIGN §2, §3).
// Every write is one transaction (validate, write rows, bump the zone's serial, append to the
// journal); a refused write leaves the database as it was. Not thread-safe: one Store per
// thread (SQLite WAL lets several connections and processes share the file).
//
// CONTRACT NOTE: the part under "for the daemon" is what dnsd/ codes against; keep those
// signatures stable. The rest is free to grow.
#pragma once

#include "zonestore/compile/zone_source.hpp"
#include "zonestore/dns/name.hpp"
#include "zonestore/store/model.hpp"
#include "zonestore/store/token.hpp"
#include "zonestore/store/tunnel.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nuage::store {

// Failures of the database itself (cannot open, cannot migrate, I/O): dnsd stops on these.
struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One refused field: `field` is the API's name for it ("content", "ttl", "proxied",
// "settings.flatten_cname", "name", ...); `code` is the Cloudflare API error code (API.md §6)
// or 0.
struct FieldError {
    std::string field;
    std::string message;
    int code = 0;
};

// A refused write: nothing was written.
struct ValidationError : std::runtime_error {
    explicit ValidationError(std::vector<FieldError> errs);
    std::vector<FieldError> errors;
};

struct NotFound : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A refused zone-file import: what() is "file:line: field: reason" ("file: reason" when no
// line is to blame, e.g. a missing SOA). Nothing was written.
struct ImportError : ValidationError {
    ImportError(std::string file, int line, FieldError err);
    const char* what() const noexcept override { return text.c_str(); }
    std::string file;
    int line;
    std::string text;
};

// What happened to a zone, as the journal says it (DESIGN §3 "noticed through the journal").
struct JournalEntry {
    enum class Kind { ZoneCreated, ZoneDeleted, ZoneReplaced, ZoneSettings, Records };
    std::int64_t seq = 0;
    std::int64_t zone_id = 0;
    Kind kind = Kind::Records;
    std::vector<dns::Name> names; // Records: every owner name whose records changed
};

// The meta and the records of some names of a zone, read from one snapshot of the database.
struct ZoneUpdate {
    compile::ZoneMeta meta;
    std::vector<compile::NameUpdate> names;
};

class Store {
public:
    // Opens (creating mode 0600 and migrating if needed) the database at `path`.
    // Throws StoreError with a clear message when it cannot be opened or migrated.
    static std::unique_ptr<Store> open(const std::string& path);
    virtual ~Store() = default;

    // ---- for the daemon -------------------------------------------------------------------
    // Ids of every zone, and the public view of one zone, ready for compile::compile_zone.
    virtual std::vector<std::int64_t> zone_ids() = 0;
    virtual compile::ZoneSource load_zone_source(std::int64_t zone_id) = 0;
    virtual compile::ZoneMeta load_zone_meta(std::int64_t zone_id) = 0;
    // The public view of the records now at each of `names` (empty vector: none left).
    virtual std::vector<compile::NameUpdate> load_names(std::int64_t zone_id,
                                                        const std::vector<dns::Name>& names) = 0;
    // load_zone_meta and load_names in one read transaction: the serial matches the rows.
    virtual ZoneUpdate load_zone_update(std::int64_t zone_id,
                                        const std::vector<dns::Name>& names) = 0;
    // The highest journal sequence number (0 for an empty journal).
    virtual std::int64_t journal_head() = 0;
    // Entries with seq > after, oldest first, at most `limit`.
    virtual std::vector<JournalEntry> journal_since(std::int64_t after, std::size_t limit) = 0;
    // Deletes the entries with seq <= through, keeping the newest entry whatever `through`
    // says (the head is how a reader knows where it stands). Returns how many went.
    virtual std::size_t prune_journal(std::int64_t through) = 0;
    // Moves the zone's serial forward by one (RFC 1982) because its public view changed
    // outside the store: a flattened target's addresses (dnsd/flatten). No journal entry (no
    // row changed); the served serial stays the stored one. Returns the new serial; throws
    // NotFound.
    virtual std::uint32_t bump_serial(std::int64_t zone_id) = 0;

    // ---- edge pools (set by dnsd from its configuration) ----------------------------------
    // The first pool is the default. Until pools are set (or when a zone's pool is not
    // configured, or has no address of a family), proxied names have no address records of
    // that family in the public view (NODATA): an origin address is never served (DESIGN §2
    // "Origin privacy"). Once set, writes are checked against them: set_edge_pool refuses a
    // pool that is not configured or has no address (field "edge_pool"), and a proxied record
    // is refused in a zone whose pool has no address (field "proxied"). Throws StoreError
    // naming a pool with a bad address.
    virtual void set_edge_pools(std::vector<EdgePool> pools) = 0;
    // What keeps the pools set from serving every zone, one line each, naming the zone and
    // the key: a zone naming a pool that is not configured, a zone whose pool has no address
    // at all ("a config with an empty pool used by a zone"), a zone with proxied records when
    // no pool is configured. dnsd refuses to start on any.
    virtual std::vector<std::string> edge_pool_problems() = 0;

    // ---- zones ------------------------------------------------------------------------------
    virtual std::vector<Zone> list_zones() = 0;
    virtual std::optional<Zone> find_zone(std::int64_t zone_id) = 0;
    virtual std::optional<Zone> find_zone_by_name(const dns::Name& origin) = 0;
    virtual std::optional<Zone> find_zone_by_public_id(const std::string& public_id) = 0;
    // Throws ValidationError (field "name": invalid, or 1061 already exists; field
    // "name_servers": none given).
    virtual Zone create_zone(const ZoneCreate& req) = 0;
    // Deletes the zone and all its records. Throws NotFound.
    virtual void delete_zone(std::int64_t zone_id) = 0;
    // Zone settings; each bumps the serial. Throws NotFound, ValidationError (field
    // "cname_flattening" when records rely on flatten_all to share a name with a CNAME).
    virtual Zone set_cname_flattening(std::int64_t zone_id, CnameFlattening value) = 0;
    virtual Zone set_edge_pool(std::int64_t zone_id, std::optional<std::string> pool) = 0;
    virtual Zone set_zone_status(std::int64_t zone_id, const std::string& status) = 0;
    // Vanity name servers (API.md §4) are shown only: the apex NS RRset served and the
    // activation check keep `name_servers` (the names the parent must delegate to). No serial
    // change. Throws NotFound, ValidationError ("vanity_name_servers[i]": not a host name).
    virtual Zone set_vanity_name_servers(std::int64_t zone_id,
                                         const std::vector<std::string>& names) = 0;
    // The apex SOA fields and NS TTL (API.md §4 dns_settings), served once published: bumps
    // the serial. Throws NotFound, ValidationError naming the field ("ns_ttl", "soa.refresh").
    virtual Zone set_zone_dns(std::int64_t zone_id, const ZoneDnsChange& change) = 0;
    // A whole zone from a master file (DESIGN §2 Zones). An existing zone is refused unless
    // `replace`; then all its records are replaced in the same transaction. Throws
    // ImportError naming the file and line.
    virtual Zone import_zone(const ZoneImport& zone, bool replace) = 0;

    // ---- records ----------------------------------------------------------------------------
    // Ordered by name, type, content.
    virtual std::vector<Record> list_records(std::int64_t zone_id, const RecordFilter& f) = 0;
    // The records of every zone that can take part in an origin exposure with `changed`
    // (origin_exposure.hpp): the proxied records, and the DNS-only A/AAAA holding `changed`'s
    // address, TXT, SVCB, HTTPS and PTR records. Read with SQL filters, so that a write to a
    // large zone does not read every record.
    virtual std::vector<Record> exposure_candidates(const Record& changed) = 0;
    // Throws NotFound when the zone has no record with that id.
    virtual Record get_record(std::int64_t zone_id, const std::string& record_id) = 0;
    // Each throws ValidationError (nothing written) or NotFound.
    virtual Record create_record(std::int64_t zone_id, const RecordInput& in) = 0;
    virtual Record update_record(std::int64_t zone_id, const std::string& record_id,
                                 const RecordInput& in) = 0;
    virtual void delete_record(std::int64_t zone_id, const std::string& record_id) = 0;
    virtual BatchResult apply_batch(std::int64_t zone_id, const RecordBatch& batch) = 0;

    // ---- the account and API tokens (API.md §3, §4) ----------------------------------------
    // The installation's one account: made (with a random id) on first call, renamed to
    // `name` when the configuration changed it.
    virtual Account ensure_account(const std::string& name) = 0;
    // A new token and its secret (the only copy). Throws ValidationError (field "name",
    // "zones").
    virtual NewToken create_token(const TokenCreate& req) = 0;
    // Every token, revoked ones included, oldest first.
    virtual std::vector<Token> list_tokens() = 0;
    // The active token whose secret this is, by its SHA-256; nullopt for anything else.
    virtual std::optional<Token> find_token_by_secret(std::string_view secret) = 0;
    // Revokes a token (idempotent); throws NotFound.
    virtual Token revoke_token(const std::string& public_id) = 0;
    // Records that the token was used at `when` (RFC 3339): API.md §3 last_used_on. The caller
    // limits how often (never per DNS query: tokens are the API's). A later time only.
    virtual void note_token_used(const std::string& public_id, const std::string& when) = 0;

    // ---- tunnels (DESIGN §2 "Tunnels", API.md §7) -------------------------------------------
    // The domain tunnel routes point into ([tunnels] domain; cfargotunnel.com until set). A
    // CNAME to "<id>.<domain>" (or any name below the domain) is a tunnel route: a write of
    // one is refused unless <id> is a live tunnel (field "content", naming the id).
    virtual void set_tunnel_domain(const dns::Name& domain) = 0;
    virtual dns::Name tunnel_domain() const = 0;
    // Throws ValidationError: "name" (empty, over 255 octets, or a live tunnel has it),
    // "tunnel_secret" (not base64 of at least 32 bytes), "config_src" (not local|cloudflare).
    virtual NewTunnel create_tunnel(const TunnelCreate& req) = 0;
    // Oldest first, deleted ones included unless the filter says otherwise. Throws
    // ValidationError (field "existed_at" when it is not RFC 3339).
    virtual std::vector<Tunnel> list_tunnels(const TunnelFilter& f) = 0;
    // By id (any case), deleted ones included.
    virtual std::optional<Tunnel> find_tunnel(const std::string& id) = 0;
    // Renames and/or sets a new secret. Throws NotFound, ValidationError ("tunnel_id": the
    // tunnel was deleted; "name", "tunnel_secret" as in create_tunnel).
    virtual Tunnel update_tunnel(const std::string& id, const TunnelUpdate& u) = 0;
    // Soft delete: sets deleted_at and returns the tunnel. Throws NotFound, ValidationError
    // (field "tunnel_id": already deleted, or DNS routes still point at it; the message names
    // every one of them).
    virtual Tunnel delete_tunnel(const std::string& id) = 0;
    // The CNAME records routing to tunnel `id`, in every zone, by zone and name.
    virtual std::vector<TunnelRoute> tunnel_routes(const std::string& id) = 0;
    // Is `secret` (base64) the secret of the live tunnel `id`? Compared in constant time.
    virtual bool verify_tunnel_secret(const std::string& id, std::string_view secret) = 0;
    // A connections report (API.md §7, Nuage extension): the list replaces the last one and
    // the status follows from its age; an empty list means the connector went away. Throws
    // NotFound, ValidationError ("tunnel_id": the tunnel was deleted).
    virtual Tunnel report_tunnel_connections(const std::string& id,
                                             const std::vector<TunnelConnection>& conns) = 0;

    // A consistent copy of the whole database at `dest` (SQLite online backup), safe while
    // other processes write.
    virtual void backup(const std::string& dest) = 0;
};

} // namespace nuage::store

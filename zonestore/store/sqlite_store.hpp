// sqlite_store.hpp -- the Store on one SQLite database (internal: callers use Store::open).
// Split by concern: sqlite_store.cpp (opening, zones), sqlite_store_view.cpp (the journal and
// the daemon's reads), sqlite_store_records.cpp (record writes) and sqlite_store_import.cpp
// (zone files). Every public method is one transaction, or one read snapshot.
#pragma once

#include "zonestore/db/database.hpp"
#include "zonestore/store/record_rules.hpp"
#include "zonestore/store/store.hpp"
#include "zonestore/view/public_view.hpp"

#include <functional>
#include <utility>

namespace nuage::store {

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const std::string& path);

    std::vector<std::int64_t> zone_ids() override;
    compile::ZoneSource load_zone_source(std::int64_t zone_id) override;
    compile::ZoneMeta load_zone_meta(std::int64_t zone_id) override;
    std::vector<compile::NameUpdate> load_names(std::int64_t zone_id,
                                                const std::vector<dns::Name>& names) override;
    ZoneUpdate load_zone_update(std::int64_t zone_id, const std::vector<dns::Name>& names) override;
    std::int64_t journal_head() override;
    std::vector<JournalEntry> journal_since(std::int64_t after, std::size_t limit) override;
    std::size_t prune_journal(std::int64_t through) override;
    std::uint32_t bump_serial(std::int64_t zone_id) override;

    void set_edge_pools(std::vector<EdgePool> pools) override;
    std::vector<std::string> edge_pool_problems() override;

    std::vector<Zone> list_zones() override;
    std::optional<Zone> find_zone(std::int64_t zone_id) override;
    std::optional<Zone> find_zone_by_name(const dns::Name& origin) override;
    std::optional<Zone> find_zone_by_public_id(const std::string& public_id) override;
    Zone create_zone(const ZoneCreate& req) override;
    void delete_zone(std::int64_t zone_id) override;
    Zone set_cname_flattening(std::int64_t zone_id, CnameFlattening value) override;
    Zone set_edge_pool(std::int64_t zone_id, std::optional<std::string> pool) override;
    Zone set_zone_status(std::int64_t zone_id, const std::string& status) override;
    Zone set_vanity_name_servers(std::int64_t zone_id,
                                 const std::vector<std::string>& names) override;
    Zone set_zone_dns(std::int64_t zone_id, const ZoneDnsChange& change) override;
    Zone import_zone(const ZoneImport& zone, bool replace) override;

    std::vector<Record> list_records(std::int64_t zone_id, const RecordFilter& f) override;
    std::vector<Record> exposure_candidates(const Record& changed) override;
    Record get_record(std::int64_t zone_id, const std::string& record_id) override;
    Record create_record(std::int64_t zone_id, const RecordInput& in) override;
    Record update_record(std::int64_t zone_id, const std::string& record_id,
                         const RecordInput& in) override;
    void delete_record(std::int64_t zone_id, const std::string& record_id) override;
    BatchResult apply_batch(std::int64_t zone_id, const RecordBatch& batch) override;

    Account ensure_account(const std::string& name) override;
    NewToken create_token(const TokenCreate& req) override;
    std::vector<Token> list_tokens() override;
    std::optional<Token> find_token_by_secret(std::string_view secret) override;
    Token revoke_token(const std::string& public_id) override;
    void note_token_used(const std::string& public_id, const std::string& when) override;

    void set_tunnel_domain(const dns::Name& domain) override;
    dns::Name tunnel_domain() const override;
    NewTunnel create_tunnel(const TunnelCreate& req) override;
    std::vector<Tunnel> list_tunnels(const TunnelFilter& f) override;
    std::optional<Tunnel> find_tunnel(const std::string& id) override;
    Tunnel update_tunnel(const std::string& id, const TunnelUpdate& u) override;
    Tunnel delete_tunnel(const std::string& id) override;
    std::vector<TunnelRoute> tunnel_routes(const std::string& id) override;
    bool verify_tunnel_secret(const std::string& id, std::string_view secret) override;
    Tunnel report_tunnel_connections(const std::string& id,
                                     const std::vector<TunnelConnection>& conns) override;

    void backup(const std::string& dest) override;

private:
    // Zones (sqlite_store.cpp).
    std::optional<Zone> zone_where(const char* where,
                                   const std::function<void(db::Statement&)>& bind);
    Zone zone_or_throw(std::int64_t zone_id);
    std::int64_t insert_zone(const Zone& z);
    void write_zone_settings(const Zone& z);
    // After a write in the open transaction: bump the serial, touch modified_on and append to
    // the journal.
    void finish_write(Zone& z, JournalEntry::Kind kind, const std::vector<dns::Name>& names);
    view::PublicView view_of(const Zone& z) const;
    compile::ZoneMeta meta_of(const Zone& z) const;
    std::vector<compile::NameUpdate> names_view(const Zone& z, const std::vector<dns::Name>& names);

    // Records (sqlite_store_records.cpp).
    std::vector<RuleRecord> rules_at(std::int64_t zone_id, const dns::Name& owner,
                                     const std::string* except_id);
    void check_in_zone(const Zone& z, const Record& r, const std::string* except_id);
    void check_flattening_change(const Zone& z, CnameFlattening value);
    std::optional<Record> find_record(std::int64_t zone_id, const std::string& record_id);
    void insert_record(const Record& r);
    void update_row(const Record& r);
    void delete_row(std::int64_t zone_id, const std::string& record_id);

    // Edge pools and tunnels (sqlite_store_view.cpp, sqlite_store_tunnels.cpp).
    // The pool serving `z`: null when pools are not set or `z` names one that is not
    // configured.
    const view::EdgeSet* pool_of(const Zone& z) const;
    // A proxied write in `z` needs a pool with an address, once pools are set.
    void check_proxied_pool(const Zone& z, const Record& r) const;
    // A CNAME into the tunnel domain must route to a live tunnel (field "content").
    // A CNAME to "<id>.<tunnel domain>": the tunnel must exist, and a flattened route must be
    // proxied (the tunnel domain does not resolve publicly: flattened DNS-only, it never would).
    std::optional<FieldError> check_tunnel_route(const ZoneRules& rules, const RuleRecord& r);
    // Before flatten_all: refuses (naming one) when a DNS-only tunnel route would be flattened.
    void check_routes_flattenable(const Zone& z);
    std::optional<Tunnel> tunnel_row(std::string_view id);
    Tunnel live_tunnel_or_throw(std::string_view id);
    std::vector<TunnelRoute> routes_to(const std::string& id);

    db::Database db_;
    std::vector<std::pair<std::string, view::EdgeSet>> pools_; // the first is the default
    bool pools_set_ = false;
    dns::Name tunnel_domain_ = dns::Name::parse("cfargotunnel.com.");
};

// Runs f, turning database failures into StoreError (the contract of store.hpp).
template <class F> auto guarded(F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const db::DbError& e) {
        throw StoreError(e.what());
    }
}

// The journal's spelling of each kind ("records", "zone_created", ...), and back.
const char* journal_kind_text(JournalEntry::Kind k);
JournalEntry::Kind journal_kind_from_text(std::string_view s);

// Appends one entry to the journal, in the caller's transaction.
void append_journal(db::Database& db, std::int64_t zone_id, JournalEntry::Kind kind,
                    const std::vector<dns::Name>& names);

// Reads a record from the columns of kRecordColumns, in that order.
extern const char* const kRecordColumns;
Record record_from_row(const db::Statement& st);

} // namespace nuage::store

// model.hpp -- the values the store reads and writes: zones, records, what a write asks for
// (RecordInput, RecordBatch, ZoneCreate, ZoneImport) and the edge pools of the public view.
// Plain values: no SQLite here. Field names follow the Cloudflare API (API.md §4, §5).
#pragma once

#include "zonestore/compile/zone_source.hpp"
#include "zonestore/dns/name.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nuage::store {

inline constexpr std::uint32_t kAutomaticTtl = 1; // DESIGN §2: TTL 1 means automatic
inline constexpr std::uint32_t kAutomaticServedTtl = 300;

enum class CnameFlattening { FlattenAtRoot, FlattenAll };

const char* to_string(CnameFlattening f);
std::optional<CnameFlattening> cname_flattening_from_string(std::string_view s);

struct Zone {
    std::int64_t id = 0;   // internal; the journal and the daemon use it
    std::string public_id; // 32 lowercase hex, the API's zone id
    dns::Name origin;
    std::string name; // origin as the API shows it: lowercase, no trailing dot
    std::string status = "pending";
    compile::SoaFields soa;
    std::vector<dns::Name> name_servers;
    std::vector<dns::Name> vanity_name_servers; // shown only (API.md §4): never served
    std::uint32_t ns_ttl = 86400;
    CnameFlattening cname_flattening = CnameFlattening::FlattenAtRoot;
    std::optional<std::string> edge_pool; // nullopt: the default pool
    std::string created_on, modified_on;
    std::optional<std::string> activated_on;
};

struct Record {
    std::string id; // 32 lowercase hex
    std::int64_t zone_id = 0;
    dns::Name owner;
    std::string name; // owner as the API shows it
    std::uint16_t type = 0;
    std::string content; // presentation, as the API shows it (names without trailing dot)
    std::optional<std::uint16_t> priority; // MX and URI
    std::uint32_t ttl = kAutomaticTtl;
    bool proxied = false;
    bool flatten_cname = false; // settings.flatten_cname
    bool ipv4_only = false;     // settings.ipv4_only: a proxied name answers A only
    bool ipv6_only = false;     // settings.ipv6_only: ... AAAA only
    std::optional<std::string> comment;
    std::vector<std::string> tags; // "name:value"
    std::string created_on, modified_on;
    std::optional<std::string> comment_modified_on, tags_modified_on;
    std::string rdata; // uncompressed wire RDATA, derived from content at validation
};

// What a create or a full update asks for. The store checks every field (DESIGN §2 rules).
struct RecordInput {
    std::string name; // FQDN (with or without the trailing dot), relative ("www") or "@"
    std::string type; // "A", "MX", "TYPE65280", ...
    std::string content;
    std::optional<std::int64_t> priority; // MX and URI; may also be inside content
    std::int64_t ttl = kAutomaticTtl;     // 1 or 30..86400; proxied records are stored as 1
    bool proxied = false;
    bool flatten_cname = false;
    std::optional<std::string> comment;
    std::vector<std::string> tags;
    bool ipv4_only = false; // settings.ipv4_only: proxied A/AAAA/CNAME only, not both
    bool ipv6_only = false; // settings.ipv6_only
};

struct RecordFilter {
    std::optional<dns::Name> owner;
    std::optional<std::uint16_t> type;
};

// Several changes to one zone applied in one transaction, in this order: deletes, updates,
// creates (the Cloudflare batch order); any refusal rolls back all of them.
struct RecordBatch {
    std::vector<std::string> deletes;                         // record ids
    std::vector<std::pair<std::string, RecordInput>> updates; // record id, its new fields
    std::vector<RecordInput> creates;
};

struct BatchResult {
    std::vector<std::string> deleted;
    std::vector<Record> updated;
    std::vector<Record> created;
};

struct ZoneCreate {
    std::string name; // the zone's name, with or without the trailing dot
    std::vector<dns::Name> name_servers;
    // Unset: mname is the first name server, rname hostmaster.<zone>, serial YYYYMMDD01,
    // refresh 10000, retry 2400, expire 604800, minimum 300, ttl 3600.
    std::optional<compile::SoaFields> soa;
};

// A change of the zone's apex SOA and NS TTL (API.md §4 dns_settings): unset fields stay.
// Text and numbers as the API takes them; the store checks each one, naming it ("soa.retry").
struct ZoneDnsChange {
    std::optional<std::int64_t> ns_ttl;  // 30..86400
    std::optional<std::string> mname;    // a host name
    std::optional<std::string> rname;    // "hostmaster.example.com" or "hostmaster@example.com"
    std::optional<std::int64_t> refresh; // 600..86400
    std::optional<std::int64_t> retry;   // 600..86400
    std::optional<std::int64_t> expire;  // 86400..2419200
    std::optional<std::int64_t> min_ttl; // 60..86400 (the SOA minimum, RFC 2308 §4)
    std::optional<std::int64_t> ttl;     // 300..86400 (the SOA record's own TTL)
};

// One record of a zone file, already parsed to wire form, with where it came from.
struct ImportRecord {
    dns::Name owner;
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;
    std::string rdata;
    bool proxied = false;       // "; cf_tags=cf-proxied:true"
    bool flatten_cname = false; // "; cf_tags=cf-flatten-cname"
    std::optional<std::string> comment;
    std::vector<std::string> tags;
    int line = 0;
};

// A whole zone from a master file: the apex SOA and NS become the zone's own settings.
struct ZoneImport {
    std::string file; // for messages
    dns::Name origin;
    compile::SoaFields soa;
    std::vector<dns::Name> name_servers;
    std::uint32_t ns_ttl = 86400;
    std::vector<ImportRecord> records;
    std::vector<std::string> notes; // "file:line: ..." for what was read but left out
};

// The edge addresses proxied names are answered with (DESIGN §2 "Edge addresses").
struct EdgePool {
    std::string name;
    std::vector<std::string> ipv4; // numeric addresses
    std::vector<std::string> ipv6;
};

} // namespace nuage::store

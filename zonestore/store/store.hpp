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

// What happened to a zone, as the journal says it (DESIGN §3 "noticed through the journal").
struct JournalEntry {
    enum class Kind { ZoneCreated, ZoneDeleted, ZoneReplaced, ZoneSettings, Records };
    std::int64_t seq = 0;
    std::int64_t zone_id = 0;
    Kind kind = Kind::Records;
    std::vector<dns::Name> names;  // Records: every owner name whose records changed
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
    // The highest journal sequence number (0 for an empty journal).
    virtual std::int64_t journal_head() = 0;
    // Entries with seq > after, oldest first, at most `limit`.
    virtual std::vector<JournalEntry> journal_since(std::int64_t after, std::size_t limit) = 0;
};

}  // namespace nuage::store

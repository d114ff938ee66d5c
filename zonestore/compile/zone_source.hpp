// zone_source.hpp -- what the compiler takes: a zone's settings and the public view of its
// records (proxy substitution and flattening already applied by the store's view builder).
// Plain values, no SQLite and no ldns, so tests can build them from zone text.
#pragma once

#include "zonestore/dns/name.hpp"
#include "zonestore/snapshot/flattened.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace nuage::compile {

struct SourceRecord {
    dns::Name owner;  // absolute, lowercase
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;  // served TTL ("automatic" already turned into 300)
    std::string rdata;      // uncompressed wire RDATA
};

// A flattened CNAME (DESIGN §2): the owner answers A/AAAA with the target's final addresses,
// found by the daemon's flattener; the CNAME itself is never served.
using FlattenedName = snapshot::FlattenedCname;

struct SoaFields {
    dns::Name mname;
    dns::Name rname;
    std::uint32_t serial = 1;
    std::uint32_t refresh = 10000;
    std::uint32_t retry = 2400;
    std::uint32_t expire = 604800;
    std::uint32_t minimum = 3600;
    std::uint32_t ttl = 3600;
};

// The zone-level data: the apex SOA and NS RRsets are synthesized from it (DESIGN §2 Zones).
struct ZoneMeta {
    std::int64_t zone_id = 0;
    dns::Name origin;
    SoaFields soa;
    std::vector<dns::Name> name_servers;
    std::uint32_t ns_ttl = 86400;
};

struct ZoneSource {
    ZoneMeta meta;
    std::vector<SourceRecord> records;  // apex SOA and NS excluded (they come from meta)
    std::vector<FlattenedName> flattened = {};  // at most one per owner
};

// All the records now at one owner name (empty: the name has none left).
struct NameUpdate {
    dns::Name owner;
    std::vector<SourceRecord> records;
    std::vector<FlattenedName> flattened = {};  // empty, or the one flattened CNAME at `owner`
};

}  // namespace nuage::compile

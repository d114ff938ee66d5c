// record_rules.hpp -- the rules of DESIGN §2 "Records", as pure functions over values: what
// one record may be, and what may share a name. The SQLite store and the zone-file import
// both call these (one against the database, one against the file in memory), so a record
// is refused the same way wherever it comes from. Each refusal names the API's field.
#pragma once

#include "zonestore/store/model.hpp"
#include "zonestore/store/store.hpp"

#include <optional>
#include <span>

namespace nuage::store {

// What the rules need to know of a record.
struct RuleRecord {
    dns::Name owner;
    std::uint16_t type = 0;
    std::string rdata;
    bool proxied = false;
    bool flatten_cname = false;
};

struct ZoneRules {
    dns::Name origin;
    CnameFlattening flattening = CnameFlattening::FlattenAtRoot;

    // Flattened CNAMEs (apex, flatten_all, or the record's own setting) may share their name
    // with non-address types (DESIGN §2).
    bool is_flattened(const RuleRecord& r) const;
};

RuleRecord rule_record(const Record& r);
RuleRecord rule_record(const ImportRecord& r);

// The owner an API/CLI name means (Cloudflare's reading): "@" is the apex; a name ending
// with the zone's name (or with a trailing dot) is absolute; anything else is relative to the
// zone. Throws ValidationError (field "name", 9000).
dns::Name resolve_owner(std::string_view text, const dns::Name& origin);

// Turns a write's input into a record ready for the name checks: owner resolved, type known,
// content parsed (wire RDATA and its canonical content), TTL 1 or 30..86400 (proxied: 1),
// priority, proxied and flatten_cname allowed for the type. Ids and times are left empty.
// Throws ValidationError with every field that is wrong.
Record prepare_record(const Zone& zone, const RecordInput& in);

// The rules about the record alone: inside the zone, not SOA, not NS or DS at the apex,
// proxied only on A/AAAA/CNAME, flatten_cname only on DNS-only CNAMEs. (A CNAME to
// itself is refused by prepare_record only: a zone file may hold one.)
std::optional<FieldError> check_record(const ZoneRules& zone, const RuleRecord& r);

// settings.ipv4_only / ipv6_only (API.md §5): proxied A, AAAA and CNAME records only, and
// not both at once. Names the setting's field.
std::optional<FieldError> check_family_only(const Record& r);

// A proxied record's target must be one an edge can connect to (API.md §6, 9003, field
// "content"): no loopback, private, link-local, multicast or reserved address, no special-use
// name such as localhost. The edge pools' own addresses are the store's to refuse (it knows
// them). DNS-only records may point anywhere.
std::optional<FieldError> check_proxied_target(const Record& r);

// The rules about one name: `added` against the records already at its name (`others`, the
// changed record itself excluded): duplicates, CNAME ownership, delegation NS and DS, and
// (unless `proxied_state` is false) one proxied state for a name's A/AAAA.
std::optional<FieldError> check_name(const ZoneRules& zone, const RuleRecord& added,
                                     std::span<const RuleRecord> others, bool proxied_state = true);

// All the A/AAAA records now at `owner` (`all`) share one proxied state. A batch checks this
// once its changes are made, so that it can proxy (or unproxy) a name's addresses together.
std::optional<FieldError> check_proxied_state(const dns::Name& owner,
                                              std::span<const RuleRecord> all);

// `added` lies strictly below the delegation (non-apex NS) at `cut`: only glue may, and glue
// is never proxied.
std::optional<FieldError> check_below_delegation(const RuleRecord& added, const dns::Name& cut);

// `below` lies strictly below `added`, a new delegation: refused unless it is glue.
std::optional<FieldError> check_delegation_over(const RuleRecord& added, const RuleRecord& below);

// A refused write, as the store throws it.
[[noreturn]] void refuse(std::string field, std::string message, int code = 1004);

} // namespace nuage::store

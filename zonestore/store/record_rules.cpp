#include "zonestore/store/record_rules.hpp"

#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/wire.hpp"
#include "zonestore/store/content.hpp"
#include "zonestore/store/host_name.hpp"

#include <algorithm>

namespace nuage::store {

namespace {

using namespace dns::rrtype;

bool is_address(std::uint16_t t)
{
    return t == A || t == AAAA;
}
bool is_proxiable(std::uint16_t t)
{
    return t == A || t == AAAA || t == CNAME;
}

FieldError err(std::string field, std::string message, int code = 1004)
{
    return FieldError{std::move(field), std::move(message), code};
}

std::string type_name(std::uint16_t t)
{
    return dns::rrtype_to_text(t);
}

bool ends_with_ci(std::string_view s, std::string_view suffix)
{
    if (suffix.size() > s.size()) {
        return false;
    }
    return std::equal(suffix.begin(), suffix.end(), s.end() - suffix.size(), [](char a, char b) {
        return dns::to_lower(static_cast<std::uint8_t>(a)) ==
               dns::to_lower(static_cast<std::uint8_t>(b));
    });
}

std::optional<std::uint16_t> parse_type(std::string_view text, std::vector<FieldError>& errs)
{
    auto t = dns::rrtype_from_text(text);
    if (!t || !dns::is_data_type(*t)) {
        errs.push_back(err("type", "'" + std::string(text) + "' is not a record type"));
        return std::nullopt;
    }
    return t;
}

// Address blocks an edge must never connect to for a proxied name (API.md §6, 9003; the
// special-purpose registries of RFC 6890). The documentation blocks (RFC 5737, RFC 3849) stay
// allowed, as in Cloudflare's own examples.
struct Block {
    std::uint8_t prefix[16];
    unsigned bits;
    const char* what;
};

bool in_block(std::string_view addr, const Block& b)
{
    for (unsigned i = 0; i < b.bits; ++i) {
        auto bit = [i](std::uint8_t byte) { return (byte >> (7 - i % 8)) & 1; };
        if (bit(static_cast<std::uint8_t>(addr[i / 8])) != bit(b.prefix[i / 8])) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> first_block(std::string_view addr, std::span<const Block> blocks)
{
    for (const auto& b : blocks) {
        if (in_block(addr, b)) {
            return b.what;
        }
    }
    return std::nullopt;
}

std::optional<std::string> ipv4_not_routable(std::string_view a)
{
    static const Block kBlocks[] = {
        {{0}, 8, "\"this network\", RFC 1122"},
        {{10}, 8, "private, RFC 1918"},
        {{100, 64}, 10, "shared address space, RFC 6598"},
        {{127}, 8, "loopback, RFC 1122"},
        {{169, 254}, 16, "link-local, RFC 3927"},
        {{172, 16}, 12, "private, RFC 1918"},
        {{192, 168}, 16, "private, RFC 1918"},
        {{224}, 4, "multicast, RFC 5771"},
        {{240}, 4, "reserved or broadcast, RFC 1112"},
    };
    return first_block(a, kBlocks);
}

std::optional<std::string> ipv6_not_routable(std::string_view a)
{
    static const Block kBlocks[] = {
        {{0}, 96, "unspecified, loopback or IPv4-compatible, RFC 4291"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96, "IPv4-mapped, RFC 4291"},
        {{0x01}, 64, "discard-only, RFC 6666"},
        {{0xfc}, 7, "unique local, RFC 4193"},
        {{0xfe, 0x80}, 10, "link-local, RFC 4291"},
        {{0xfe, 0xc0}, 10, "site-local, RFC 3879"},
        {{0xff}, 8, "multicast, RFC 4291"},
    };
    return first_block(a, kBlocks);
}

// Names that never lead to a public address (RFC 6761 §6.3, §6.4; RFC 6762 .local; RFC 8375
// home.arpa).
std::optional<std::string> name_not_routable(const dns::Name& target)
{
    for (const char* special : {"localhost.", "invalid.", "local.", "home.arpa.", "internal."}) {
        if (target.is_subdomain_of(dns::Name::parse(special))) {
            return std::string("a special-use name that does not resolve publicly");
        }
    }
    return std::nullopt;
}

} // namespace

void refuse(std::string field, std::string message, int code)
{
    throw ValidationError({FieldError{std::move(field), std::move(message), code}});
}

bool ZoneRules::is_flattened(const RuleRecord& r) const
{
    return r.type == CNAME &&
           (r.owner == origin || flattening == CnameFlattening::FlattenAll || r.flatten_cname);
}

RuleRecord rule_record(const Record& r)
{
    return RuleRecord{r.owner, r.type, r.rdata, r.proxied, r.flatten_cname};
}

RuleRecord rule_record(const ImportRecord& r)
{
    return RuleRecord{r.owner, r.type, r.rdata, r.proxied, r.flatten_cname};
}

dns::Name resolve_owner(std::string_view text, const dns::Name& origin)
{
    if (text == "@") {
        return origin;
    }
    std::string_view body = text;
    bool dot = body.ends_with('.');
    if (dot) {
        body.remove_suffix(1);
    }
    std::string why;
    auto ascii = body.empty() ? std::optional<std::string>() : idn_to_ascii(body, &why);
    auto invalid = [](const std::string& reason) {
        refuse("name", "DNS name is invalid: " + reason, 9000);
    };
    if (!ascii) {
        invalid(body.empty() ? "the name is empty" : why);
    }
    std::string zone = origin.to_text_no_dot();
    bool apex = ascii->size() == zone.size() && ends_with_ci(*ascii, zone);
    bool below = ends_with_ci(*ascii, "." + zone);
    // The zone's own labels were checked when it was made; the user's are checked here.
    std::string_view own = *ascii;
    if (apex) {
        own = {};
    } else if (below) {
        own.remove_suffix(zone.size() + 1);
    }
    if (auto problem = own.empty() ? std::nullopt : host_name_problem(own, HostNameKind::Record)) {
        invalid(*problem);
    }
    bool absolute = dot || apex || below;
    std::string full = absolute ? *ascii : *ascii + "." + zone;
    if (full.size() > kMaxHostNameText) {
        invalid("it is longer than 253 characters");
    }
    static const dns::Name root;
    auto n = dns::Name::from_text(full + ".", &root, &why);
    if (!n) {
        invalid(why);
    }
    return *n;
}

Record prepare_record(const Zone& zone, const RecordInput& in)
{
    std::vector<FieldError> errs;
    Record r;
    try {
        r.owner = resolve_owner(in.name, zone.origin);
    } catch (const ValidationError& e) {
        errs.insert(errs.end(), e.errors.begin(), e.errors.end());
    }
    r.name = r.owner.to_text_no_dot();
    auto type = parse_type(in.type, errs);
    if (type) {
        r.type = *type;
        try {
            r.rdata = content_to_rdata(r.type, in.content, in.priority);
            auto shown = rdata_to_content(r.type, r.rdata);
            r.content = std::move(shown.content);
            r.priority = shown.priority;
        } catch (const ValidationError& e) {
            errs.insert(errs.end(), e.errors.begin(), e.errors.end());
        }
    }
    r.proxied = in.proxied;
    r.flatten_cname = in.flatten_cname;
    r.ipv4_only = in.ipv4_only;
    r.ipv6_only = in.ipv6_only;
    // Proxied records are always automatic (DESIGN §2), whatever was asked.
    if (!in.proxied && in.ttl != kAutomaticTtl && (in.ttl < 30 || in.ttl > 86400)) {
        errs.push_back(err(
            "ttl", "Invalid TTL. Must be between 30 and 86400 seconds, or 1 for automatic.", 9021));
    }
    r.ttl = in.proxied ? kAutomaticTtl
                       : static_cast<std::uint32_t>(std::clamp<std::int64_t>(in.ttl, 0, 86400));
    r.comment = in.comment;
    for (const auto& t : in.tags) {
        auto colon = t.find(':');
        if (colon == 0 || colon == std::string::npos) {
            errs.push_back(err("tags", "tag '" + t + "' is not of the form name:value"));
        }
    }
    r.tags = in.tags;
    r.zone_id = zone.id;
    if (errs.empty()) {
        ZoneRules rules{zone.origin, zone.cname_flattening};
        if (auto e = check_record(rules, rule_record(r))) {
            errs.push_back(std::move(*e));
        }
        if (auto e = check_family_only(r)) {
            errs.push_back(std::move(*e));
        }
        if (auto e = check_proxied_target(r)) {
            errs.push_back(std::move(*e));
        }
        // A CNAME to itself is legal DNS (a zone file may hold one: RFC 1034 §3.6.2 leaves
        // loops to resolvers), but never what a user editing one record means.
        auto target = dns::Name::from_wire(r.rdata);
        if (r.type == CNAME && target && *target == r.owner) {
            errs.push_back(err("content", "a CNAME record cannot point to its own name", 9007));
        }
    }
    if (!errs.empty()) {
        throw ValidationError(std::move(errs));
    }
    return r;
}

std::optional<FieldError> check_record(const ZoneRules& zone, const RuleRecord& r)
{
    if (!r.owner.is_subdomain_of(zone.origin)) {
        return err("name",
                   r.owner.to_text_no_dot() + " is outside the zone " +
                       zone.origin.to_text_no_dot(),
                   9000);
    }
    bool apex = r.owner == zone.origin;
    if (!dns::is_data_type(r.type)) {
        return err("type", dns::rrtype_to_text(r.type) + " is not a record type");
    }
    if (r.type == DNAME) {
        return err("type", "DNAME records are not supported");
    }
    if (r.type == SOA) {
        return err("type", "the SOA record is the zone's own: change it in the zone's settings");
    }
    if (apex && r.type == NS) {
        return err("type", "NS records at the apex are the zone's name servers: change them in "
                           "the zone's settings");
    }
    if (apex && r.type == DS) {
        return err("type", "a DS record for the zone itself belongs in the parent zone");
    }
    if (r.proxied && !is_proxiable(r.type)) {
        return err("proxied", "This record type cannot be proxied.", 9004);
    }
    if (r.flatten_cname && r.type != CNAME) {
        return err("settings.flatten_cname", "only CNAME records can be flattened");
    }
    if (r.flatten_cname && r.proxied) {
        return err("settings.flatten_cname",
                   "a proxied CNAME is always answered with edge addresses: flatten_cname "
                   "applies to DNS-only CNAMEs");
    }
    return std::nullopt;
}

std::optional<FieldError> check_family_only(const Record& r)
{
    if (!r.ipv4_only && !r.ipv6_only) {
        return std::nullopt;
    }
    std::string field = r.ipv4_only ? "settings.ipv4_only" : "settings.ipv6_only";
    if (!is_proxiable(r.type)) {
        return err(field, "applies to proxied A, AAAA and CNAME records only");
    }
    if (!r.proxied) {
        return err(field, "applies to proxied records only (a DNS-only record answers as it is)");
    }
    if (r.ipv4_only && r.ipv6_only) {
        return err("settings.ipv6_only", "ipv4_only and ipv6_only cannot both be set");
    }
    return std::nullopt;
}

std::optional<FieldError> check_proxied_target(const Record& r)
{
    if (!r.proxied) {
        return std::nullopt;
    }
    std::optional<std::string> why;
    if (r.type == A && r.rdata.size() == 4) {
        why = ipv4_not_routable(r.rdata);
    } else if (r.type == AAAA && r.rdata.size() == 16) {
        why = ipv6_not_routable(r.rdata);
    } else if (r.type == CNAME) {
        if (auto target = dns::Name::from_wire(r.rdata)) {
            why = name_not_routable(*target);
        }
    }
    if (!why) {
        return std::nullopt;
    }
    return err("content",
               "Target " + r.content + " is not allowed for a proxied record (" + *why +
                   "): the edge could not reach it. Use a public address, or make the record "
                   "DNS only.",
               9003);
}

std::optional<FieldError> check_name(const ZoneRules& zone, const RuleRecord& added,
                                     std::span<const RuleRecord> others, bool proxied_state)
{
    for (const auto& o : others) {
        if (o.type == added.type && same_rdata(added.type, o.rdata, added.rdata)) {
            return err("content", "An identical record already exists.", 81058);
        }
    }
    for (const auto& o : others) {
        if (added.type == CNAME) {
            // RFC 1034 §3.6.2: a CNAME owns its name; a flattened one is never served as a
            // CNAME, so it may sit beside non-address data.
            if (o.type == CNAME || is_address(o.type)) {
                return err("name", "An A, AAAA, or CNAME record with that host already exists.",
                           81053);
            }
            if (!zone.is_flattened(added)) {
                return err("name",
                           "A CNAME record cannot share its name with other records (here " +
                               type_name(o.type) + ") unless it is flattened.",
                           81053);
            }
        } else if (o.type == CNAME && (is_address(added.type) || !zone.is_flattened(o))) {
            return err("name", "A CNAME record with that host already exists.", 81054);
        }
    }
    bool apex = added.owner == zone.origin;
    for (const auto& o : others) {
        // Below the apex an NS RRset is a delegation (RFC 1034 §4.2.1): only DS lives beside
        // it (RFC 4035 §2.4), at the parent side of the cut.
        if (!apex && added.type == NS && o.type != NS && o.type != DS) {
            return err("type", "NS records below the apex delegate the name: only DS records "
                               "may share it (it has " +
                                   type_name(o.type) + ")");
        }
        if (!apex && o.type == NS && added.type != NS && added.type != DS) {
            return err("type", added.owner.to_text_no_dot() +
                                   " is delegated (it has NS records): only DS records may "
                                   "share its name");
        }
        if (proxied_state && is_address(added.type) && is_address(o.type) &&
            o.proxied != added.proxied) {
            return err("proxied", "all A and AAAA records of a name share one proxied state (" +
                                      std::string(o.proxied ? "proxied" : "DNS only") + " here)");
        }
    }
    return std::nullopt;
}

std::optional<FieldError> check_proxied_state(const dns::Name& owner,
                                              std::span<const RuleRecord> all)
{
    int proxied = 0, dns_only = 0;
    for (const auto& r : all) {
        if (is_address(r.type)) {
            ++(r.proxied ? proxied : dns_only);
        }
    }
    if (proxied == 0 || dns_only == 0) {
        return std::nullopt;
    }
    return err("proxied", "all A and AAAA records of " + owner.to_text_no_dot() +
                              " share one proxied state (it would have " + std::to_string(proxied) +
                              " proxied and " + std::to_string(dns_only) +
                              " DNS only): change them together");
}

std::optional<FieldError> check_below_delegation(const RuleRecord& added, const dns::Name& cut)
{
    if (!is_address(added.type)) {
        return err("name", added.owner.to_text_no_dot() + " is below the delegation " +
                               cut.to_text_no_dot() + ": only glue (A, AAAA) may be there");
    }
    if (added.proxied) {
        return err("proxied",
                   "glue below the delegation " + cut.to_text_no_dot() + " cannot be proxied");
    }
    return std::nullopt;
}

std::optional<FieldError> check_delegation_over(const RuleRecord& added, const RuleRecord& below)
{
    if (is_address(below.type) && !below.proxied) {
        return std::nullopt;
    }
    return err("type", "NS records would delegate " + added.owner.to_text_no_dot() + ", but " +
                           below.owner.to_text_no_dot() + " below it holds " +
                           (below.proxied ? "a proxied record" : type_name(below.type)) +
                           ": only glue (A, AAAA) may be below a delegation");
}

} // namespace nuage::store

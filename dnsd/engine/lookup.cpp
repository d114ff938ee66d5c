#include "dnsd/engine/lookup.hpp"

#include <cstring>

namespace nuage::engine {

using snapshot::Node;
using snapshot::RRset;
using snapshot::ZoneData;

namespace {

constexpr std::uint16_t kNS = 2, kCNAME = 5, kSOA = 6, kDS = 43, kRRSIG = 46, kANY = 255;
constexpr std::size_t kMaxLabels = 128;

// A lowercase name being resolved, with the offset of each label so that every ancestor is a
// tail of the same bytes (no copies while walking up or down the tree).
struct LookupName {
    const std::uint8_t* wire = nullptr;
    std::size_t len = 0;
    std::size_t labels = 0;
    std::uint8_t offsets[kMaxLabels]; // `labels` entries valid after index()

    void index() noexcept
    {
        labels = 0;
        std::size_t i = 0;
        while (wire[i] != 0 && labels < kMaxLabels) {
            offsets[labels++] = static_cast<std::uint8_t>(i);
            i += 1 + wire[i];
        }
    }
    // The ancestor that is `up` labels above this name (0: the name itself).
    const std::uint8_t* suffix(std::size_t up) const noexcept { return wire + offsets[up]; }
    std::size_t suffix_len(std::size_t up) const noexcept { return len - offsets[up]; }
};

enum class Kind : std::uint8_t { Data, Cname, NoData, NxDomain, Referral, ServFail };

struct Step {
    Kind kind;
    const Node* node;   // the node that answers (a wildcard when synthesized) or the cut
    const RRset* rrset; // the data, the CNAME or the delegation's NS
};

// Answers from a node that matches the name (exactly, or as the source of synthesis).
Step from_node(const Node& n, std::uint16_t qtype) noexcept
{
    if (n.flatten_unknown_for(qtype)) {
        return {Kind::ServFail, &n, nullptr}; // DESIGN §2: a flattened name not resolved yet
    }
    if (n.is_empty_nonterminal()) {
        return {Kind::NoData, &n, nullptr}; // RFC 8020: an ENT exists, so NODATA
    }
    // RFC 1034 §4.3.2 step 3a. ANY and RRSIG are answered from the node itself (Knot DNS).
    if (qtype != kCNAME && qtype != kANY && qtype != kRRSIG) {
        if (const RRset* c = n.find(kCNAME)) {
            return {Kind::Cname, &n, c};
        }
    }
    // RFC 8482 §4.2: ANY gets one RRset, the node's first (lowest type), as Knot DNS picks.
    const RRset* s = qtype == kANY ? &n.rrsets.front() : n.find(qtype);
    return s ? Step{Kind::Data, &n, s} : Step{Kind::NoData, &n, nullptr};
}

Step referral(const Node& cut) noexcept
{
    return {Kind::Referral, &cut, cut.find(kNS)};
}

// RFC 4592 §2.2: the source of synthesis is "*." + the closest encloser; without it the name
// does not exist. A wildcard owning NS is a referral from that node (as Knot DNS answers).
Step wildcard_or_nxdomain(const ZoneData& z, const Node& encloser, std::uint16_t qtype) noexcept
{
    std::size_t elen = encloser.owner.size();
    if (!encloser.has_wildcard_child() || elen + 2 > dns::kMaxNameWire) {
        return {Kind::NxDomain, nullptr, nullptr};
    }
    std::uint8_t buf[dns::kMaxNameWire];
    buf[0] = 1;
    buf[1] = '*';
    std::memcpy(buf + 2, encloser.owner.data(), elen);
    const Node* w = z.nodes.find(buf, elen + 2);
    if (!w) {
        return {Kind::NxDomain, nullptr, nullptr};
    }
    return w->is_delegation() ? referral(*w) : from_node(*w, qtype);
}

// With zone cuts in the zone, walk down from the apex: the first delegation on the way owns
// the name (RFC 1034 §4.3.2 step 3b), except that DS at the cut itself is parent-side data
// (RFC 4035 §3.1.4.1). The walk stops at the first missing name: its parent is the closest
// encloser (every ancestor of a node exists, ENTs included).
Step walk_with_cuts(const ZoneData& z, const LookupName& n, std::size_t below,
                    std::uint16_t qtype) noexcept
{
    const Node* last = z.apex();
    if (!last) {
        return {Kind::NxDomain, nullptr, nullptr};
    }
    for (std::size_t up = below; up-- > 0;) {
        const Node* node = z.nodes.find(n.suffix(up), n.suffix_len(up));
        if (!node) {
            return wildcard_or_nxdomain(z, *last, qtype);
        }
        if (node->is_delegation() && !(up == 0 && qtype == kDS)) {
            return referral(*node);
        }
        last = node;
    }
    return from_node(*last, qtype);
}

Step lookup_in_zone(const ZoneData& z, const LookupName& n, std::uint16_t qtype) noexcept
{
    std::size_t zone_labels = dns::label_count(z.origin.data());
    std::size_t below = n.labels - zone_labels;
    if (z.delegation_count > 0) {
        return walk_with_cuts(z, n, below, qtype);
    }
    if (const Node* node = z.nodes.find(n.wire, n.len)) {
        return from_node(*node, qtype);
    }
    for (std::size_t up = 1; up <= below; ++up) {
        if (const Node* e = z.nodes.find(n.suffix(up), n.suffix_len(up))) {
            return wildcard_or_nxdomain(z, *e, qtype);
        }
    }
    return {Kind::NxDomain, nullptr, nullptr};
}

// The zone to answer `n` from: the longest suffix, except that DS at a zone apex is answered
// by the parent zone when we serve it (RFC 4035 §3.1.4.1; Knot DNS does the same).
const ZoneData* route(const snapshot::Catalog& c, const LookupName& n, std::uint16_t qtype) noexcept
{
    const ZoneData* z = c.find_zone(n.wire, n.len);
    if (z && qtype == kDS && n.len > 1 && z->origin.size() == n.len) {
        if (const ZoneData* parent = c.find_parent_zone(*z)) {
            return parent;
        }
    }
    return z;
}

// NXDOMAIN or NODATA: the zone's SOA in the authority section, with the TTL a negative answer
// may be cached for, min(SOA TTL, SOA MINIMUM) (RFC 2308 §3, §5).
void plan_negative(AnswerPlan& plan, const ZoneData& z, bool nxdomain) noexcept
{
    if (nxdomain) {
        plan.rcode = rcode::kNxDomain;
    }
    const Node* apex = z.apex();
    const RRset* soa = apex ? apex->find(kSOA) : nullptr;
    if (soa) {
        plan.set_authority({soa, apex->owner.data(), z.negative_ttl, &z, false});
    }
}

// Names already used as owners in the answer: a CNAME pointing back to one is a loop, answered
// with the chain so far and not followed again.
struct Visited {
    const std::uint8_t* names[kMaxCnameChain + 1];
    std::size_t lens[kMaxCnameChain + 1];
    std::size_t count = 0;

    bool contains(const std::uint8_t* name, std::size_t len) const noexcept
    {
        for (std::size_t i = 0; i < count; ++i) {
            if (dns::names_equal_ci(names[i], lens[i], name, len)) {
                return true;
            }
        }
        return false;
    }
    void add(const std::uint8_t* name, std::size_t len) noexcept
    {
        if (count < kMaxCnameChain + 1) {
            names[count] = name;
            lens[count++] = len;
        }
    }
};

// The target of a CNAME RRset (one RR), or null when its RDATA is not a plain name.
const std::uint8_t* cname_target(const RRset& cname, std::size_t& len) noexcept
{
    if (cname.count == 0 || cname.rdata.size() < 3) {
        return nullptr;
    }
    const std::uint8_t* rd = cname.rdata.data() + 2;
    std::size_t rdlen = dns::read_u16(cname.rdata.data());
    if (rdlen > cname.rdata.size() - 2) {
        return nullptr;
    }
    len = dns::name_wire_length(rd, rd + rdlen);
    return len == 0 ? nullptr : rd;
}

// Plans the answer of a step that ends the chain (anything but a CNAME).
void plan_final(AnswerPlan& plan, const Step& s, const std::uint8_t* owner,
                const ZoneData& z) noexcept
{
    switch (s.kind) {
    case Kind::Data:
        plan.add_answer({s.rrset, owner, s.rrset->ttl, &z, false});
        break;
    case Kind::NoData:
    case Kind::NxDomain:
        // RFC 6604 §3: at the end of a chain, the rcode is that of the last name.
        plan_negative(plan, z, s.kind == Kind::NxDomain);
        break;
    case Kind::Referral:
        if (s.rrset) {
            plan.set_authority({s.rrset, s.node->owner.data(), s.rrset->ttl, &z, true});
        }
        break;
    case Kind::ServFail:
        plan.rcode = rcode::kServFail;
        break;
    case Kind::Cname:
        break;
    }
}

// The target of `cname`, lowercased into `buf` and indexed as `n`, or null when the RDATA is
// not a name or the target was already an owner in the answer (a loop: not followed again).
const std::uint8_t* next_name(const RRset& cname, Visited& visited, std::uint8_t* buf,
                              LookupName& n) noexcept
{
    std::size_t tlen = 0;
    const std::uint8_t* target = cname_target(cname, tlen);
    if (!target || visited.contains(target, tlen)) {
        return nullptr;
    }
    visited.add(target, tlen);
    for (std::size_t i = 0; i < tlen; ++i) {
        buf[i] = dns::to_lower(target[i]);
    }
    n.wire = buf;
    n.len = tlen;
    n.index();
    return target;
}

} // namespace

void resolve(const snapshot::Catalog& catalog, const QueryView& q, AnswerPlan& plan) noexcept
{
    LookupName n;
    n.wire = q.lower;
    n.len = q.qname_len;
    n.index();
    const ZoneData* z = route(catalog, n, q.qtype);
    if (!z) {
        plan.refused = true;
        return;
    }
    std::uint8_t target_lower[dns::kMaxNameWire];
    Visited visited;
    visited.add(q.lower, q.qname_len);
    const std::uint8_t* owner = nullptr; // the query name, written with the query's case
    for (std::size_t cnames = 0;; ++cnames) {
        Step s = lookup_in_zone(*z, n, q.qtype);
        if (cnames == 0) {
            plan.aa = s.kind != Kind::Referral; // RFC 1035 §4.1.1: AA is about the qname
        }
        if (s.kind != Kind::Cname) {
            plan_final(plan, s, owner, *z);
            return;
        }
        if (cnames == kMaxCnameChain) {
            return; // bounded, as Knot DNS bounds it: the resolver may go on from here
        }
        plan.add_answer({s.rrset, owner, s.rrset->ttl, z, false});
        owner = next_name(*s.rrset, visited, target_lower, n);
        // RFC 1034 §4.3.2 step 3a: restart at step 1, so the target may be in any zone we
        // serve. A target outside them ends the answer (NOERROR, no SOA).
        if (!owner || !(z = route(catalog, n, q.qtype))) {
            return;
        }
    }
}

const Node* find_additional_node(const ZoneData& zone, const std::uint8_t* target,
                                 std::size_t len) noexcept
{
    if (len == 0 || len > dns::kMaxNameWire) {
        return nullptr;
    }
    std::uint8_t buf[dns::kMaxNameWire];
    for (std::size_t i = 0; i < len; ++i) {
        buf[i] = dns::to_lower(target[i]);
    }
    const std::uint8_t* origin = zone.origin.data();
    std::size_t olen = zone.origin.size();
    if (!dns::is_subdomain_ci(buf, len, origin, olen)) {
        return nullptr;
    }
    if (const Node* node = zone.nodes.find(buf, len)) {
        return node;
    }
    const std::uint8_t* p = buf;
    std::size_t l = len;
    while (l > olen) {
        std::size_t step = 1 + *p;
        p += step;
        l -= step;
        if (const Node* e = zone.nodes.find(p, l)) {
            Step s = wildcard_or_nxdomain(zone, *e, 1);
            return s.kind == Kind::Data || s.kind == Kind::NoData ? s.node : nullptr;
        }
    }
    return nullptr;
}

} // namespace nuage::engine

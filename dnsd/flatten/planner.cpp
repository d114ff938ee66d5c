#include "dnsd/flatten/planner.hpp"

#include "dnsd/engine/lookup.hpp"

#include <algorithm>
#include <cstring>

namespace nuage::flatten {

namespace {

constexpr std::uint16_t kCname = 5, kSoa = 6, kClassIn = 1;

// What the engine's plan says about the chain from the target.
struct Chain {
    dns::Name final_name; // the last name of the chain (the target when no CNAME)
    std::size_t cnames = 0;
    std::uint32_t ttl = 0;      // the smallest TTL of the CNAMEs, and of the flattened record
    bool ends_in_cname = false; // the engine stopped at a CNAME (target outside, or a loop)
};

std::optional<dns::Name> cname_target(const snapshot::RRset& s)
{
    if (s.count == 0 || s.rdata.size() < 2) {
        return std::nullopt;
    }
    std::size_t len = dns::read_u16(s.rdata.data());
    if (len + 2 > s.rdata.size()) {
        return std::nullopt;
    }
    return dns::Name::from_wire(dns::as_view(s.rdata.data() + 2, len));
}

std::vector<std::string> rdatas_of(const snapshot::RRset& s)
{
    std::vector<std::string> out;
    s.for_each([&](const std::uint8_t* rd, std::uint16_t len) {
        out.emplace_back(reinterpret_cast<const char*>(rd), len);
    });
    return out;
}

} // namespace

const FamilyResult& Planner::resolve(std::int64_t zone_id, const snapshot::FlattenedCname& f,
                                     std::uint16_t qtype)
{
    Key key{zone_id, f.owner.wire(), qtype};
    if (auto it = memo_.find(key); it != memo_.end()) {
        return it->second;
    }
    if (!in_progress_.insert(key).second) {
        static const FamilyResult kCycle{}; // unknown: flattened names that point at each other
        return kCycle;
    }
    FamilyResult r = walk(zone_id, f, qtype);
    in_progress_.erase(key);
    return memo_.emplace(key, std::move(r)).first->second;
}

void Planner::external(const dns::Name& name, std::uint16_t qtype, std::uint32_t ttl,
                       FamilyResult& r, std::size_t handoffs)
{
    CacheKey key{name, qtype};
    r.keys.insert(key);
    CacheView v = lookup_(key);
    if (!v.known) {
        return;
    }
    // An upstream chain that comes back into a zone we serve goes on in the snapshot from
    // there: the upstream's copy of that data may be an old or forged origin address.
    for (const dns::Name& n : v.chain) {
        if (catalog_.find_zone(n)) {
            if (handoffs < kMaxFlattenChain) {
                follow(n, std::min(ttl, v.ttl), qtype, r, handoffs + 1);
            }
            return;
        }
    }
    if (!v.handoff) { // else: the zone it reached is no longer served; unknown until refetched
        r.family = {true, std::min(ttl, v.ttl), std::move(v.rdatas)};
    }
}

namespace {

// Reads the CNAMEs of the engine's answer into `c` and the final RRset (if any) into `data`,
// noting the zones read. False for a chain that is broken or longer than allowed.
bool read_chain(const engine::AnswerPlan& plan, Chain& c, const snapshot::RRset*& data,
                std::set<std::int64_t>& zones)
{
    for (std::size_t i = 0; i < plan.answer_count; ++i) {
        const engine::PlanRRset& a = plan.answer[i];
        zones.insert(a.zone->zone_id);
        if (a.rrset->type != kCname) {
            data = a.rrset;
            continue;
        }
        c.ttl = std::min(c.ttl, a.ttl);
        auto t = cname_target(*a.rrset);
        if (!t || ++c.cnames > kMaxFlattenChain) {
            return false;
        }
        c.final_name = std::move(*t);
        c.ends_in_cname = i + 1 == plan.answer_count;
    }
    if (plan.authority_count) {
        zones.insert(plan.authority[0].zone->zone_id);
    }
    return true;
}

// The answer of a chain that ends in a served zone, from the engine's plan.
compile::FlattenedFamily from_plan(const engine::AnswerPlan& plan, const Chain& c,
                                   const snapshot::RRset* data)
{
    if (plan.rcode != 0 && plan.rcode != 3) {
        return {}; // SERVFAIL: unknown
    }
    if (data) {
        return {true, std::min(c.ttl, data->ttl), rdatas_of(*data)};
    }
    // NODATA or NXDOMAIN (DESIGN §2: a target that does not exist gives NODATA), kept as long
    // as the negative answer may be (RFC 2308 §5).
    std::uint32_t ttl = c.ttl;
    if (plan.authority_count && plan.authority[0].rrset->type == kSoa) {
        ttl = std::min(ttl, plan.authority[0].ttl);
    }
    return {true, ttl, {}};
}

} // namespace

bool Planner::through_flattened(const snapshot::ZoneData& zone, const dns::Name& final_name,
                                std::uint32_t ttl, std::uint16_t qtype, FamilyResult& r)
{
    const snapshot::Node* node =
        engine::find_additional_node(zone, final_name.data(), final_name.size());
    if (!node || !node->is_flattened()) {
        return false;
    }
    // Through that name's own answer, not the addresses its node holds now.
    if (const snapshot::FlattenedCname* sub = zone.find_flattened(node->owner)) {
        const FamilyResult& s = resolve(zone.zone_id, *sub, qtype);
        r.zones.insert(s.zones.begin(), s.zones.end());
        r.keys.insert(s.keys.begin(), s.keys.end());
        if (s.family.known) {
            r.family = {true, std::min(ttl, s.family.ttl), s.family.rdatas};
        }
    }
    return true;
}

FamilyResult Planner::walk(std::int64_t zone_id, const snapshot::FlattenedCname& f,
                           std::uint16_t qtype)
{
    FamilyResult r;
    r.zones.insert(zone_id);
    follow(f.target, f.ttl, qtype, r, 0);
    return r;
}

void Planner::follow(const dns::Name& target, std::uint32_t ttl, std::uint16_t qtype,
                     FamilyResult& r, std::size_t handoffs)
{
    engine::QueryView q;
    q.qname_len = static_cast<std::uint8_t>(target.size());
    std::memcpy(q.lower, target.data(), target.size());
    q.qname = q.lower;
    q.qtype = qtype;
    q.qclass = kClassIn;
    q.has_question = true;
    engine::AnswerPlan plan;
    engine::resolve(catalog_, q, plan);
    if (plan.refused) {
        external(target, qtype, ttl, r, handoffs); // outside every served zone
        return;
    }
    Chain c{target, 0, ttl, false};
    const snapshot::RRset* data = nullptr;
    if (!read_chain(plan, c, data, r.zones)) {
        return; // unknown
    }
    const snapshot::ZoneData* fz = catalog_.find_zone(c.final_name);
    if (c.ends_in_cname) {
        if (!fz) {
            external(c.final_name, qtype, c.ttl, r, handoffs); // the chain leaves our zones
        }
        return; // else a loop, or longer than the engine follows: unknown
    }
    if (plan.authority_count && plan.authority[0].referral) {
        external(c.final_name, qtype, c.ttl, r, handoffs); // delegated away: not ours
        return;
    }
    if (fz) {
        r.zones.insert(fz->zone_id);
        if (through_flattened(*fz, c.final_name, c.ttl, qtype, r)) {
            return;
        }
    }
    r.family = from_plan(plan, c, data);
}

} // namespace nuage::flatten

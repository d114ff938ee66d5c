#include "zonestore/compile/flattened.hpp"

#include "zonestore/dns/wire.hpp"

#include <algorithm>

namespace nuage::compile {

namespace {

using snapshot::Node;
using snapshot::RRset;

constexpr std::uint16_t kA = 1, kAAAA = 28, kSOA = 6;

// The RRset the engine serves for one known, non-empty family: canonical order, no duplicates
// (RFC 2181 §5), as compile_zone builds every RRset.
RRset family_rrset(std::uint16_t type, const FlattenedFamily& f)
{
    std::vector<std::string> rd = f.rdatas;
    std::sort(rd.begin(), rd.end());
    rd.erase(std::unique(rd.begin(), rd.end()), rd.end());
    RRset s;
    s.type = type;
    s.ttl = f.ttl;
    s.count = static_cast<std::uint16_t>(rd.size());
    for (const auto& r : rd) {
        std::uint8_t len[2];
        dns::write_u16(len, static_cast<std::uint16_t>(r.size()));
        s.rdata.insert(s.rdata.end(), len, len + 2);
        s.rdata.insert(s.rdata.end(), r.begin(), r.end());
    }
    return s;
}

bool family_matches(const Node& n, std::uint16_t type, std::uint8_t unknown_flag,
                    const FlattenedFamily& f)
{
    bool unknown = (n.flags & unknown_flag) != 0;
    const RRset* s = n.find(type);
    if (!f.known) {
        return unknown && !s;
    }
    if (unknown) {
        return false;
    }
    if (f.rdatas.empty()) {
        return !s;
    }
    if (!s) {
        return false;
    }
    RRset want = family_rrset(type, f);
    return s->ttl == want.ttl && s->count == want.count && s->rdata == want.rdata;
}

void set_family(Node& n, std::uint16_t type, std::uint8_t unknown_flag, const FlattenedFamily& f)
{
    std::erase_if(n.rrsets, [&](const RRset& s) { return s.type == type; });
    n.flags =
        static_cast<std::uint8_t>(f.known ? (n.flags & ~unknown_flag) : (n.flags | unknown_flag));
    if (f.known && !f.rdatas.empty()) {
        n.rrsets.push_back(family_rrset(type, f));
        std::sort(n.rrsets.begin(), n.rrsets.end(),
                  [](const RRset& x, const RRset& y) { return x.type < y.type; });
    }
}

} // namespace

bool node_holds(const Node& node, const FlattenedAnswer& answer)
{
    return family_matches(node, kA, snapshot::kFlattenUnknownA, answer.a) &&
           family_matches(node, kAAAA, snapshot::kFlattenUnknownAAAA, answer.aaaa);
}

snapshot::ZoneRef apply_flattened(const snapshot::ZoneData& base,
                                  std::span<const FlattenedAnswer> answers)
{
    std::vector<std::shared_ptr<const Node>> ups;
    for (const auto& a : answers) {
        const Node* old = base.nodes.find(a.owner);
        if (!old || !old->is_flattened() || node_holds(*old, a)) {
            continue;
        }
        auto n = std::make_shared<Node>(*old);
        set_family(*n, kA, snapshot::kFlattenUnknownA, a.a);
        set_family(*n, kAAAA, snapshot::kFlattenUnknownAAAA, a.aaaa);
        ups.push_back(std::move(n));
    }
    auto z = std::make_shared<snapshot::ZoneData>(base);
    if (!ups.empty()) {
        z->nodes = base.nodes.with_changes(ups, {});
    }
    return z;
}

snapshot::ZoneRef with_serial(const snapshot::ZoneData& base, std::uint32_t serial)
{
    auto z = std::make_shared<snapshot::ZoneData>(base);
    z->serial = serial;
    const Node* apex = base.apex();
    const RRset* soa = apex ? apex->find(kSOA) : nullptr;
    if (!soa || soa->rdata.size() < 2) {
        return z;
    }
    auto n = std::make_shared<Node>(*apex);
    for (RRset& s : n->rrsets) {
        if (s.type != kSOA) {
            continue;
        }
        // RDATA: MNAME, RNAME (uncompressed, as compiled), then SERIAL (RFC 1035 §3.3.13).
        std::uint8_t* rd = s.rdata.data() + 2;
        const std::uint8_t* end = s.rdata.data() + s.rdata.size();
        std::size_t m = dns::name_wire_length(rd, end);
        std::size_t r = m ? dns::name_wire_length(rd + m, end) : 0;
        if (r && rd + m + r + 4 <= end) {
            dns::write_u32(rd + m + r, serial);
        }
    }
    std::vector<std::shared_ptr<const Node>> ups{std::move(n)};
    z->nodes = base.nodes.with_changes(ups, {});
    return z;
}

} // namespace nuage::compile

#include "zonestore/compile/compiler.hpp"

#include "zonestore/dns/wire.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <numeric>
#include <unordered_map>

namespace nuage::compile {

using snapshot::Node;
using snapshot::NodeMap;
using snapshot::RRset;

namespace {

constexpr std::uint16_t kSOA = 6, kNS = 2, kA = 1, kAAAA = 28;

std::string name_rdata(const dns::Name& n) { return n.wire(); }

std::string soa_rdata(const SoaFields& s)
{
    std::string r = s.mname.wire() + s.rname.wire();
    std::uint8_t buf[20];
    dns::write_u32(buf, s.serial);
    dns::write_u32(buf + 4, s.refresh);
    dns::write_u32(buf + 8, s.retry);
    dns::write_u32(buf + 12, s.expire);
    dns::write_u32(buf + 16, s.minimum);
    r.append(reinterpret_cast<const char*>(buf), sizeof buf);
    return r;
}

// One RRset from the RDATA of its RRs: canonical order (RFC 4034 §6.3), duplicates dropped
// (RFC 2181 §5).
RRset make_rrset(std::uint16_t type, std::uint32_t ttl, std::vector<std::string> rdatas)
{
    std::sort(rdatas.begin(), rdatas.end());
    rdatas.erase(std::unique(rdatas.begin(), rdatas.end()), rdatas.end());
    RRset s;
    s.type = type;
    s.ttl = ttl;
    s.count = static_cast<std::uint16_t>(rdatas.size());
    for (const auto& r : rdatas) {
        std::uint8_t len[2];
        dns::write_u16(len, static_cast<std::uint16_t>(r.size()));
        s.rdata.insert(s.rdata.end(), len, len + 2);
        s.rdata.insert(s.rdata.end(), r.begin(), r.end());
    }
    return s;
}

std::vector<RRset> make_rrsets(const dns::Name& origin, std::span<const SourceRecord* const> recs)
{
    std::map<std::uint16_t, std::pair<std::uint32_t, std::vector<std::string>>> by_type;
    for (const SourceRecord* r : recs) {
        if (r->type == kSOA || (r->type == kNS && r->owner == origin)) {
            throw CompileError("record " + r->owner.to_text() + " " + std::to_string(r->type) +
                               ": apex SOA and NS come from the zone's settings");
        }
        auto [it, fresh] = by_type.try_emplace(r->type, r->ttl, std::vector<std::string>{});
        it->second.second.push_back(r->rdata);
    }
    std::vector<RRset> out;
    out.reserve(by_type.size());
    for (auto& [type, v] : by_type) {
        out.push_back(make_rrset(type, v.first, std::move(v.second)));
    }
    return out;
}

std::vector<RRset> make_rrsets(const dns::Name& origin, const std::vector<SourceRecord>& recs)
{
    std::vector<const SourceRecord*> ptrs;
    ptrs.reserve(recs.size());
    for (const auto& r : recs) {
        ptrs.push_back(&r);
    }
    return make_rrsets(origin, ptrs);
}

// The working set of a compile: nodes changed so far, layered over the base map.
class ZoneEditor {
public:
    ZoneEditor(const NodeMap& base, const dns::Name& origin, std::size_t expected = 0)
        : base_(base), origin_(origin)
    {
        changed_.reserve(expected);
    }

    void set_records(const dns::Name& owner, std::vector<RRset> rrsets)
    {
        if (!owner.is_subdomain_of(origin_)) {
            throw CompileError("record " + owner.to_text() + " is outside the zone " +
                               origin_.to_text());
        }
        Node* n = edit(owner);
        if (!n) {
            if (rrsets.empty()) {
                return;
            }
            n = create(owner);
        }
        bool was_delegation = n->is_delegation();
        n->rrsets = std::move(rrsets);
        bool delegation = !n->is_apex() && n->find(kNS);
        n->flags = static_cast<std::uint8_t>(delegation ? (n->flags | snapshot::kDelegation)
                                                        : (n->flags & ~snapshot::kDelegation));
        delegation_delta_ += int(delegation) - int(was_delegation);
        if (removable(*n)) {
            remove(owner);
        }
    }

    // Marks `owner` as the owner of a flattened CNAME (DESIGN §2), or no longer one. A
    // flattened node exists even without RRsets (its answer may be NODATA); until the daemon's
    // flattener writes the target's addresses, the families it has no RRset for are unknown
    // (SERVFAIL, never a guess).
    void set_flattened(const dns::Name& owner, bool on)
    {
        if (on && !owner.is_subdomain_of(origin_)) {
            throw CompileError("flattened CNAME " + owner.to_text() + " is outside the zone " +
                               origin_.to_text());
        }
        Node* n = edit(owner);
        if (!n) {
            if (!on) {
                return;
            }
            n = create(owner);
        }
        constexpr std::uint8_t kAll =
            snapshot::kFlattened | snapshot::kFlattenUnknownA | snapshot::kFlattenUnknownAAAA;
        n->flags &= static_cast<std::uint8_t>(~kAll);
        if (on) {
            n->flags |= snapshot::kFlattened;
            if (!n->find(kA)) {
                n->flags |= snapshot::kFlattenUnknownA;
            }
            if (!n->find(kAAAA)) {
                n->flags |= snapshot::kFlattenUnknownAAAA;
            }
        } else if (removable(*n)) {
            remove(owner);
        }
    }

    // The apex always exists; its SOA and NS are replaced, other RRsets kept.
    void set_apex(const ZoneMeta& meta)
    {
        Node* a = edit(origin_);
        if (!a) {
            a = create(origin_);
        }
        a->flags |= snapshot::kApex;
        std::erase_if(a->rrsets, [](const RRset& s) { return s.type == kSOA || s.type == kNS; });
        a->rrsets.push_back(make_rrset(kSOA, meta.soa.ttl, {soa_rdata(meta.soa)}));
        if (!meta.name_servers.empty()) {
            std::vector<std::string> ns;
            for (const auto& n : meta.name_servers) {
                ns.push_back(name_rdata(n));
            }
            a->rrsets.push_back(make_rrset(kNS, meta.ns_ttl, std::move(ns)));
        }
        std::sort(a->rrsets.begin(), a->rrsets.end(),
                  [](const RRset& x, const RRset& y) { return x.type < y.type; });
    }

    int delegation_delta() const { return delegation_delta_; }

    NodeMap finish(bool fresh) const
    {
        std::vector<std::shared_ptr<const Node>> ups;
        std::vector<dns::Name> dels;
        ups.reserve(changed_.size());
        for (const auto& [name, node] : changed_) {
            if (node) {
                ups.push_back(node);
            } else if (!fresh) {
                dels.push_back(*dns::Name::from_wire(name));
            }
        }
        if (fresh) {
            return NodeMap::build(std::move(ups));
        }
        return base_.with_changes(ups, dels);
    }

private:
    // A mutable copy of the node at `name`, or null when the name does not exist.
    Node* edit(const dns::Name& name)
    {
        auto it = changed_.find(name.wire());
        if (it != changed_.end()) {
            return it->second.get();
        }
        const Node* old = base_.find(name);
        if (!old) {
            return nullptr;
        }
        auto copy = std::make_shared<Node>(*old);
        Node* p = copy.get();
        std::string_view key = copy->owner.wire();
        changed_.insert_or_assign(key, std::move(copy));
        return p;
    }

    Node* create(const dns::Name& name)
    {
        auto n = std::make_shared<Node>();
        n->owner = name;
        if (name == origin_) {
            n->flags |= snapshot::kApex;
        }
        Node* p = n.get();
        std::string_view key = n->owner.wire();
        changed_.insert_or_assign(key, std::move(n));
        if (!(name == origin_)) {
            Node* parent = edit(name.parent());
            if (!parent) {
                parent = create(name.parent());  // an empty non-terminal
            }
            // `create` may rehash changed_, but nodes live behind shared_ptr: p stays valid.
            parent->children++;
            if (name.is_wildcard()) {
                parent->flags |= snapshot::kWildcardChild;
            }
        }
        return p;
    }

    // A node that nothing keeps: no RRset, no child, not the apex, not a flattened name.
    static bool removable(const Node& n)
    {
        return n.rrsets.empty() && n.children == 0 && !n.is_apex() && !n.is_flattened();
    }

    void remove(const dns::Name& name)
    {
        dns::Name parent_name = name.parent();
        bool wildcard = name.is_wildcard();
        // The key must outlive the node it came from: point it at a name we keep.
        const dns::Name& kept = erased_.emplace_back(name);
        changed_.erase(name.wire());  // may free the node `name` belongs to
        changed_[kept.wire()] = nullptr;
        Node* parent = edit(parent_name);
        if (!parent) {
            return;
        }
        parent->children--;
        if (wildcard) {
            parent->flags &= static_cast<std::uint8_t>(~snapshot::kWildcardChild);
        }
        if (removable(*parent)) {
            dns::Name up = parent->owner;  // copy: remove() frees the node
            remove(up);
        }
    }

    const NodeMap& base_;
    const dns::Name& origin_;
    struct ViewHash {
        std::size_t operator()(std::string_view w) const
        {
            return static_cast<std::size_t>(
                dns::name_hash(reinterpret_cast<const std::uint8_t*>(w.data()), w.size()));
        }
    };
    // Keys are views of the nodes' own owner names (or of erased_), so no name is copied.
    std::unordered_map<std::string_view, std::shared_ptr<Node>, ViewHash> changed_;
    std::deque<dns::Name> erased_;
    int delegation_delta_ = 0;
};

using FlattenTable = std::vector<FlattenedName>;

bool owner_less(const FlattenedName& a, const FlattenedName& b)
{
    return a.owner.wire() < b.owner.wire();
}

// The sorted table of a full compile; two flattened CNAMEs at one name are refused.
std::shared_ptr<const FlattenTable> make_flatten_table(FlattenTable t)
{
    if (t.empty()) {
        return nullptr;
    }
    std::sort(t.begin(), t.end(), owner_less);
    for (std::size_t i = 1; i < t.size(); ++i) {
        if (t[i].owner == t[i - 1].owner) {
            throw CompileError("two flattened CNAMEs at " + t[i].owner.to_text());
        }
    }
    return std::make_shared<const FlattenTable>(std::move(t));
}

// `base` with the flattened CNAMEs of the updated names replaced; `base` itself when the
// update touches none (the table is shared with the previous version).
std::shared_ptr<const FlattenTable> update_flatten_table(
    const std::shared_ptr<const FlattenTable>& base, std::span<const NameUpdate> updates)
{
    bool touched = false;
    for (const auto& u : updates) {
        FlattenedName key{u.owner, {}, 0};
        touched = touched || !u.flattened.empty() ||
                  (base && std::binary_search(base->begin(), base->end(), key, owner_less));
    }
    if (!touched) {
        return base;
    }
    FlattenTable t = base ? *base : FlattenTable{};
    std::erase_if(t, [&](const FlattenedName& f) {
        return std::any_of(updates.begin(), updates.end(),
                           [&](const NameUpdate& u) { return u.owner == f.owner; });
    });
    for (const auto& u : updates) {
        for (const auto& f : u.flattened) {
            if (!(f.owner == u.owner)) {
                throw CompileError("flattened CNAME " + f.owner.to_text() + " in the update of " +
                                   u.owner.to_text());
            }
            t.push_back(f);
        }
    }
    return make_flatten_table(std::move(t));
}

snapshot::ZoneRef make_zone(const ZoneMeta& meta, NodeMap nodes, std::size_t delegations,
                            std::shared_ptr<const FlattenTable> flattened)
{
    auto z = std::make_shared<snapshot::ZoneData>();
    z->zone_id = meta.zone_id;
    z->origin = meta.origin;
    z->serial = meta.soa.serial;
    z->negative_ttl = std::min(meta.soa.ttl, meta.soa.minimum);
    z->delegation_count = delegations;
    z->nodes = std::move(nodes);
    z->flattened = std::move(flattened);
    return z;
}

}  // namespace

snapshot::ZoneRef compile_zone(const ZoneSource& source)
{
    const dns::Name& origin = source.meta.origin;
    const auto& recs = source.records;
    // Group records by owner through a sorted index, without copying them.
    std::vector<std::uint64_t> hashes(recs.size());
    for (std::size_t i = 0; i < recs.size(); ++i) {
        hashes[i] = recs[i].owner.hash();
    }
    std::vector<std::uint32_t> order(recs.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return hashes[a] != hashes[b] ? hashes[a] < hashes[b]
                                      : recs[a].owner.wire() < recs[b].owner.wire();
    });
    NodeMap empty;
    ZoneEditor ed(empty, origin, recs.size() + recs.size() / 4 + 16);
    ed.set_apex(source.meta);
    std::vector<const SourceRecord*> group;
    for (std::size_t i = 0; i < order.size();) {
        const dns::Name& owner = recs[order[i]].owner;
        group.clear();
        for (; i < order.size() && recs[order[i]].owner == owner; ++i) {
            group.push_back(&recs[order[i]]);
        }
        ed.set_records(owner, make_rrsets(origin, group));
        if (owner == origin) {
            ed.set_apex(source.meta);  // keep the synthesized SOA/NS beside the apex's data
        }
    }
    auto table = make_flatten_table(source.flattened);
    if (table) {
        for (const auto& f : *table) {
            ed.set_flattened(f.owner, true);
        }
    }
    return make_zone(source.meta, ed.finish(true), static_cast<std::size_t>(ed.delegation_delta()),
                     std::move(table));
}

snapshot::ZoneRef update_zone(const snapshot::ZoneData& base, const ZoneMeta& meta,
                              std::span<const NameUpdate> updates)
{
    if (!(meta.origin == base.origin)) {
        throw CompileError("update of " + base.origin.to_text() + " names another origin");
    }
    ZoneEditor ed(base.nodes, meta.origin);
    auto table = update_flatten_table(base.flattened, updates);
    for (const auto& u : updates) {
        ed.set_records(u.owner, make_rrsets(meta.origin, u.records));
        ed.set_flattened(u.owner, !u.flattened.empty());
    }
    ed.set_apex(meta);
    auto delegations = static_cast<std::size_t>(static_cast<long>(base.delegation_count) +
                                                ed.delegation_delta());
    return make_zone(meta, ed.finish(false), delegations, std::move(table));
}

}  // namespace nuage::compile

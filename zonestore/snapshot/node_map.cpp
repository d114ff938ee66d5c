#include "zonestore/snapshot/node_map.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <unordered_map>

namespace nuage::snapshot {

namespace {
constexpr std::size_t kTargetPerChunk = 64;

unsigned bits_for(std::size_t n)
{
    std::size_t chunks = std::max<std::size_t>(1, n / kTargetPerChunk);
    return static_cast<unsigned>(std::bit_width(chunks) - 1);  // floor(log2)
}
}  // namespace

NodeMap::NodeMap() : chunks_{make_chunk({})} {}

std::shared_ptr<const NodeMap::Chunk>
NodeMap::make_chunk(std::vector<std::shared_ptr<const Node>> nodes)
{
    auto c = std::make_shared<Chunk>();
    std::size_t cap = std::bit_ceil(std::max<std::size_t>(2, nodes.size() * 2));
    c->slots.resize(cap);
    for (const auto& n : nodes) {
        std::uint64_t h = n->owner.hash();
        std::size_t i = h & (cap - 1);
        while (c->slots[i].node) {
            i = (i + 1) & (cap - 1);
        }
        c->slots[i] = {h, n.get()};
    }
    c->nodes = std::move(nodes);
    return c;
}

NodeMap NodeMap::build(std::vector<std::shared_ptr<const Node>> nodes)
{
    NodeMap m;
    m.chunk_bits_ = bits_for(nodes.size());
    m.size_ = nodes.size();
    std::vector<std::vector<std::shared_ptr<const Node>>> parts(std::size_t(1) << m.chunk_bits_);
    for (auto& n : nodes) {
        parts[m.chunk_index(n->owner.hash())].push_back(std::move(n));
    }
    m.chunks_.clear();
    m.chunks_.reserve(parts.size());
    for (auto& p : parts) {
        m.chunks_.push_back(make_chunk(std::move(p)));
    }
    return m;
}

const Node* NodeMap::find(const std::uint8_t* name, std::size_t len,
                          std::uint64_t hash) const noexcept
{
    const Chunk& c = *chunks_[chunk_index(hash)];
    std::size_t mask = c.slots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& s = c.slots[i];
        if (!s.node) {
            return nullptr;
        }
        if (s.hash == hash && s.node->owner.size() == len &&
            std::memcmp(s.node->owner.data(), name, len) == 0) {
            return s.node;
        }
    }
}

const Node* NodeMap::find(const std::uint8_t* name, std::size_t len) const noexcept
{
    return find(name, len, dns::name_hash(name, len));
}

std::shared_ptr<const Node> NodeMap::find_shared(const dns::Name& name) const
{
    const Chunk& c = *chunks_[chunk_index(name.hash())];
    for (const auto& n : c.nodes) {
        if (n->owner == name) {
            return n;
        }
    }
    return nullptr;
}

NodeMap NodeMap::with_changes(std::span<const std::shared_ptr<const Node>> upserts,
                              std::span<const dns::Name> erases) const
{
    // Group the changes by chunk, then rebuild only those chunks.
    std::unordered_map<std::size_t, std::vector<std::shared_ptr<const Node>>> ups;
    std::unordered_map<std::size_t, std::vector<const dns::Name*>> dels;
    for (const auto& n : upserts) {
        ups[chunk_index(n->owner.hash())].push_back(n);
    }
    for (const auto& name : erases) {
        dels[chunk_index(name.hash())].push_back(&name);
    }
    NodeMap out = *this;  // copies the chunk table: pointers only
    std::vector<std::size_t> ids;
    for (auto& [i, _] : ups) {
        ids.push_back(i);
    }
    for (auto& [i, _] : dels) {
        if (!ups.count(i)) {
            ids.push_back(i);
        }
    }
    for (std::size_t i : ids) {
        std::vector<std::shared_ptr<const Node>> nodes;
        const auto& up = ups[i];
        const auto& del = dels[i];
        for (const auto& n : chunks_[i]->nodes) {
            bool gone = std::any_of(del.begin(), del.end(), [&](const dns::Name* d) { return *d == n->owner; }) ||
                        std::any_of(up.begin(), up.end(), [&](const auto& u) { return u->owner == n->owner; });
            if (!gone) {
                nodes.push_back(n);
            }
        }
        out.size_ -= chunks_[i]->nodes.size() - nodes.size();
        for (const auto& u : up) {
            nodes.push_back(u);
            ++out.size_;
        }
        out.chunks_[i] = make_chunk(std::move(nodes));
    }
    unsigned want = bits_for(out.size_);
    if (want > out.chunk_bits_ + 1 || want + 1 < out.chunk_bits_) {
        std::vector<std::shared_ptr<const Node>> all;
        all.reserve(out.size_);
        for (const auto& c : out.chunks_) {
            all.insert(all.end(), c->nodes.begin(), c->nodes.end());
        }
        return build(std::move(all));
    }
    return out;
}

bool NodeMap::shares_node_with(const NodeMap& other, const dns::Name& name) const
{
    auto a = find_shared(name);
    return a && a == other.find_shared(name);
}

}  // namespace nuage::snapshot

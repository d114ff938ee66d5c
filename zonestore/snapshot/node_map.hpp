// node_map.hpp -- the name -> node index of a compiled zone: a persistent, chunked hash map.
// A change copies the chunk table (pointers only) and rebuilds the few chunks it touches, so
// successive snapshots share every untouched chunk and node. Lookups take no lock and never
// allocate.
#pragma once

#include "zonestore/snapshot/node.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace nuage::snapshot {

class NodeMap {
public:
    NodeMap();

    // A fresh map over `nodes` (names must be unique), sized for them.
    static NodeMap build(std::vector<std::shared_ptr<const Node>> nodes);

    // Looks up a lowercase uncompressed wire name. `hash` is dns::name_hash of it.
    const Node* find(const std::uint8_t* name, std::size_t len, std::uint64_t hash) const noexcept;
    const Node* find(const std::uint8_t* name, std::size_t len) const noexcept;
    const Node* find(const dns::Name& name) const noexcept { return find(name.data(), name.size()); }
    std::shared_ptr<const Node> find_shared(const dns::Name& name) const;

    std::size_t size() const { return size_; }
    std::size_t chunk_count() const { return chunks_.size(); }

    // A new map with `upserts` inserted or replacing the node of the same name, and `erases`
    // removed. Untouched chunks are shared with this map; the map is rebuilt (nodes still
    // shared) only when it has grown or shrunk fourfold past its sizing.
    NodeMap with_changes(std::span<const std::shared_ptr<const Node>> upserts,
                         std::span<const dns::Name> erases) const;

    // For tests: do both maps hold the very same node object for `name`?
    bool shares_node_with(const NodeMap& other, const dns::Name& name) const;

    template <class F> void for_each(F&& f) const
    {
        for (const auto& c : chunks_) {
            for (const auto& n : c->nodes) {
                f(*n);
            }
        }
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        const Node* node = nullptr;
    };
    struct Chunk {
        std::vector<std::shared_ptr<const Node>> nodes;
        std::vector<Slot> slots;  // open addressing, size a power of two, at most half full
    };

    static std::shared_ptr<const Chunk> make_chunk(std::vector<std::shared_ptr<const Node>> nodes);
    std::size_t chunk_index(std::uint64_t hash) const noexcept
    {
        return chunk_bits_ == 0 ? 0 : static_cast<std::size_t>(hash >> (64 - chunk_bits_));
    }

    std::vector<std::shared_ptr<const Chunk>> chunks_;
    unsigned chunk_bits_ = 0;
    std::size_t size_ = 0;
};

}  // namespace nuage::snapshot

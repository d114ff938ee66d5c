// node.hpp -- one owner name of a compiled zone: its flags and RRsets.
// Nodes are immutable and shared between successive snapshots of a zone: an edit replaces
// only the nodes it touches (and their ancestors' child counts), never the rest.
#pragma once

#include "zonestore/dns/name.hpp"
#include "zonestore/snapshot/rrset.hpp"

#include <cstdint>
#include <vector>

namespace nuage::snapshot {

enum NodeFlag : std::uint8_t {
    kApex = 1 << 0,
    kDelegation = 1 << 1,     // NS below the apex: a zone cut (RFC 1034 §4.2.1)
    kWildcardChild = 1 << 2,  // "*.<this name>" exists (RFC 4592 §2.1.1)
    // A flattened CNAME lives here (DESIGN §2): the node exists even with no RRset, and its
    // A/AAAA RRsets are the target's addresses, written by the daemon's flattener.
    kFlattened = 1 << 3,
    // The flattened target's IPv4 / IPv6 addresses are not known (no answer yet, or the
    // upstream failed past serve-stale): A / AAAA (and ANY) here get SERVFAIL, never a guess.
    kFlattenUnknownA = 1 << 4,
    kFlattenUnknownAAAA = 1 << 5,
};

struct Node {
    dns::Name owner;  // lowercase
    std::uint8_t flags = 0;
    std::uint32_t children = 0;  // direct child nodes in the zone (ENTs included)
    std::vector<RRset> rrsets;   // sorted by type

    // An empty non-terminal (RFC 8020): exists only because names exist below it.
    bool is_empty_nonterminal() const { return rrsets.empty(); }
    bool is_apex() const { return flags & kApex; }
    bool is_delegation() const { return flags & kDelegation; }
    bool has_wildcard_child() const { return flags & kWildcardChild; }
    bool is_flattened() const { return flags & kFlattened; }
    // Must a query of `qtype` here be answered SERVFAIL (flattened addresses unknown)?
    bool flatten_unknown_for(std::uint16_t qtype) const noexcept
    {
        constexpr std::uint16_t kA = 1, kAAAA = 28, kANY = 255;
        switch (qtype) {
        case kA:
            return flags & kFlattenUnknownA;
        case kAAAA:
            return flags & kFlattenUnknownAAAA;
        case kANY:
            return flags & (kFlattenUnknownA | kFlattenUnknownAAAA);
        default:
            return false;
        }
    }

    const RRset* find(std::uint16_t type) const noexcept
    {
        for (const RRset& s : rrsets) {
            if (s.type == type) {
                return &s;
            }
        }
        return nullptr;
    }
};

}  // namespace nuage::snapshot

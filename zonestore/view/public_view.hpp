// public_view.hpp -- a zone's stored rows -> what the world may see of them, as the
// compiler's SourceRecords. The one place proxied records are replaced by edge addresses, so
// that an origin address never leaves the store (DESIGN §2 "Origin privacy").
#pragma once

#include "zonestore/compile/zone_source.hpp"

#include <string>
#include <vector>

namespace nuage::view {

// One stored record, as much as the public view needs of it.
struct ViewRow {
    std::uint16_t type = 0;
    std::uint32_t ttl = 0; // as stored: 1 is automatic
    bool proxied = false;
    bool flatten_cname = false;
    std::string rdata;      // moved into the output
    bool ipv4_only = false; // settings.ipv4_only of a proxied record: no edge AAAA for it
    bool ipv6_only = false; // settings.ipv6_only: no edge A for it
};

// Edge addresses in wire form (4 and 16 octets).
struct EdgeSet {
    std::vector<std::string> ipv4;
    std::vector<std::string> ipv6;
};

// Parses numeric addresses; throws std::invalid_argument naming a bad one.
EdgeSet parse_edge_set(const std::vector<std::string>& ipv4, const std::vector<std::string>& ipv6);

// A name with a proxied A, AAAA or CNAME is answered with its zone's edge pool (A: the pool's
// IPv4 set, AAAA: its IPv6 set, TTL 300, whatever the origin's family; a family that every
// proxied row there excludes with ipv4_only / ipv6_only is left out) and its proxied rows
// are dropped; its SVCB/HTTPS records keep their other parameters but their address hints
// are the pool's (edge_hints.hpp). A pool without IPv6 (or IPv4) leaves the proxied name
// without AAAA (or A) records: NODATA, never the origin. Other types are served as stored.
// Flattened CNAMEs (flatten.hpp: the apex, flatten_all, settings.flatten_cname) are never
// served as CNAMEs: each leaves as a FlattenedName, answered by the daemon's flattener.
class PublicView {
public:
    PublicView(dns::Name origin, bool flatten_all, EdgeSet edges);

    // Appends the public records of `owner` to `out`, given all of its stored rows (their
    // rdata is moved out). The RRsets it makes have one TTL each, the smallest of their
    // records (RFC 2181 §5.2); an automatic TTL is served as 300.
    // Flattened CNAMEs at `owner` are appended to `flattened` instead.
    void add_name(const dns::Name& owner, std::vector<ViewRow>& rows,
                  std::vector<compile::SourceRecord>& out,
                  std::vector<compile::FlattenedName>& flattened) const;

private:
    bool is_flattened(const dns::Name& owner, const ViewRow& r) const;
    dns::Name origin_;
    bool flatten_all_;
    EdgeSet edges_;
};

} // namespace nuage::view

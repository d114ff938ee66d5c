#include "zonestore/view/public_view.hpp"

#include "zonestore/dns/rdata.hpp"
#include "zonestore/view/edge_hints.hpp"
#include "zonestore/view/flatten.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <stdexcept>

namespace nuage::view {

namespace {

using namespace dns::rrtype;

constexpr std::uint32_t kAutomatic = 1;
constexpr std::uint32_t kAutomaticServed = 300; // DESIGN §2: automatic is served as 300 s

bool is_proxiable(std::uint16_t t)
{
    return t == A || t == AAAA || t == CNAME;
}

std::uint32_t served_ttl(std::uint32_t ttl)
{
    return ttl == kAutomatic ? kAutomaticServed : ttl;
}

std::string address_wire(int family, const std::string& text)
{
    unsigned char buf[16];
    if (inet_pton(family, text.c_str(), buf) != 1) {
        throw std::invalid_argument("'" + text + "' is not an IPv" +
                                    (family == AF_INET ? "4" : "6") + " address");
    }
    return std::string(reinterpret_cast<const char*>(buf), family == AF_INET ? 4 : 16);
}

} // namespace

EdgeSet parse_edge_set(const std::vector<std::string>& ipv4, const std::vector<std::string>& ipv6)
{
    EdgeSet e;
    for (const auto& a : ipv4) {
        e.ipv4.push_back(address_wire(AF_INET, a));
    }
    for (const auto& a : ipv6) {
        e.ipv6.push_back(address_wire(AF_INET6, a));
    }
    return e;
}

PublicView::PublicView(dns::Name origin, bool flatten_all, EdgeSet edges)
    : origin_(std::move(origin)), flatten_all_(flatten_all), edges_(std::move(edges))
{
}

bool PublicView::is_flattened(const dns::Name& owner, const ViewRow& r) const
{
    return FlattenRule{origin_, flatten_all_}.covers(owner, r.type, r.proxied, r.flatten_cname);
}

void PublicView::add_name(const dns::Name& owner, std::vector<ViewRow>& rows,
                          std::vector<compile::SourceRecord>& out,
                          std::vector<compile::FlattenedName>& flattened) const
{
    std::size_t first = out.size();
    // The edge families the name answers: those some proxied row there does not exclude.
    EdgeSet edges;
    bool proxied_name = false;
    for (const auto& r : rows) {
        if (r.proxied && is_proxiable(r.type)) {
            proxied_name = true;
            if (!r.ipv6_only && edges.ipv4.empty()) {
                edges.ipv4 = edges_.ipv4;
            }
            if (!r.ipv4_only && edges.ipv6.empty()) {
                edges.ipv6 = edges_.ipv6;
            }
        }
    }
    for (auto& r : rows) {
        if (r.proxied && is_proxiable(r.type)) {
            continue; // origin privacy: the row itself is never shown
        }
        if (is_flattened(owner, r)) {
            // DESIGN §2: the flattener answers the name with the target's addresses.
            if (auto f = flattened_name(owner, r.rdata, served_ttl(r.ttl))) {
                flattened.push_back(std::move(*f));
            }
            continue;
        }
        if (proxied_name && (r.type == HTTPS || r.type == SVCB)) {
            // RFC 9460 §7.3: the hints are the origin's addresses; the edge's replace them.
            auto edged = replace_address_hints(r.rdata, edges);
            if (!edged) {
                continue; // malformed (the store parsed it, so never): not worth a leak
            }
            r.rdata = std::move(*edged);
        }
        out.push_back({owner, r.type, served_ttl(r.ttl), std::move(r.rdata)});
    }
    for (const auto& a : edges.ipv4) {
        out.push_back({owner, A, kAutomaticServed, a});
    }
    for (const auto& a : edges.ipv6) {
        out.push_back({owner, AAAA, kAutomaticServed, a});
    }
    // RFC 2181 §5.2: the RRs of an RRset have one TTL; serve the smallest. Values only move
    // down to their RRset's minimum, so one pass gives every RR that minimum. A name has few
    // records, so the quadratic pass costs less than any table.
    for (std::size_t i = first; i < out.size(); ++i) {
        for (std::size_t j = first; j < out.size(); ++j) {
            if (out[j].type == out[i].type && out[j].ttl < out[i].ttl) {
                out[i].ttl = out[j].ttl;
            }
        }
    }
}

} // namespace nuage::view

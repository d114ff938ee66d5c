// edge_hints.hpp -- the address hints of an SVCB/HTTPS record at a proxied name (RFC 9460
// §7.3): its ipv4hint/ipv6hint are the origin's addresses, so the public view replaces them
// with the edge pool's (or drops them when the pool has no address of that family).
#pragma once

#include "zonestore/view/public_view.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace nuage::view {

// SvcParamKeys (RFC 9460 §14.3.2).
inline constexpr std::uint16_t kSvcMandatory = 0, kSvcIpv4Hint = 4, kSvcIpv6Hint = 6;

// `rdata` (SVCB/HTTPS wire RDATA) with every ipv4hint / ipv6hint value replaced by the edge
// addresses of that family; a hint whose family the pool lacks is removed, and so is its key
// in "mandatory" (and "mandatory" itself when nothing is left in it). Hints are never added
// where the record had none. nullopt when the RDATA is malformed: the caller drops the record
// rather than risk serving an origin address.
std::optional<std::string> replace_address_hints(std::string_view rdata, const EdgeSet& edges);

} // namespace nuage::view

// flatten.hpp -- which stored CNAMEs the public view flattens (DESIGN §2 "CNAME flattening"):
// a DNS-only CNAME at the apex always, every DNS-only CNAME of a `flatten_all` zone, and one
// with `settings.flatten_cname`. A flattened CNAME leaves the view as a FlattenedName, never
// as a CNAME record: the daemon's flattener answers its name with the target's addresses.
#pragma once

#include "zonestore/compile/zone_source.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace nuage::view {

struct FlattenRule {
    dns::Name origin;
    bool flatten_all = false;

    // A proxied CNAME is never flattened here: it is answered with edge addresses instead.
    bool covers(const dns::Name& owner, std::uint16_t type, bool proxied, bool flatten_cname) const;
};

// The flattened form of a CNAME whose wire RDATA is `rdata`, served with `ttl`; nullopt when
// the RDATA is not a name (the store never writes one).
std::optional<compile::FlattenedName> flattened_name(const dns::Name& owner, std::string_view rdata,
                                                     std::uint32_t ttl);

} // namespace nuage::view

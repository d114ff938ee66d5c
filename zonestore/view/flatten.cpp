#include "zonestore/view/flatten.hpp"

#include "zonestore/dns/wire.hpp"

namespace nuage::view {

namespace {
constexpr std::uint16_t kCNAME = 5;
}

bool FlattenRule::covers(const dns::Name& owner, std::uint16_t type, bool proxied,
                         bool flatten_cname) const
{
    return type == kCNAME && !proxied && (owner == origin || flatten_all || flatten_cname);
}

std::optional<compile::FlattenedName> flattened_name(const dns::Name& owner, std::string_view rdata,
                                                     std::uint32_t ttl)
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(rdata.data());
    if (dns::name_wire_length(p, p + rdata.size()) != rdata.size()) {
        return std::nullopt;
    }
    auto target = dns::Name::from_wire(rdata);
    if (!target) {
        return std::nullopt;
    }
    return compile::FlattenedName{owner, std::move(*target), ttl};
}

} // namespace nuage::view

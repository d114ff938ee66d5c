#include "zonestore/view/edge_hints.hpp"

#include "zonestore/dns/wire.hpp"

#include <algorithm>
#include <vector>

namespace nuage::view {

namespace {

struct Param {
    std::uint16_t key;
    std::string value;
};

void put_u16(std::string& out, std::uint16_t v)
{
    out += static_cast<char>(v >> 8);
    out += static_cast<char>(v & 0xff);
}

std::string joined(const std::vector<std::string>& addresses)
{
    std::string v;
    for (const auto& a : addresses) {
        v += a;
    }
    return v;
}

} // namespace

std::optional<std::string> replace_address_hints(std::string_view rdata, const EdgeSet& edges)
{
    // RFC 9460 §2.2: SvcPriority, TargetName (uncompressed), then SvcParams in key order.
    const auto* p = reinterpret_cast<const std::uint8_t*>(rdata.data());
    const auto* end = p + rdata.size();
    if (rdata.size() < 3) {
        return std::nullopt;
    }
    std::size_t name_len = dns::name_wire_length(p + 2, end);
    if (name_len == 0) {
        return std::nullopt;
    }
    std::size_t head = 2 + name_len;
    std::vector<Param> params;
    bool dropped_any = false;
    std::vector<std::uint16_t> dropped;
    for (std::size_t i = head; i < rdata.size();) {
        if (rdata.size() - i < 4) {
            return std::nullopt;
        }
        std::uint16_t key = dns::read_u16(p + i);
        std::size_t len = dns::read_u16(p + i + 2);
        if (rdata.size() - i - 4 < len) {
            return std::nullopt;
        }
        std::string value(rdata.substr(i + 4, len));
        i += 4 + len;
        if (key == kSvcIpv4Hint || key == kSvcIpv6Hint) {
            const auto& set = key == kSvcIpv4Hint ? edges.ipv4 : edges.ipv6;
            if (set.empty()) {
                dropped.push_back(key);
                dropped_any = true;
                continue;
            }
            value = joined(set);
        }
        params.push_back({key, std::move(value)});
    }
    std::string out(rdata.substr(0, head));
    for (auto& prm : params) {
        if (prm.key == kSvcMandatory && dropped_any) {
            // RFC 9460 §8: "mandatory" lists keys that must be present; keep it true.
            std::string kept;
            for (std::size_t k = 0; k + 1 < prm.value.size(); k += 2) {
                std::uint16_t listed =
                    dns::read_u16(reinterpret_cast<const std::uint8_t*>(prm.value.data()) + k);
                if (std::find(dropped.begin(), dropped.end(), listed) == dropped.end()) {
                    kept.append(prm.value, k, 2);
                }
            }
            if (kept.empty()) {
                continue;
            }
            prm.value = std::move(kept);
        }
        if (prm.value.size() > 0xffff) {
            return std::nullopt;
        }
        put_u16(out, prm.key);
        put_u16(out, static_cast<std::uint16_t>(prm.value.size()));
        out += prm.value;
    }
    if (out.size() > 0xffff) {
        return std::nullopt;
    }
    return out;
}

} // namespace nuage::view

// rrset.hpp -- one RRset of the public view, RDATA pre-rendered in wire form.
// Immutable once published; the engine reads it without locks. No ldns in here.
#pragma once

#include "zonestore/dns/wire.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace nuage::snapshot {

struct RRset {
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;
    std::uint16_t count = 0;
    // Each RR's RDATA back to back, each preceded by its length (16 bits, network order), in
    // canonical order (RFC 4034 §6.3) so that output is stable. Names inside are uncompressed,
    // as stored (their case kept).
    std::vector<std::uint8_t> rdata;
    // Room for DNSSEC (DESIGN §5): signatures of this RRset will sit here.

    // Walks the RRs: f(const std::uint8_t* rdata, std::uint16_t len).
    template <class F> void for_each(F&& f) const
    {
        const std::uint8_t* p = rdata.data();
        for (std::uint16_t i = 0; i < count; ++i) {
            std::uint16_t len = dns::read_u16(p);
            f(p + 2, len);
            p += 2 + len;
        }
    }
};

}  // namespace nuage::snapshot

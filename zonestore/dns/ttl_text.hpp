// ttl_text.hpp -- TTLs and SOA timers as master files write them: a decimal number of seconds,
// or BIND's units ("1d2h": w, d, h, m, s in either case), read the way knotd reads them.
// A value past 32 bits is refused, never wrapped (ldns's reader wraps it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nuage::dns {

// The number of seconds `text` spells, or nullopt with `error` saying why (bad unit, a
// number without its unit after another unit, more than 4294967295 seconds).
std::optional<std::uint32_t> parse_ttl_text(std::string_view text, std::string* error = nullptr);

} // namespace nuage::dns

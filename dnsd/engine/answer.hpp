// answer.hpp -- the answer engine: a pure function of (catalog, query) -> response bytes.
// No sockets, no SQLite, no locks, no logging and no heap allocation per query (DESIGN §3).
// Tests and fuzzers call it directly.
#pragma once

#include "zonestore/snapshot/catalog.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace nuage::engine {

enum class Transport : std::uint8_t { Udp, Tcp };

// Largest UDP response we ever send, whatever the client's EDNS size (DNS flag day 2020).
inline constexpr std::size_t kMaxUdpPayload = 1232;
// Size `out` must have for any transport.
inline constexpr std::size_t kMaxMessage = 65535;

// Answers one DNS message `query` received over `transport`, writing the response into `out`
// (kMaxMessage bytes). Returns the response length, or 0 when the message must be dropped
// (QR set, shorter than a header; or `out` shorter than 512 octets). Anything else gets an
// answer, FORMERR for a message that does not parse. Thread-safe: no state between calls. Over UDP the response is limited
// to the client's EDNS payload size (512 without EDNS), capped at kMaxUdpPayload, with TC set
// when the answer does not fit.
std::size_t answer(const snapshot::Catalog& catalog, std::span<const std::uint8_t> query,
                   std::span<std::uint8_t> out, Transport transport) noexcept;

} // namespace nuage::engine

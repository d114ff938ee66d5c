// clock_ids.hpp -- the small values every store write makes: random public ids, RFC 3339
// timestamps, and SOA serial arithmetic (RFC 1982).
#pragma once

#include <cstdint>
#include <string>

namespace nuage::store {

// 32 lowercase hex digits from 16 random bytes (OpenSSL's CSPRNG): ids are not guessable.
std::string new_public_id();
bool is_public_id(std::string_view s);

// Now, UTC, with microseconds: "2022-01-26T16:59:34.585555Z" (API.md §5).
std::string now_rfc3339();

// Today's date as a serial, YYYYMMDD01 (UTC): the serial of a newly created zone.
std::uint32_t date_serial();

// The next serial after `s` (RFC 1982 §3.1: add 1 modulo 2^32). 0 is skipped: some
// secondaries treat it as "unset".
inline std::uint32_t next_serial(std::uint32_t s)
{
    std::uint32_t n = s + 1;
    return n == 0 ? 1 : n;
}

// RFC 1982 §3.2: is `a` greater than `b` in sequence space?
inline bool serial_gt(std::uint32_t a, std::uint32_t b)
{
    return a != b && static_cast<std::uint32_t>(a - b) < 0x80000000u;
}

} // namespace nuage::store

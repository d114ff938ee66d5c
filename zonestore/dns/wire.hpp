// wire.hpp -- allocation-free helpers over DNS wire format (RFC 1035 §3.1, §4.1.4).
// Shared by the query path (dnsd/engine), the compiler and the tools. Nothing here allocates,
// logs or throws: callers on the hot path rely on that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace nuage::dns {

inline constexpr std::size_t kMaxNameWire = 255;  // RFC 1035 §3.1
inline constexpr std::size_t kMaxLabel = 63;
inline constexpr std::size_t kHeaderSize = 12;

inline std::uint16_t read_u16(const std::uint8_t* p) noexcept
{
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t read_u32(const std::uint8_t* p) noexcept
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}
inline void write_u16(std::uint8_t* p, std::uint16_t v) noexcept
{
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
inline void write_u32(std::uint8_t* p, std::uint32_t v) noexcept
{
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

// ASCII-only case folding: DNS names compare case-insensitively on A-Z only (RFC 4343).
inline std::uint8_t to_lower(std::uint8_t c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + 32) : c;
}

// Length of the uncompressed wire name at p (labels + root), or 0 when it is malformed, has a
// compression pointer, or runs past end.
inline std::size_t name_wire_length(const std::uint8_t* p, const std::uint8_t* end) noexcept
{
    std::size_t len = 0;
    while (p + len < end) {
        std::uint8_t l = p[len];
        if (l == 0) {
            return len + 1 <= kMaxNameWire ? len + 1 : 0;
        }
        if (l > kMaxLabel) {
            return 0;
        }
        len += 1 + l;
        if (len >= kMaxNameWire) {
            return 0;
        }
    }
    return 0;
}

inline std::size_t label_count(const std::uint8_t* name) noexcept
{
    std::size_t n = 0;
    while (*name != 0) {
        name += 1 + *name;
        ++n;
    }
    return n;
}

// The wire name that follows the first label (the parent). Must not be called on the root.
inline const std::uint8_t* parent_of(const std::uint8_t* name) noexcept { return name + 1 + *name; }

// Case-insensitive equality of two uncompressed wire names of the given lengths.
inline bool names_equal_ci(const std::uint8_t* a, std::size_t alen, const std::uint8_t* b,
                           std::size_t blen) noexcept
{
    if (alen != blen) {
        return false;
    }
    for (std::size_t i = 0; i < alen; ++i) {
        if (to_lower(a[i]) != to_lower(b[i])) {
            return false;
        }
    }
    return true;
}

// FNV-1a over the lowercased wire bytes: the key of every name index in the snapshot.
inline std::uint64_t name_hash(const std::uint8_t* name, std::size_t len) noexcept
{
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::size_t i = 0; i < len; ++i) {
        h ^= to_lower(name[i]);
        h *= 0x100000001b3ULL;
    }
    // FNV's low bits only see the low bits of the input; fold the well-mixed high half in,
    // since tables index by the low bits.
    return h ^ (h >> 29);
}

// Is `name` (uncompressed, of length len) equal to or below `zone` (of length zlen)?
// Wire suffixes are tails of the byte string, so walk labels of `name` until the rest is as long
// as `zone`, then compare.
inline bool is_subdomain_ci(const std::uint8_t* name, std::size_t len, const std::uint8_t* zone,
                            std::size_t zlen) noexcept
{
    while (len > zlen) {
        std::size_t step = 1 + name[0];
        name += step;
        len -= step;
    }
    return len == zlen && names_equal_ci(name, len, zone, zlen);
}

inline std::string_view as_view(const std::uint8_t* p, std::size_t n) noexcept
{
    return {reinterpret_cast<const char*>(p), n};
}

}  // namespace nuage::dns

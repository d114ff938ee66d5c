#include "dnsd/engine/name_compressor.hpp"

#include "zonestore/dns/wire.hpp"

#include <cstring>

namespace nuage::engine {

namespace {

// Hash of one label, chained onto the hash of the suffix after it, so that equal suffixes
// (ignoring ASCII case, RFC 4343) get equal hashes, computed right to left in one pass. Only
// the length and three octets of each label are mixed in: every hit is verified by
// equal_at(), so a collision costs a comparison, never a wrong pointer.
std::uint32_t chain_hash(std::uint32_t next, const std::uint8_t* label) noexcept
{
    std::uint32_t n = label[0];
    std::uint32_t first = dns::to_lower(label[1]);
    std::uint32_t mid = dns::to_lower(label[(n + 1) / 2]);
    std::uint32_t last = dns::to_lower(label[n]);
    std::uint32_t h = (next * 0x9E3779B1u) ^ (n | first << 8 | mid << 16 | last << 24);
    return h ^ (h >> 15);
}

// Is the name at out[offset] (compressed or not) equal to the uncompressed `suffix`?
bool equal_at(const std::uint8_t* out, std::size_t offset, const std::uint8_t* suffix,
              std::size_t len) noexcept
{
    std::size_t i = 0;
    for (int hops = 0; hops < 128; ++hops) {
        std::uint8_t l = out[offset];
        if ((l & 0xC0) == 0xC0) {
            offset = (std::size_t(l & 0x3F) << 8) | out[offset + 1];
            continue;
        }
        if (i >= len || suffix[i] != l) {
            return false;
        }
        if (l == 0) {
            return i + 1 == len;
        }
        for (std::size_t k = 1; k <= l; ++k) {
            if (dns::to_lower(out[offset + k]) != dns::to_lower(suffix[i + k])) {
                return false;
            }
        }
        i += 1 + l;
        offset += 1 + l;
    }
    return false;
}

} // namespace

void NameCompressor::reset() noexcept
{
    std::memset(slots_, 0, sizeof slots_);
    count_ = 0;
}

std::size_t NameCompressor::hash_suffixes(const std::uint8_t* name, std::size_t len,
                                          std::uint8_t* offsets, std::uint32_t* hashes) noexcept
{
    std::size_t labels = 0;
    std::size_t i = 0;
    while (i < len && name[i] != 0 && labels < kMaxLabels) {
        offsets[labels++] = static_cast<std::uint8_t>(i);
        i += 1 + name[i];
    }
    std::uint32_t h = 0;
    for (std::size_t k = labels; k-- > 0;) {
        h = chain_hash(h, name + offsets[k]);
        hashes[k] = h;
    }
    return labels;
}

std::size_t NameCompressor::find(const std::uint8_t* out, std::uint32_t hash,
                                 const std::uint8_t* suffix, std::size_t len) const noexcept
{
    for (std::size_t s = hash & (kSlots - 1);; s = (s + 1) & (kSlots - 1)) {
        std::uint8_t e = slots_[s];
        if (e == 0) {
            return 0;
        }
        const Entry& en = entries_[e - 1];
        if (en.hash == hash && equal_at(out, en.offset, suffix, len)) {
            return en.offset;
        }
    }
}

void NameCompressor::insert(std::uint32_t hash, std::size_t offset) noexcept
{
    if (count_ >= kMaxEntries || offset > kMaxOffset) {
        return; // compression is an optimisation: past this, names are written in full
    }
    std::size_t s = hash & (kSlots - 1);
    while (slots_[s] != 0) {
        s = (s + 1) & (kSlots - 1);
    }
    entries_[count_] = {hash, static_cast<std::uint16_t>(offset), static_cast<std::uint16_t>(s)};
    slots_[s] = static_cast<std::uint8_t>(++count_);
}

void NameCompressor::rollback(std::size_t mark) noexcept
{
    while (count_ > mark) {
        slots_[entries_[--count_].slot] = 0;
    }
}

void NameCompressor::remember(const std::uint8_t* out, std::size_t pos, std::size_t len) noexcept
{
    std::uint8_t offsets[kMaxLabels];
    std::uint32_t hashes[kMaxLabels];
    std::size_t labels = hash_suffixes(out + pos, len, offsets, hashes);
    for (std::size_t k = 0; k < labels; ++k) {
        insert(hashes[k], pos + offsets[k]); // the first name written: nothing to match
    }
}

std::size_t NameCompressor::write(std::uint8_t* out, std::size_t pos, std::size_t limit,
                                  const std::uint8_t* name, std::size_t len) noexcept
{
    std::uint8_t offsets[kMaxLabels];
    std::uint32_t hashes[kMaxLabels];
    std::size_t labels = hash_suffixes(name, len, offsets, hashes);
    std::size_t match = labels; // first label of the longest suffix found
    std::size_t target = 0;
    for (std::size_t k = 0; k < labels; ++k) {
        target = find(out, hashes[k], name + offsets[k], len - offsets[k]);
        if (target != 0) {
            match = k;
            break;
        }
    }
    std::size_t literal = match < labels ? offsets[match] : len;
    std::size_t total = literal + (match < labels ? 2 : 0);
    if (pos + total > limit) {
        return 0;
    }
    std::memcpy(out + pos, name, literal);
    for (std::size_t k = 0; k < match; ++k) {
        insert(hashes[k], pos + offsets[k]);
    }
    if (match < labels) {
        out[pos + literal] = static_cast<std::uint8_t>(0xC0 | (target >> 8));
        out[pos + literal + 1] = static_cast<std::uint8_t>(target);
    }
    return pos + total;
}

} // namespace nuage::engine

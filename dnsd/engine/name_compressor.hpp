// name_compressor.hpp -- DNS name compression (RFC 1035 §4.1.4) into a response being built:
// a fixed table of the names already written, keyed by a case-insensitive hash of each
// suffix, so that any later name whose tail was written before becomes labels + one pointer.
// No allocation; rollback lets the writer undo an RRset that did not fit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nuage::engine {

class NameCompressor {
public:
    NameCompressor() noexcept { reset(); }

    void reset() noexcept;

    // Writes `name` (uncompressed wire, any case) at out[pos], replacing its longest suffix
    // already present in out[0..pos) by a pointer. The labels written literally keep their
    // case. Returns the position after the name, or 0 when it would pass `limit`.
    std::size_t write(std::uint8_t* out, std::size_t pos, std::size_t limit,
                      const std::uint8_t* name, std::size_t len) noexcept;

    // Records the first name of the message, copied verbatim to out[pos] (the question), so
    // that later names may point into it.
    void remember(const std::uint8_t* out, std::size_t pos, std::size_t len) noexcept;

    // Entries are undone in the reverse order they were made.
    std::size_t mark() const noexcept { return count_; }
    void rollback(std::size_t mark) noexcept;

private:
    static constexpr std::size_t kSlots = 256;      // power of two
    static constexpr std::size_t kMaxEntries = 192; // at most 3/4 full
    static constexpr std::size_t kMaxLabels = 128;
    static constexpr std::size_t kMaxOffset = 0x3FFF; // 14-bit pointers

    struct Entry {
        std::uint32_t hash;
        std::uint16_t offset;
        std::uint16_t slot;
    };

    // Label starts of `name` and the hash of each of its suffixes; returns the label count.
    static std::size_t hash_suffixes(const std::uint8_t* name, std::size_t len,
                                     std::uint8_t* offsets, std::uint32_t* hashes) noexcept;
    // The offset of an earlier name equal to `suffix`, or 0 (offset 0 is the header).
    std::size_t find(const std::uint8_t* out, std::uint32_t hash, const std::uint8_t* suffix,
                     std::size_t len) const noexcept;
    void insert(std::uint32_t hash, std::size_t offset) noexcept;

    std::uint8_t slots_[kSlots]; // index + 1 into entries_, 0 when free
    Entry entries_[kMaxEntries];
    std::size_t count_ = 0;
};

} // namespace nuage::engine

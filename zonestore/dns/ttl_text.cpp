#include "zonestore/dns/ttl_text.hpp"

namespace nuage::dns {

namespace {

// Seconds in one BIND unit, 0 for anything else.
std::uint64_t unit_seconds(char c)
{
    switch (c | 0x20) { // ASCII lower case
    case 's':
        return 1;
    case 'm':
        return 60;
    case 'h':
        return 3600;
    case 'd':
        return 86400;
    case 'w':
        return 604800;
    default:
        return 0;
    }
}

} // namespace

std::optional<std::uint32_t> parse_ttl_text(std::string_view text, std::string* error)
{
    auto fail = [&](std::string why) -> std::optional<std::uint32_t> {
        if (error) {
            *error = "'" + std::string(text) + "' " + why;
        }
        return std::nullopt;
    };
    constexpr std::uint64_t kMax = 4294967295;
    std::uint64_t total = 0;
    bool units = false;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t start = i;
        std::uint64_t n = 0;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            n = n * 10 + static_cast<std::uint64_t>(text[i] - '0');
            if (n > kMax) {
                return fail("is more than 4294967295 seconds");
            }
        }
        if (i == start) {
            return fail("is not a number of seconds (digits, with units s, m, h, d, w)");
        }
        if (i == text.size()) {
            // knotd reads "1h30" as an error, not as 1h30s: a bare number stands alone.
            if (units) {
                return fail("has a number without its unit after another unit");
            }
            total = n;
            break;
        }
        std::uint64_t mult = unit_seconds(text[i]);
        if (mult == 0) {
            return fail("has an unknown unit '" + std::string(1, text[i]) +
                        "' (units are s, m, h, d, w)");
        }
        ++i;
        units = true;
        total += n * mult;
        if (total > kMax) {
            return fail("is more than 4294967295 seconds");
        }
    }
    if (text.empty()) {
        return fail("is not a number of seconds");
    }
    return static_cast<std::uint32_t>(total);
}

} // namespace nuage::dns

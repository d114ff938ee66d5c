#include "zonestore/store/clock_ids.hpp"

#include "zonestore/store/store.hpp"

#include <array>
#include <chrono>
#include <ctime>
#include <openssl/rand.h>

namespace nuage::store {

std::string new_public_id()
{
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw StoreError("cannot get random bytes for an id");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(32);
    for (unsigned char b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

bool is_public_id(std::string_view s)
{
    if (s.size() != 32) {
        return false;
    }
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

std::string now_rfc3339()
{
    using namespace std::chrono;
    auto now = system_clock::now();
    auto secs = time_point_cast<seconds>(now);
    auto micros = duration_cast<microseconds>(now - secs).count();
    std::time_t t = system_clock::to_time_t(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 40> buf{};
    std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf.data() + n, buf.size() - n, ".%06lldZ", static_cast<long long>(micros));
    return buf.data();
}

std::uint32_t date_serial()
{
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    auto ymd = static_cast<std::uint32_t>((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
                                          tm.tm_mday);
    return ymd * 100 + 1;
}

} // namespace nuage::store

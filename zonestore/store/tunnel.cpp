#include "zonestore/store/tunnel.hpp"

#include "zonestore/store/store.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace nuage::store {

namespace {

std::string random_bytes(std::size_t n, const char* what)
{
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        throw StoreError(std::string("cannot get random bytes for ") + what);
    }
    return out;
}

bool is_hex(char c)
{
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

// Digits at s[i..i+n) as a number, or -1.
int digits(std::string_view s, std::size_t i, std::size_t n)
{
    if (i + n > s.size()) {
        return -1;
    }
    int v = 0;
    for (std::size_t k = i; k < i + n; ++k) {
        if (s[k] < '0' || s[k] > '9') {
            return -1;
        }
        v = v * 10 + (s[k] - '0');
    }
    return v;
}

} // namespace

const char* to_string(TunnelStatus s)
{
    switch (s) {
    case TunnelStatus::Healthy:
        return "healthy";
    case TunnelStatus::Degraded:
        return "degraded";
    case TunnelStatus::Down:
        return "down";
    case TunnelStatus::Inactive:
        break;
    }
    return "inactive";
}

std::optional<TunnelStatus> tunnel_status_from_string(std::string_view s)
{
    for (auto st : {TunnelStatus::Inactive, TunnelStatus::Healthy, TunnelStatus::Degraded,
                    TunnelStatus::Down}) {
        if (s == to_string(st)) {
            return st;
        }
    }
    return std::nullopt;
}

TunnelStatus tunnel_status(const Tunnel& t, std::chrono::system_clock::time_point now)
{
    if (!t.conns_active_at && t.connections.empty()) {
        return TunnelStatus::Inactive; // never connected
    }
    if (t.connections.empty() || !t.reported_at) {
        return TunnelStatus::Down; // the connector said it went away
    }
    auto at = parse_rfc3339(*t.reported_at);
    if (!at) {
        return TunnelStatus::Down;
    }
    auto age = now - *at;
    if (age < kTunnelHealthyFor) {
        return TunnelStatus::Healthy;
    }
    return age < kTunnelDegradedFor ? TunnelStatus::Degraded : TunnelStatus::Down;
}

std::string new_tunnel_id()
{
    std::string b = random_bytes(16, "a tunnel id");
    b[6] = static_cast<char>((b[6] & 0x0f) | 0x40); // RFC 9562 §5.4: version 4
    b[8] = static_cast<char>((b[8] & 0x3f) | 0x80); // variant 10
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out += '-';
        }
        auto v = static_cast<unsigned char>(b[i]);
        out += kHex[v >> 4];
        out += kHex[v & 15];
    }
    return out;
}

bool is_tunnel_id(std::string_view s)
{
    if (s.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) {
            return false;
        }
    }
    return true;
}

std::string new_tunnel_secret()
{
    std::string bytes = random_bytes(kTunnelSecretMinBytes, "a tunnel secret");
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> decode_tunnel_secret(std::string_view b64)
{
    // RFC 4648: §4 (standard) or §5 (URL-safe) alphabet; padding optional.
    std::string s(b64);
    while (!s.empty() && s.back() == '=') {
        s.pop_back();
    }
    if (s.empty() || s.size() % 4 == 1) {
        return std::nullopt;
    }
    for (char& c : s) {
        if (c == '-') {
            c = '+';
        } else if (c == '_') {
            c = '/';
        } else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') {
            return std::nullopt;
        }
    }
    std::size_t pad = (4 - s.size() % 4) % 4;
    s.append(pad, '=');
    std::string out(s.size() / 4 * 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(s.data()),
                            static_cast<int>(s.size()));
    if (n < 0) {
        return std::nullopt;
    }
    out.resize(static_cast<std::size_t>(n) - pad); // EVP_DecodeBlock counts padding as zeros
    return out;
}

std::string tunnel_secret_hash(std::string_view secret_bytes)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (EVP_Digest(secret_bytes.data(), secret_bytes.size(), md.data(), &len, EVP_sha256(),
                   nullptr) != 1) {
        throw StoreError("cannot hash a tunnel secret (SHA-256)");
    }
    return std::string(reinterpret_cast<const char*>(md.data()), len);
}

std::optional<std::string> tunnel_route_label(const dns::Name& target, const dns::Name& domain)
{
    if (target.size() <= domain.size() || !target.is_subdomain_of(domain)) {
        return std::nullopt;
    }
    // The labels above the domain, as text: one label for a well-formed route.
    std::string text = target.to_text_no_dot();
    std::string dom = domain.to_text_no_dot();
    return text.substr(0, text.size() - dom.size() - 1);
}

std::optional<RfcTime> parse_rfc3339(std::string_view s)
{
    // RFC 3339 §5.6: date-time = full-date "T" full-time; T and Z in any case.
    int y = digits(s, 0, 4), mon = digits(s, 5, 2), d = digits(s, 8, 2);
    int hour = digits(s, 11, 2), min = digits(s, 14, 2), sec = digits(s, 17, 2);
    if (y < 0 || mon < 1 || mon > 12 || d < 1 || d > 31 || hour < 0 || hour > 23 || min < 0 ||
        min > 59 || sec < 0 || sec > 60 || s[4] != '-' || s[7] != '-' ||
        (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':') {
        return std::nullopt;
    }
    std::size_t i = 19;
    std::int64_t micros = 0;
    if (i < s.size() && s[i] == '.') {
        std::size_t start = ++i;
        std::int64_t scale = 100000;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            micros += (s[i] - '0') * scale;
            scale /= 10;
            ++i;
        }
        if (i == start) {
            return std::nullopt;
        }
    }
    std::int64_t offset = 0;
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
        ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
        if (oh < 0 || om < 0 || i + 3 >= s.size() || s[i + 3] != ':') {
            return std::nullopt;
        }
        offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != s.size()) {
        return std::nullopt;
    }
    using namespace std::chrono;
    year_month_day date{year{y}, month{static_cast<unsigned>(mon)}, day{static_cast<unsigned>(d)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return RfcTime{sys_days{date}} + hours{hour} + minutes{min} + seconds{sec} - seconds{offset} +
           microseconds{micros};
}

} // namespace nuage::store

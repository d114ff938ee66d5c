#include "zonestore/store/token.hpp"

#include "zonestore/store/store.hpp"

#include <algorithm>
#include <array>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace nuage::store {

const char* to_string(TokenPermission p)
{
    return p == TokenPermission::Edit ? "edit" : "read";
}

std::optional<TokenPermission> token_permission_from_string(std::string_view s)
{
    if (s == "edit") {
        return TokenPermission::Edit;
    }
    if (s == "read") {
        return TokenPermission::Read;
    }
    return std::nullopt;
}

bool Token::covers(std::string_view zone) const
{
    return all_zones || std::find(zones.begin(), zones.end(), zone) != zones.end();
}

bool is_token_secret(std::string_view s)
{
    return s.size() == kTokenSecretLength && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
           });
}

std::string new_token_secret()
{
    // 30 bytes are exactly 40 base64 characters: 240 bits, no padding to strip.
    std::array<unsigned char, 30> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw StoreError("cannot get random bytes for a token secret");
    }
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"; // RFC 4648 §5
    std::string out;
    out.reserve(kTokenSecretLength);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6) {
            out += kAlphabet[(v >> shift) & 63];
        }
    }
    return out;
}

std::string token_secret_hash(std::string_view secret)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (EVP_Digest(secret.data(), secret.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
        throw StoreError("cannot hash a token secret (SHA-256)");
    }
    return std::string(reinterpret_cast<const char*>(md.data()), len);
}

} // namespace nuage::store

// token.hpp -- the installation's one account and its API tokens (API.md §3, §4): plain
// values, plus the secret's format, generation and hash. A token's secret is shown once, at
// creation; the store keeps only its SHA-256 (DESIGN §4: the database holds token hashes).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nuage::store {

// The account every zone and tunnel belongs to (API.md §4: one per installation).
struct Account {
    std::string public_id; // 32 lowercase hex
    std::string name;
    std::string created_on;
};

enum class TokenPermission { Read, Edit };

const char* to_string(TokenPermission p);
std::optional<TokenPermission> token_permission_from_string(std::string_view s);

struct Token {
    std::string public_id; // 32 lowercase hex: what `token list` and the API show
    std::string name;
    TokenPermission permission = TokenPermission::Read;
    bool all_zones = false;
    std::vector<std::string> zones; // zone names (lowercase, no trailing dot) unless all_zones
    std::string status = "active";  // "active" or "revoked"
    std::string created_on, modified_on;
    std::optional<std::string> revoked_on;
    std::optional<std::string> last_used_on; // to the minute (the API writes it that often)

    bool active() const { return status == "active"; }
    bool can_edit() const { return permission == TokenPermission::Edit; }
    // Does the token reach the zone named `zone` (lowercase, no trailing dot)?
    bool covers(std::string_view zone) const;
};

struct TokenCreate {
    std::string name;
    TokenPermission permission = TokenPermission::Read;
    bool all_zones = false;
    std::vector<std::string> zones; // zone names, any spelling; required unless all_zones
};

// A token just made, with the only copy of its secret.
struct NewToken {
    Token token;
    std::string secret;
};

inline constexpr std::size_t kTokenSecretLength = 40;

// 40 characters of [A-Za-z0-9_-] (API.md §3): what a secret must look like. Anything else is
// malformed before any lookup.
bool is_token_secret(std::string_view s);
// A fresh secret: 30 bytes of OpenSSL's CSPRNG, base64url (40 characters, no padding).
std::string new_token_secret();
// SHA-256 of the secret (32 raw bytes): the only form the store keeps.
std::string token_secret_hash(std::string_view secret);

} // namespace nuage::store

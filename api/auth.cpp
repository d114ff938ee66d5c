#include "api/auth.hpp"

#include <algorithm>
#include <cctype>

namespace nuage::api {

namespace {

ApiError malformed(int chain_code, const std::string& what)
{
    return ApiError(400, {ErrorItem{6003, "Invalid request headers", {{chain_code, what}}, {}}});
}

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

// An address as RFC 5321 spells it, loosely: something@domain, no spaces or controls.
bool looks_like_email(std::string_view s)
{
    auto at = s.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
           s.find('@', at + 1) == std::string_view::npos &&
           std::none_of(s.begin(), s.end(), [](unsigned char c) { return c <= ' ' || c == 127; });
}

Principal bearer(std::string_view value, store::Store& store, bool verify)
{
    value = trim(value);
    auto space = value.find(' ');
    std::string_view scheme = value.substr(0, space);
    std::string_view secret = space == std::string_view::npos ? "" : trim(value.substr(space));
    if (!iequals(scheme, "Bearer") || !store::is_token_secret(secret)) {
        throw malformed(6111, "Invalid format for Authorization header");
    }
    auto token = store.find_token_by_secret(secret);
    if (!token) {
        throw ApiError(verify ? 401 : 403, 9109, "Invalid access token");
    }
    return Principal{std::move(*token), false};
}

Principal legacy(const Request& req, store::Store& store, const ApiSettings& settings)
{
    std::string email(trim(req.header("X-Auth-Email").value_or("")));
    std::string key(trim(req.header("X-Auth-Key").value_or("")));
    if (!looks_like_email(email)) {
        throw malformed(6102, "Invalid format for X-Auth-Email header");
    }
    if (!store::is_token_secret(key)) {
        throw malformed(6103, "Invalid format for X-Auth-Key header");
    }
    std::optional<store::Token> token;
    if (settings.account_email.empty() || iequals(email, settings.account_email)) {
        token = store.find_token_by_secret(key);
    }
    if (!token) {
        throw ApiError(403, 9103, "Unknown X-Auth-Key or X-Auth-Email");
    }
    return Principal{std::move(*token), true};
}

} // namespace

Principal authenticate(const Request& req, store::Store& store, const ApiSettings& settings,
                       bool verify)
{
    if (auto auth = req.header("Authorization")) {
        return bearer(*auth, store, verify);
    }
    bool has_legacy = req.header("X-Auth-Key") || req.header("X-Auth-Email");
    if (has_legacy && verify) {
        throw ApiError(400, 1001, "Missing \"Authorization\" header");
    }
    if (has_legacy) {
        return legacy(req, store, settings);
    }
    throw ApiError(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
}

void authorize(const Principal& who, Access access, const store::Zone* zone)
{
    const store::Token& t = who.token;
    bool ok = true;
    switch (access) {
    case Access::Open:
    case Access::Verify:
    case Access::Any:
        break;
    case Access::ZoneRead:
        ok = zone && t.covers(zone->name);
        break;
    case Access::ZoneEdit:
        ok = zone && t.covers(zone->name) && t.can_edit();
        break;
    case Access::AccountRead:
        ok = t.all_zones;
        break;
    case Access::AccountEdit:
        ok = t.all_zones && t.can_edit();
        break;
    }
    if (!ok) {
        throw ApiError::forbidden();
    }
}

} // namespace nuage::api

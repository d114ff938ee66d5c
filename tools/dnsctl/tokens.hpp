// tokens.hpp -- dnsctl's offline API-token commands (DESIGN §4 `token create|list|revoke`).
// A token's secret is printed once, by create, as the last line; the store keeps its hash.
#pragma once

#include "tools/dnsctl/offline.hpp"

namespace nuage::dnsctl {

// Creates a token for `zones` (none: every zone), read-only or editing; prints the token's
// line, then its secret alone on the last line.
void token_create(Context& c, const std::string& name, const std::vector<std::string>& zones,
                  bool edit);
// One token a line: id, name, permission, zones ("*": all), status, created_on.
void token_list(Context& c);
// Revokes the token with this id (it never authenticates again).
void token_revoke(Context& c, const std::string& id);

std::string format_token(const store::Token& t);

} // namespace nuage::dnsctl

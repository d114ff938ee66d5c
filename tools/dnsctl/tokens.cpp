#include "tools/dnsctl/tokens.hpp"

#include "zonestore/store/clock_ids.hpp"

#include <ostream>

namespace nuage::dnsctl {

std::string format_token(const store::Token& t)
{
    std::string zones;
    for (const auto& z : t.zones) {
        zones += (zones.empty() ? "" : ",") + z;
    }
    return t.public_id + "\t" + t.name + "\t" + store::to_string(t.permission) + "\t" +
           (t.all_zones ? "*" : zones) + "\t" + t.status + "\t" + t.created_on;
}

void token_create(Context& c, const std::string& name, const std::vector<std::string>& zones,
                  bool edit)
{
    store::TokenCreate req;
    req.name = name;
    req.permission = edit ? store::TokenPermission::Edit : store::TokenPermission::Read;
    req.all_zones = zones.empty();
    req.zones = zones;
    store::NewToken t = c.store.create_token(req);
    c.out << format_token(t.token) << "\n" << t.secret << "\n";
}

void token_list(Context& c)
{
    for (const auto& t : c.store.list_tokens()) {
        c.out << format_token(t) << "\n";
    }
}

void token_revoke(Context& c, const std::string& id)
{
    if (!store::is_public_id(id)) {
        throw UsageError("'" + id + "' is not a token id (32 hex digits; see token list)");
    }
    store::Token t = c.store.revoke_token(id);
    c.out << "revoked " << t.public_id << " (" << t.name << ")\n";
}

} // namespace nuage::dnsctl

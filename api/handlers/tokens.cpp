// /user/tokens (API.md §3): verify the caller's token, list the live tokens (never a secret),
// revoke one. Creation stays on the CLI (`dnsctl token create`), which shows the secret once.
#include "api/handlers/handlers.hpp"
#include "zonestore/store/clock_ids.hpp"

namespace nuage::api::handlers {

namespace {

// Cloudflare's permission groups for what a Nuage token may do.
json permission_groups(const store::Token& t)
{
    json groups = json::array({{{"id", "c8fed203ed3043cba015a93ad1616f1f"}, {"name", "Zone Read"}},
                               {{"id", "82e64a83756745bbbb1c9c2701bf816b"}, {"name", "DNS Read"}}});
    if (t.can_edit()) {
        groups.push_back({{"id", "4755a26eedb94da69e1066d98aa820be"}, {"name", "DNS Write"}});
        groups.push_back({{"id", "e6d2666161e84845a636613608cee8d5"}, {"name", "Zone Write"}});
    }
    return groups;
}

json token_json(const store::Token& t, store::Store& st)
{
    json resources = json::object();
    if (t.all_zones) {
        resources["com.cloudflare.api.account.zone.*"] = "*";
    } else {
        for (const auto& name : t.zones) {
            // A zone named in the token but not created yet has no id to show.
            if (auto z = st.find_zone_by_name(dns::Name::parse(name + "."))) {
                resources["com.cloudflare.api.account.zone." + z->public_id] = "*";
            }
        }
    }
    return {{"id", t.public_id},
            {"name", t.name},
            {"status", t.active() ? "active" : "disabled"},
            {"issued_on", t.created_on},
            {"modified_on", t.modified_on},
            {"last_used_on", t.last_used_on ? json(*t.last_used_on) : json(nullptr)},
            {"not_before", nullptr},
            {"expires_on", nullptr},
            {"policies", json::array({{{"id", t.public_id},
                                       {"effect", "allow"},
                                       {"resources", resources},
                                       {"permission_groups", permission_groups(t)}}})},
            {"condition", json::object()},
            // Nuage's own view of the scope, by zone name.
            {"permission", store::to_string(t.permission)},
            {"all_zones", t.all_zones},
            {"zones", t.zones}};
}

std::string token_id(Call& c)
{
    std::string id = c.path.at("token_id");
    if (!store::is_public_id(id)) {
        throw ApiError::no_route(c.req.path);
    }
    return id;
}

store::Token find_token(Call& c, const std::string& id)
{
    for (auto& t : c.store.list_tokens()) {
        if (t.public_id == id && t.active()) {
            return t;
        }
    }
    throw ApiError::no_route(c.req.path, 404);
}

} // namespace

Response tokens_verify(Call& c)
{
    return ok(json{{"id", c.who.token.public_id}, {"status", "active"}},
              {{10000, "This API Token is valid and active"}});
}

Response tokens_list(Call& c)
{
    std::vector<store::Token> live;
    for (auto& t : c.store.list_tokens()) {
        if (t.active()) {
            live.push_back(std::move(t));
        }
    }
    ResultInfo info;
    json result = paginate(
        live, parse_page(c.req, 20, 50),
        [&](const store::Token& t) { return token_json(t, c.store); }, info);
    return ok_list(std::move(result), info);
}

Response tokens_get(Call& c)
{
    return ok(token_json(find_token(c, token_id(c)), c.store));
}

Response tokens_delete(Call& c)
{
    std::string id = token_id(c);
    find_token(c, id); // 404 for an unknown or already revoked token
    c.store.revoke_token(id);
    return ok(json{{"id", id}});
}

} // namespace nuage::api::handlers

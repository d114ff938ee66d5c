// /zones and /zones/:zone_id (API.md §4): list with filters, create (the configured name
// servers, status pending), get, edit (paused:true refused), delete, activation check.
#include "api/handlers/handlers.hpp"
#include "api/zone_json.hpp"

namespace nuage::api::handlers {

namespace {

std::vector<dns::Name> name_servers(const ApiSettings& s)
{
    std::vector<dns::Name> out;
    static const dns::Name root;
    for (const auto& n : s.name_servers) {
        if (auto name = dns::Name::from_text(n, &root)) {
            out.push_back(*name);
        }
    }
    return out;
}

std::string string_of(const json& body, const std::string& key, int code)
{
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
        throw ApiError::field(key, "is required", code);
    }
    if (!it->is_string()) {
        throw ApiError::field(key, "must be a string", code);
    }
    return it->get<std::string>();
}

// The account a zone is created in: ours, named by id, or not named at all (API.md §4).
void check_account(const json& body, const store::Account& account)
{
    auto it = body.find("account");
    if (it == body.end() || it->is_null()) {
        return;
    }
    if (!it->is_object()) {
        throw ApiError::field("account", "must be an object with an id");
    }
    auto id = it->find("id");
    if (id != it->end() && !id->is_null() && (!id->is_string() || *id != account.public_id)) {
        throw ApiError::field("account.id",
                              "is not this installation's account (" + account.public_id + ")");
    }
}

void check_type(const json& body)
{
    auto it = body.find("type");
    if (it != body.end() && !it->is_null() && *it != "full") {
        throw ApiError::field("type", "only full zones are supported (Nuage is the zone's "
                                      "authoritative server)");
    }
}

} // namespace

Response zones_list(Call& c)
{
    ZoneQuery q = parse_zone_query(c.req);
    Page page = parse_page(c.req, 20, 50);
    std::vector<store::Zone> zones;
    for (auto& z : c.store.list_zones()) {
        if (c.who.token.covers(z.name) && q.matches(z, c.ctx.account)) {
            zones.push_back(std::move(z));
        }
    }
    sort_zones(zones, q);
    ResultInfo info;
    json result = paginate(
        zones, page, [&](const store::Zone& z) { return zone_json(z, c.ctx); }, info);
    return ok_list(std::move(result), info);
}

Response zones_create(Call& c)
{
    json body = body_object(c.req);
    store::ZoneCreate req;
    req.name = string_of(body, "name", 1049);
    check_account(body, c.ctx.account);
    check_type(body);
    req.name_servers = name_servers(c.ctx.settings);
    if (req.name_servers.empty()) { // the store's message names dnsctl's flag; say the config key
        throw ApiError::field("name_servers", "this server assigns no name servers: set [zones] "
                                              "name_servers in dnsd's configuration");
    }
    store::Zone z = c.store.create_zone(req);
    auto messages = c.published();
    return ok(zone_json(z, c.ctx), messages);
}

Response zones_get(Call& c)
{
    return ok(zone_json(*c.zone, c.ctx));
}

Response zones_patch(Call& c)
{
    json body = body_object(c.req);
    if (auto p = body.find("paused"); p != body.end() && !p->is_null()) {
        if (!p->is_boolean()) {
            throw ApiError::field("paused", "must be true or false");
        }
        if (p->get<bool>()) {
            throw ApiError::field("paused", "Nuage has no paused (DNS only) mode: it would "
                                            "expose the origin addresses of proxied records");
        }
    }
    check_type(body);
    if (auto v = body.find("vanity_name_servers"); v != body.end()) {
        // Shown only (store.hpp set_vanity_name_servers): the parent must keep delegating to
        // the assigned name_servers, which the activation check compares and DNS serves.
        std::vector<std::string> names;
        if (!v->is_null() && !v->is_array()) {
            throw ApiError::field("vanity_name_servers", "must be a list of host names");
        }
        for (std::size_t i = 0; !v->is_null() && i < v->size(); ++i) {
            if (!(*v)[i].is_string()) {
                throw ApiError::field("vanity_name_servers[" + std::to_string(i) + "]",
                                      "must be a string");
            }
            names.push_back((*v)[i].get<std::string>());
        }
        c.store.set_vanity_name_servers(c.zone->id, names);
    }
    auto z = c.store.find_zone(c.zone->id);
    if (!z) {
        throw ApiError::no_route(c.req.path, 404);
    }
    return ok(zone_json(*z, c.ctx));
}

Response zones_delete(Call& c)
{
    c.store.delete_zone(c.zone->id);
    auto messages = c.published();
    return ok(json{{"id", c.zone->public_id}}, messages);
}

Response zones_activation_check(Call& c)
{
    if (!c.ctx.activation_check) {
        throw ApiError(503, code::kInternal, "the activation checker is not running");
    }
    c.ctx.activation_check(c.zone->id);
    return ok(json{{"id", c.zone->public_id}});
}

} // namespace nuage::api::handlers

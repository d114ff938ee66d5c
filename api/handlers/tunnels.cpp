// /accounts/:account_id/cfd_tunnel (API.md §7): create (with the credentials file and token
// cloudflared takes), list with filters, get, patch, delete (soft; refused while DNS routes
// point at it), and the connections report of the user's own edge, authenticated by the
// tunnel's secret (a Nuage extension).
#include "api/handlers/handlers.hpp"
#include "zonestore/store/tunnel.hpp"

#include <algorithm>
#include <openssl/evp.h>

namespace nuage::api::handlers {

namespace {

json opt(const std::optional<std::string>& s)
{
    return s ? json(*s) : json(nullptr);
}

json tunnel_json(const store::Tunnel& t, const store::Account& account)
{
    json conns = json::array();
    for (const auto& c : t.connections) {
        conns.push_back({{"id", c.id},
                         {"client_id", c.client_id},
                         {"client_version", c.client_version},
                         {"colo_name", c.colo_name},
                         {"is_pending_reconnect", c.is_pending_reconnect},
                         {"opened_at", c.opened_at},
                         {"origin_ip", c.origin_ip}});
    }
    return {{"id", t.id},
            {"account_tag", account.public_id},
            {"name", t.name},
            {"status", store::to_string(t.status)},
            {"created_at", t.created_at},
            {"deleted_at", opt(t.deleted_at)},
            {"conns_active_at", opt(t.conns_active_at)},
            {"conns_inactive_at", opt(t.conns_inactive_at)},
            {"connections", conns},
            {"config_src", t.config_src},
            {"remote_config", t.config_src == "cloudflare"},
            {"metadata", json::object()},
            {"tun_type", "cfd_tunnel"}};
}

std::string base64(const std::string& bytes)
{
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string tunnel_id(Call& c)
{
    std::string id = c.path.at("tunnel_id");
    if (!store::is_tunnel_id(id)) {
        throw ApiError::no_route(c.req.path);
    }
    std::transform(id.begin(), id.end(), id.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return id;
}

store::Tunnel find(Call& c, const std::string& id)
{
    auto t = c.store.find_tunnel(id);
    if (!t) {
        throw ApiError::no_route(c.req.path, 404);
    }
    return *t;
}

std::optional<std::string> optional_string(const json& body, const char* key)
{
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_string()) {
        throw ApiError::field(key, "must be a string");
    }
    return it->get<std::string>();
}

bool bool_param(const Request& req, const char* key, bool& out)
{
    auto v = req.param(key);
    if (!v) {
        return false;
    }
    if (*v != "true" && *v != "false") {
        throw ApiError::field(key, "must be true or false");
    }
    out = *v == "true";
    return true;
}

store::TunnelFilter tunnel_filter(const Request& req)
{
    store::TunnelFilter f;
    f.name = req.param("name");
    f.uuid = req.param("uuid");
    f.existed_at = req.param("existed_at");
    f.include_prefix = req.param("include_prefix");
    f.exclude_prefix = req.param("exclude_prefix");
    bool deleted = false;
    if (bool_param(req, "is_deleted", deleted)) {
        f.is_deleted = deleted;
    }
    if (auto s = req.param("status")) {
        f.status = store::tunnel_status_from_string(*s);
        if (!f.status) {
            throw ApiError::field("status", "is inactive, healthy, degraded or down");
        }
    }
    return f;
}

// The connections[] of a report; each field a string except is_pending_reconnect.
std::vector<store::TunnelConnection> connections(const json& body)
{
    auto it = body.find("connections");
    if (it == body.end() || !it->is_array()) {
        throw ApiError::field("connections", "must be a list (empty when the connector left)");
    }
    std::vector<store::TunnelConnection> out;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& c = (*it)[i];
        std::string where = "connections[" + std::to_string(i) + "]";
        if (!c.is_object()) {
            throw ApiError::field(where, "must be an object");
        }
        store::TunnelConnection conn;
        auto text = [&](const char* key, std::string& dst) {
            if (auto v = c.find(key); v != c.end() && !v->is_null()) {
                if (!v->is_string()) {
                    throw ApiError::field(where + "." + key, "must be a string");
                }
                dst = v->get<std::string>();
            }
        };
        text("id", conn.id);
        text("client_id", conn.client_id);
        text("client_version", conn.client_version);
        text("colo_name", conn.colo_name);
        text("opened_at", conn.opened_at);
        text("origin_ip", conn.origin_ip);
        if (auto v = c.find("is_pending_reconnect"); v != c.end() && !v->is_null()) {
            if (!v->is_boolean()) {
                throw ApiError::field(where + ".is_pending_reconnect", "must be true or false");
            }
            conn.is_pending_reconnect = v->get<bool>();
        }
        out.push_back(std::move(conn));
    }
    return out;
}

} // namespace

Response tunnels_list(Call& c)
{
    Page page = parse_page(c.req, 20, 1000);
    std::vector<store::Tunnel> all = c.store.list_tunnels(tunnel_filter(c.req));
    ResultInfo info;
    json result = paginate(
        all, page, [&](const store::Tunnel& t) { return tunnel_json(t, c.ctx.account); }, info);
    return ok_list(std::move(result), info);
}

Response tunnels_create(Call& c)
{
    json body = body_object(c.req);
    store::TunnelCreate req;
    auto name = optional_string(body, "name");
    if (!name) {
        throw ApiError::field("name", "is required");
    }
    req.name = *name;
    req.config_src = optional_string(body, "config_src").value_or("local");
    req.secret = optional_string(body, "tunnel_secret");
    store::NewTunnel t = c.store.create_tunnel(req);
    json out = tunnel_json(t.tunnel, c.ctx.account);
    out["credentials_file"] = {{"AccountTag", c.ctx.account.public_id},
                               {"TunnelID", t.tunnel.id},
                               {"TunnelName", t.tunnel.name},
                               {"TunnelSecret", t.secret}};
    // cloudflared's tunnel token: base64 of {"a": account, "t": tunnel id, "s": secret}.
    out["token"] =
        base64(json{{"a", c.ctx.account.public_id}, {"t", t.tunnel.id}, {"s", t.secret}}.dump());
    return ok(std::move(out));
}

Response tunnels_get(Call& c)
{
    return ok(tunnel_json(find(c, tunnel_id(c)), c.ctx.account));
}

Response tunnels_patch(Call& c)
{
    std::string id = tunnel_id(c);
    find(c, id);
    json body = body_object(c.req);
    store::TunnelUpdate u;
    u.name = optional_string(body, "name");
    u.secret = optional_string(body, "tunnel_secret");
    return ok(tunnel_json(c.store.update_tunnel(id, u), c.ctx.account));
}

Response tunnels_delete(Call& c)
{
    std::string id = tunnel_id(c);
    find(c, id);
    return ok(tunnel_json(c.store.delete_tunnel(id), c.ctx.account));
}

Response tunnels_connections(Call& c)
{
    store::Tunnel t = find(c, tunnel_id(c));
    return ok(tunnel_json(t, c.ctx.account)["connections"]);
}

Response tunnels_report(Call& c)
{
    // Authenticated by the tunnel's own secret (API.md §7), never by an API token.
    std::string id = tunnel_id(c);
    auto auth = c.req.header("Authorization");
    if (!auth) {
        throw ApiError(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
    }
    std::string_view v = *auth;
    if (v.substr(0, 7) != "Bearer " || v.size() == 7) {
        throw ApiError(400, {ErrorItem{6003,
                                       "Invalid request headers",
                                       {{6111, "Invalid format for Authorization header"}},
                                       {}}});
    }
    find(c, id);
    if (!c.store.verify_tunnel_secret(id, v.substr(7))) {
        throw ApiError::forbidden();
    }
    store::Tunnel t = c.store.report_tunnel_connections(id, connections(body_object(c.req)));
    return ok(tunnel_json(t, c.ctx.account));
}

} // namespace nuage::api::handlers

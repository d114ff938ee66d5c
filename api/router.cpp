#include "api/router.hpp"

#include "api/log.hpp"
#include "zonestore/store/clock_ids.hpp"
#include "zonestore/store/tunnel.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace nuage::api {

namespace {

std::vector<std::string_view> segments(std::string_view path)
{
    std::vector<std::string_view> out;
    while (!path.empty()) {
        auto slash = path.find('/');
        std::string_view seg = path.substr(0, slash);
        if (!seg.empty()) { // "/zones/" and "/zones" are the same route (ddclient)
            out.push_back(seg);
        }
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    }
    return out;
}

// Can `value` be the route parameter `param`? Tunnels have UUIDs; zones, records, accounts
// and tokens 32 hex digits (any case). A segment that cannot be an id is another route, or
// none (API.md §6: /dns_records/scan is no route, not a record id with the wrong method).
bool fits(std::string_view param, std::string_view value)
{
    if (param == "tunnel_id") {
        return store::is_tunnel_id(value);
    }
    return value.size() == 32 && std::all_of(value.begin(), value.end(),
                                             [](unsigned char c) { return std::isxdigit(c) != 0; });
}

// Literal segments that matched (-1: no match), and the parameters.
int match(const Route& r, const std::vector<std::string_view>& path,
          std::map<std::string, std::string>& params)
{
    auto pattern = segments(r.pattern);
    if (pattern.size() != path.size()) {
        return -1;
    }
    int literal = 0;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (pattern[i].front() == ':') {
            if (!fits(pattern[i].substr(1), path[i])) {
                return -1;
            }
            params[std::string(pattern[i].substr(1))] = std::string(path[i]);
        } else if (pattern[i] == path[i]) {
            ++literal;
        } else {
            return -1;
        }
    }
    return literal;
}

struct Matched {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::string allow; // the methods of the path, for a 405
};

// The most specific routes for the path (a literal beats a parameter: /dns_records/export is
// not a record id), then the one for the method.
Matched find_route(const std::string& method, const std::vector<std::string_view>& path)
{
    int best = -1;
    std::vector<std::pair<const Route*, std::map<std::string, std::string>>> found;
    for (const auto& r : route_table()) {
        std::map<std::string, std::string> params;
        int m = match(r, path, params);
        if (m < 0 || m < best) {
            continue;
        }
        if (m > best) {
            found.clear();
            best = m;
        }
        found.emplace_back(&r, std::move(params));
    }
    Matched out;
    std::string want = method == "HEAD" ? "GET" : method;
    for (auto& [r, params] : found) {
        out.allow += (out.allow.empty() ? "" : ", ") + std::string(r->method);
        if (want == r->method && !out.route) {
            out.route = r;
            out.params = std::move(params);
        }
    }
    return out;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// The route's zone: 400 for a malformed id, 404 for one that names no zone (API.md §6).
store::Zone route_zone(store::Store& st, const std::string& path, std::string& id)
{
    id = lower(id);
    if (!store::is_public_id(id)) {
        throw ApiError::no_route(path);
    }
    auto z = st.find_zone_by_public_id(id);
    if (!z) {
        throw ApiError::no_route(path, 404);
    }
    return *z;
}

// API.md §3 last_used_on: written at most once a minute per token. A failed write (a busy
// database) costs the request nothing.
void note_use(ApiContext& ctx, store::Store& st, const store::Token& t)
{
    if (!ctx.token_usage || !ctx.token_usage->due(t.public_id)) {
        return;
    }
    try {
        st.note_token_used(t.public_id, store::now_rfc3339());
    } catch (const std::exception& e) {
        log().warn("token {}: last use not recorded: {}", t.public_id, e.what());
    }
}

} // namespace

std::vector<Message> Call::published()
{
    if (!ctx.wait_published) {
        return {};
    }
    if (ctx.wait_published(store.journal_head(), ctx.settings.publish_timeout)) {
        return {};
    }
    log().warn("a change is committed but not yet served by every DNS worker after {} ms",
               ctx.settings.publish_timeout.count());
    return {{code::kPublicationDelayed,
             "The change is saved, but publication to the DNS servers is delayed: it will be "
             "served shortly."}};
}

Response Router::dispatch(const Request& req) const
{
    std::string_view path = req.path;
    if (path.substr(0, kBasePath.size()) != kBasePath ||
        (path.size() > kBasePath.size() && path[kBasePath.size()] != '/')) {
        throw ApiError::no_route(req.path);
    }
    Matched m = find_route(req.method, segments(path.substr(kBasePath.size())));
    if (!m.route && m.allow.empty()) {
        throw ApiError::no_route(req.path);
    }
    if (!m.route) {
        Response r = error_response(ApiError(405, code::kMethodNotAllowed,
                                             "Method not allowed for this endpoint (" + req.method +
                                                 "); allowed: " + m.allow));
        r.headers.emplace_back("Allow", m.allow);
        return r;
    }
    auto lease = ctx_.stores->acquire();
    store::Store& st = *lease;
    Principal who;
    if (m.route->access != Access::Open) {
        who = authenticate(req, st, ctx_.settings, m.route->access == Access::Verify);
        note_use(ctx_, st, who.token);
    }
    Call call{req, ctx_, st, who, std::move(m.params), std::nullopt};
    if (auto it = call.path.find("account_id"); it != call.path.end()) {
        it->second = lower(it->second);
        if (!store::is_public_id(it->second)) {
            throw ApiError::no_route(req.path);
        }
        if (it->second != ctx_.account.public_id) {
            throw ApiError::no_route(req.path, 404);
        }
    }
    if (auto it = call.path.find("zone_id"); it != call.path.end()) {
        call.zone = route_zone(st, req.path, it->second);
    }
    authorize(who, m.route->access, call.zone ? &*call.zone : nullptr);
    return m.route->handler(call);
}

Response Router::handle(const Request& req) const
{
    try {
        return dispatch(req);
    } catch (const ApiError& e) {
        return error_response(e);
    } catch (const store::ValidationError& e) {
        return error_response(from_validation(e));
    } catch (const store::NotFound& e) {
        return error_response(ApiError(404, code::kRecordNotFound, "Record does not exist."));
    } catch (const json::exception& e) {
        // A field of the wrong JSON type that a handler read without checking first.
        return error_response(
            ApiError(400, code::kBadRequest,
                     "a field of the request has the wrong type: " + std::string(e.what())));
    } catch (const std::exception& e) {
        log().error("{} {}: {}", req.method, req.path, e.what());
        return error_response(
            ApiError(500, code::kInternal, "Internal error: the request could not be completed"));
    }
}

} // namespace nuage::api

// api_fixture.hpp -- the API without sockets: a fresh store in a temp dir, the router on it,
// three tokens (all zones edit, all zones read, example.com only edit) and a zone; requests
// are built by hand and their envelopes parsed back.
#pragma once

#include "api/router.hpp"
#include "tests/unit/store/store_fixture.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace nuage::test {

struct Reply {
    int status = 0;
    nlohmann::json body; // null when the body is not JSON
    std::string text;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;

    int code() const { return body["errors"][0]["code"].get<int>(); }
    std::string message() const { return body["errors"][0]["message"].get<std::string>(); }
    // A reference into body: keep the Reply alive while it is used.
    const nlohmann::json& result() const& { return body["result"]; }
    nlohmann::json result() && { return std::move(body["result"]); }
};

struct ApiFixture {
    TempDir dir;
    std::string db = dir.file("nuage.sqlite");
    std::unique_ptr<store::Store> st = store::Store::open(db);
    std::vector<store::EdgePool> edge_pools; // set before the first request: the API's stores
    api::StorePool pool{[this] {
        auto s = store::Store::open(db);
        if (!edge_pools.empty()) {
            s->set_edge_pools(edge_pools);
        }
        return s;
    }};
    api::ApiContext ctx;
    api::Router router{ctx};
    std::string admin, reader, scoped; // secrets
    std::string zone_id;               // example.com
    std::int64_t zone = 0;
    bool publish_ok = true;
    std::vector<std::int64_t> waited; // journal sequences the router waited for

    ApiFixture()
    {
        ctx.stores = &pool;
        ctx.settings.name_servers = {"ns1.example.net.", "ns2.example.net."};
        ctx.account = st->ensure_account("Test account");
        ctx.wait_published = [this](std::int64_t seq, std::chrono::milliseconds) {
            waited.push_back(seq);
            return publish_ok;
        };
        admin = token("admin", {}, true);
        reader = token("reader", {}, false);
        scoped = token("scoped", {"example.com"}, true);
        store::ZoneCreate z;
        z.name = "example.com";
        z.name_servers = {dns::Name::parse("ns1.example.net.")};
        auto created = st->create_zone(z);
        zone = created.id;
        zone_id = created.public_id;
    }

    std::string token(const std::string& name, std::vector<std::string> zones, bool edit)
    {
        store::TokenCreate t;
        t.name = name;
        t.zones = std::move(zones);
        t.all_zones = t.zones.empty();
        t.permission = edit ? store::TokenPermission::Edit : store::TokenPermission::Read;
        return st->create_token(t).secret;
    }

    // One request. `path` may carry a query string; `secret` empty: no credentials.
    Reply call(const std::string& method, const std::string& path, const std::string& body = "",
               const std::string& secret = "-")
    {
        api::Request req;
        req.method = method;
        auto q = path.find('?');
        req.path = "/client/v4" + path.substr(0, q);
        if (q != std::string::npos) {
            std::string rest = path.substr(q + 1);
            while (!rest.empty()) {
                auto amp = rest.find('&');
                std::string kv = rest.substr(0, amp);
                auto eq = kv.find('=');
                req.query.emplace(kv.substr(0, eq),
                                  eq == std::string::npos ? "" : kv.substr(eq + 1));
                rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
            }
        }
        std::string s = secret == "-" ? admin : secret;
        if (!s.empty()) {
            req.headers.emplace("Authorization", "Bearer " + s);
        }
        req.body = body;
        req.remote_addr = "127.0.0.1";
        return send(req);
    }

    Reply send(const api::Request& req)
    {
        api::Response res = router.handle(req);
        Reply r{res.status, nullptr, res.body, res.content_type, res.headers};
        if (res.content_type == "application/json") {
            r.body = nlohmann::json::parse(res.body);
        }
        return r;
    }

    std::string records() { return "/zones/" + zone_id + "/dns_records"; }
    std::size_t count() { return st->list_records(zone, {}).size(); }
    std::uint32_t serial() { return st->find_zone(zone)->soa.serial; }
};

} // namespace nuage::test

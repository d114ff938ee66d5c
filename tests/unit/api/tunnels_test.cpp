// tunnels_test.cpp -- /accounts/:id/cfd_tunnel through the router: create (credentials file
// and token), list filters, get, patch, delete (refused while routed), the connections report
// authenticated by the tunnel's secret, and the scopes tunnels need.
#include "tests/unit/api/api_fixture.hpp"

#include <openssl/evp.h>

using namespace nuage;
using nuage::test::ApiFixture;
using nuage::test::Reply;

namespace {

std::string base(const ApiFixture& f)
{
    return "/accounts/" + f.ctx.account.public_id + "/cfd_tunnel";
}

Reply report(ApiFixture& f, const std::string& id, const std::string& secret,
             const std::string& body)
{
    api::Request req;
    req.method = "PUT";
    req.path = "/client/v4" + base(f) + "/" + id + "/connections";
    req.headers.emplace("Authorization", "Bearer " + secret);
    req.body = body;
    return f.send(req);
}

} // namespace

TEST_CASE("tunnels: create, list, get, patch, delete")
{
    ApiFixture f;
    Reply r = f.call("POST", base(f), R"({"name":"home","config_src":"local"})");
    REQUIRE(r.status == 200);
    std::string id = r.result()["id"];
    CHECK(store::is_tunnel_id(id));
    CHECK(r.result()["status"] == "inactive");
    CHECK(r.result()["account_tag"] == f.ctx.account.public_id);
    CHECK(r.result()["tun_type"] == "cfd_tunnel");
    CHECK(r.result()["deleted_at"].is_null());
    std::string secret = r.result()["credentials_file"]["TunnelSecret"];
    CHECK(r.result()["credentials_file"]["TunnelID"] == id);
    CHECK(!r.result()["token"].get<std::string>().empty());

    CHECK(f.call("POST", base(f), R"({"name":"home"})").status == 400); // name taken
    CHECK(f.call("POST", base(f), R"({"name":"x","tunnel_secret":"c2hvcnQ="})").status == 400);
    CHECK(f.call("POST", base(f), R"({"config_src":"local"})").status == 400);
    f.call("POST", base(f), R"({"name":"office"})");

    CHECK(f.call("GET", base(f)).result().size() == 2);
    CHECK(f.call("GET", base(f) + "?name=home").result().size() == 1);
    CHECK(f.call("GET", base(f) + "?include_prefix=off").result()[0]["name"] == "office");
    CHECK(f.call("GET", base(f) + "?exclude_prefix=off").result()[0]["name"] == "home");
    CHECK(f.call("GET", base(f) + "?uuid=" + id).result().size() == 1);
    CHECK(f.call("GET", base(f) + "?status=healthy").result().empty());
    CHECK(f.call("GET", base(f) + "?status=sleepy").status == 400);
    CHECK(f.call("GET", base(f) + "?is_deleted=maybe").status == 400);
    CHECK(f.call("GET", base(f) + "/" + id).result()["name"] == "home");
    CHECK(f.call("GET", base(f) + "/not-a-uuid").status == 400);
    CHECK(f.call("GET", base(f) + "/00000000-0000-4000-8000-000000000000").status == 404);
    CHECK(f.call("GET", "/accounts/" + std::string(32, 'a') + "/cfd_tunnel").status == 404);

    r = f.call("PATCH", base(f) + "/" + id, R"({"name":"house"})");
    CHECK(r.result()["name"] == "house");

    // A proxied route: deleting the tunnel is refused while it exists.
    std::string route = f.call("POST", f.records(),
                               R"({"type":"CNAME","name":"www","proxied":true,"content":")" + id +
                                   R"(.cfargotunnel.com"})")
                            .result()["id"];
    r = f.call("DELETE", base(f) + "/" + id);
    CHECK(r.status == 400);
    CHECK(r.message().find("www.example.com") != std::string::npos);
    f.call("DELETE", f.records() + "/" + route);
    r = f.call("DELETE", base(f) + "/" + id);
    REQUIRE(r.status == 200);
    CHECK(!r.result()["deleted_at"].is_null());
    CHECK(f.call("GET", base(f) + "?is_deleted=false").result().size() == 1);
    CHECK(f.call("GET", base(f) + "?is_deleted=true").result().size() == 1);
    // A route to a deleted tunnel is refused.
    r = f.call("POST", f.records(),
               R"({"type":"CNAME","name":"git","proxied":true,"content":")" + id +
                   R"(.cfargotunnel.com"})");
    CHECK(r.status == 400);
    CHECK(r.message().find("content") != std::string::npos);
    (void)secret;
}

TEST_CASE("tunnels: a DNS-only route is accepted with a warning")
{
    ApiFixture f;
    std::string id = f.call("POST", base(f), R"({"name":"home"})").result()["id"];
    Reply r = f.call("POST", f.records(),
                     R"({"type":"CNAME","name":"www","content":")" + id + R"(.cfargotunnel.com"})");
    REQUIRE(r.status == 200);
    CHECK(r.body["messages"].size() == 1);
    CHECK(r.result()["meta"]["managed_by_argo_tunnel"] == true);
}

TEST_CASE("tunnels: the connections report, with the tunnel's secret")
{
    ApiFixture f;
    Reply r = f.call("POST", base(f), R"({"name":"home"})");
    std::string id = r.result()["id"];
    std::string secret = r.result()["credentials_file"]["TunnelSecret"];
    std::string body = R"({"connections":[{"id":"c1","origin_ip":"198.51.100.7",
        "opened_at":"2026-01-01T00:00:00Z","colo_name":"home-edge"}]})";
    r = report(f, id, secret, body);
    REQUIRE(r.status == 200);
    CHECK(r.result()["status"] == "healthy");
    CHECK(r.result()["connections"][0]["colo_name"] == "home-edge");
    CHECK(f.call("GET", base(f) + "/" + id + "/connections").result().size() == 1);

    CHECK(report(f, id, "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZy1zZWNyZXQ=", body).status ==
          403);
    CHECK(report(f, id, f.admin, body).status == 403); // an API token is not the secret
    CHECK(report(f, id, secret, R"({"connections":"no"})").status == 400);
    r = report(f, id, secret, R"({"connections":[]})");
    CHECK(r.result()["status"] == "down");
}

TEST_CASE("tunnels: scopes")
{
    ApiFixture f;
    CHECK(f.call("POST", base(f), R"({"name":"x"})", f.scoped).status == 403);
    CHECK(f.call("POST", base(f), R"({"name":"x"})", f.reader).status == 403);
    CHECK(f.call("GET", base(f), "", f.reader).status == 200);
    CHECK(f.call("GET", base(f), "", f.scoped).status == 403);
}

TEST_CASE("tunnels: existed_at past 2262; a report's connections are checked, naming the field")
{
    ApiFixture f;
    std::string base = "/accounts/" + f.ctx.account.public_id + "/cfd_tunnel";
    Reply r = f.call("POST", base, R"({"name":"home"})");
    std::string id = r.result()["id"];
    std::string secret = r.result()["credentials_file"]["TunnelSecret"];
    CHECK(f.call("GET", base + "?existed_at=2999-01-01T00:00:00Z").result().size() == 1);
    CHECK(f.call("GET", base + "?existed_at=1999-01-01T00:00:00Z").result().empty());
    auto rep = [&](const std::string& body) {
        api::Request req;
        req.method = "PUT";
        req.path = "/client/v4" + base + "/" + id + "/connections";
        req.headers.emplace("Authorization", "Bearer " + secret);
        req.body = body;
        return f.send(req);
    };
    struct Case {
        const char* body;
        const char* pointer;
    } cases[] = {
        {R"({"connections":[{"id":"c1","origin_ip":"not-an-ip"}]})", "/connections/0/origin_ip"},
        {R"({"connections":[{"id":"c1","opened_at":"garbage"}]})", "/connections/0/opened_at"},
        {R"({"connections":[{"id":"c1"},{"origin_ip":"192.0.2.1"}]})", "/connections/1/id"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.body);
        r = rep(c.body);
        CHECK(r.status == 400);
        CHECK(r.body["errors"][0]["source"]["pointer"] == c.pointer);
    }
    r = rep(R"({"connections":[{"id":"c1","origin_ip":"2001:db8::7",
               "opened_at":"2026-01-01T00:00:00.5+01:00"}]})");
    CHECK(r.status == 200);
}

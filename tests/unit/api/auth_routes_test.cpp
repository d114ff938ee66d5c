// auth_routes_test.cpp -- the route table and the auth table of API.md §3, through the router
// (no sockets): every credential failure with its status and code, scopes, 405, trailing
// slashes, unknown routes and ids.
#include "tests/unit/api/api_fixture.hpp"
#include "zonestore/store/clock_ids.hpp"

using namespace nuage;
using nuage::test::ApiFixture;
using nuage::test::Reply;

namespace {

api::Request request(const std::string& path)
{
    api::Request req;
    req.method = "GET";
    req.path = "/client/v4" + path;
    req.remote_addr = "127.0.0.1";
    return req;
}

int chain(const Reply& r)
{
    return r.body["errors"][0]["error_chain"][0]["code"].get<int>();
}

} // namespace

TEST_CASE("auth: the table of API.md §3")
{
    ApiFixture f;
    SUBCASE("no credentials: 400 9106")
    {
        Reply r = f.call("GET", "/zones", "", "");
        CHECK(r.status == 400);
        CHECK(r.code() == 9106);
        CHECK(r.body["success"] == false);
        CHECK(r.body["result"].is_null());
    }
    SUBCASE("malformed bearer: 400 6003 with 6111")
    {
        for (std::string bad : {std::string("short"), std::string(40, '!'), std::string(41, 'a')}) {
            Reply r = f.call("GET", "/zones", "", bad);
            CHECK(r.status == 400);
            CHECK(r.code() == 6003);
            CHECK(chain(r) == 6111);
        }
        api::Request req = request("/zones");
        req.headers.emplace("Authorization", "Basic " + f.admin);
        Reply r = f.send(req);
        CHECK(r.status == 400);
        CHECK(chain(r) == 6111);
    }
    SUBCASE("unknown token: 403 9109, on verify 401")
    {
        std::string unknown(40, 'A');
        Reply r = f.call("GET", "/zones", "", unknown);
        CHECK(r.status == 403);
        CHECK(r.code() == 9109);
        r = f.call("GET", "/user/tokens/verify", "", unknown);
        CHECK(r.status == 401);
        CHECK(r.code() == 9109);
    }
    SUBCASE("revoked token: 403 9109")
    {
        auto id = f.st->list_tokens()[1].public_id; // reader
        f.st->revoke_token(id);
        Reply r = f.call("GET", "/zones", "", f.reader);
        CHECK(r.status == 403);
        CHECK(r.code() == 9109);
    }
    SUBCASE("verify: id, status, message 10000")
    {
        Reply r = f.call("GET", "/user/tokens/verify");
        CHECK(r.status == 200);
        CHECK(r.result()["status"] == "active");
        CHECK(r.result()["id"] == f.st->list_tokens()[0].public_id);
        CHECK(r.body["messages"][0]["code"] == 10000);
    }
    SUBCASE("legacy X-Auth-Email + X-Auth-Key")
    {
        api::Request req = request("/zones");
        req.headers.emplace("X-Auth-Email", "admin@example.net");
        req.headers.emplace("X-Auth-Key", f.admin);
        CHECK(f.send(req).status == 200);

        f.ctx.settings.account_email = "owner@example.net";
        Reply r = f.send(req);
        CHECK(r.status == 403); // the email must be the account's
        CHECK(r.code() == 9103);
        req.headers.find("X-Auth-Email")->second = "OWNER@example.net";
        CHECK(f.send(req).status == 200);

        req.headers.find("X-Auth-Key")->second = std::string(40, 'z');
        r = f.send(req);
        CHECK(r.status == 403);
        CHECK(r.code() == 9103);

        req.headers.find("X-Auth-Key")->second = "not a key";
        r = f.send(req);
        CHECK(r.status == 400);
        CHECK(chain(r) == 6103);

        req.headers.find("X-Auth-Email")->second = "nobody";
        r = f.send(req);
        CHECK(r.status == 400);
        CHECK(chain(r) == 6102);

        api::Request key_only = request("/zones");
        key_only.headers.emplace("X-Auth-Key", f.admin);
        CHECK(chain(f.send(key_only)) == 6102);
    }
    SUBCASE("verify with X-Auth headers: 400 1001")
    {
        api::Request req = request("/user/tokens/verify");
        req.headers.emplace("X-Auth-Email", "admin@example.net");
        req.headers.emplace("X-Auth-Key", f.admin);
        Reply r = f.send(req);
        CHECK(r.status == 400);
        CHECK(r.code() == 1001);
    }
    SUBCASE("a credential never appears in a reply")
    {
        std::string unknown = "Zz" + std::string(38, '9');
        CHECK(f.call("GET", "/zones", "", unknown).text.find(unknown) == std::string::npos);
        api::Request req = request("/zones");
        req.headers.emplace("X-Auth-Email", "x@example.net");
        req.headers.emplace("X-Auth-Key", unknown);
        CHECK(f.send(req).text.find(unknown) == std::string::npos);
    }
}

TEST_CASE("scopes: zones, read and edit, all-zones operations")
{
    ApiFixture f;
    store::ZoneCreate other;
    other.name = "other.org";
    other.name_servers = {dns::Name::parse("ns1.example.net.")};
    auto o = f.st->create_zone(other);

    // Lists are filtered to the token's zones.
    Reply r = f.call("GET", "/zones", "", f.scoped);
    REQUIRE(r.status == 200);
    CHECK(r.result().size() == 1);
    CHECK(r.result()[0]["name"] == "example.com");
    CHECK(f.call("GET", "/zones").result().size() == 2);

    // A zone outside the scope: 403 10000, whatever the route.
    for (std::string path : {"/zones/" + o.public_id, "/zones/" + o.public_id + "/dns_records",
                             "/zones/" + o.public_id + "/dns_records/export"}) {
        r = f.call("GET", path, "", f.scoped);
        CHECK(r.status == 403);
        CHECK(r.code() == 10000);
    }
    CHECK(f.call("GET", "/zones/" + f.zone_id + "/dns_records", "", f.scoped).status == 200);

    // Read tokens do not write.
    std::string rec = R"({"type":"A","name":"www","content":"192.0.2.1"})";
    r = f.call("POST", f.records(), rec, f.reader);
    CHECK(r.status == 403);
    CHECK(r.code() == 10000);
    CHECK(f.count() == 0);
    CHECK(f.call("POST", f.records(), rec, f.scoped).status == 200);

    // Zones and tokens: an all-zones edit token only.
    r = f.call("POST", "/zones", R"({"name":"new.example"})", f.scoped);
    CHECK(r.status == 403);
    CHECK(f.call("DELETE", "/zones/" + f.zone_id, "", f.scoped).status == 403);
    CHECK(f.call("GET", "/user/tokens", "", f.scoped).status == 403);
    CHECK(f.call("GET", "/user/tokens", "", f.reader).status == 200);
    auto id = f.st->list_tokens()[2].public_id;
    CHECK(f.call("DELETE", "/user/tokens/" + id, "", f.reader).status == 403);
    CHECK(f.call("DELETE", "/user/tokens/" + id).status == 200);
    CHECK(f.call("GET", "/zones", "", f.scoped).code() == 9109); // revoked
}

TEST_CASE("routes: trailing slash, 405, unknown routes and ids")
{
    ApiFixture f;
    CHECK(f.call("GET", "/zones/?name=example.com").result().size() == 1); // ddclient

    Reply r = f.call("PUT", "/zones");
    CHECK(r.status == 405);
    CHECK(r.code() == 7001);
    bool allow = false;
    for (const auto& [k, v] : r.headers) {
        allow = allow || (k == "Allow" && v.find("GET") != std::string::npos);
    }
    CHECK(allow);
    CHECK(f.call("POST", f.records() + "/export").status == 405); // not a record id

    r = f.call("GET", "/nothing/here");
    CHECK(r.status == 400);
    CHECK(r.code() == 7003);
    CHECK(r.body["errors"][1]["code"] == 7000);

    r = f.call("GET", "/zones/not-an-id");
    CHECK(r.status == 400);
    CHECK(r.code() == 7003);
    r = f.call("GET", "/zones/" + std::string(32, 'a'));
    CHECK(r.status == 404);
    CHECK(r.code() == 7003);
    r = f.call("GET", f.records() + "/" + std::string(32, 'b'));
    CHECK(r.status == 404);
    CHECK(r.code() == 81044);
    r = f.call("GET", f.records() + "/xyz");
    CHECK(r.status == 400);

    api::Request outside = request("/zones");
    outside.path = "/v4/zones";
    CHECK(f.send(outside).status == 400);

    // Unknown headers are ignored.
    api::Request req = request("/zones");
    req.headers.emplace("Authorization", "Bearer " + f.admin);
    req.headers.emplace("X-Stainless-Lang", "js");
    req.headers.emplace("api-version", "2024-01-01");
    CHECK(f.send(req).status == 200);
}

TEST_CASE("accounts: the one account")
{
    ApiFixture f;
    Reply r = f.call("GET", "/accounts");
    REQUIRE(r.status == 200);
    REQUIRE(r.result().size() == 1);
    CHECK(r.result()[0]["name"] == "Test account");
    std::string id = r.result()[0]["id"];
    CHECK(store::is_public_id(id));
    CHECK(f.call("GET", "/accounts/" + id).result()["id"] == id);
    CHECK(f.call("GET", "/accounts/" + std::string(32, 'c')).status == 404);
    // Renamed from the configuration, same id.
    CHECK(f.st->ensure_account("Renamed").public_id == id);
}

TEST_CASE("tokens: list and revoke, never a secret")
{
    ApiFixture f;
    Reply r = f.call("GET", "/user/tokens");
    REQUIRE(r.status == 200);
    CHECK(r.result().size() == 3);
    CHECK(r.body["result_info"]["total_count"] == 3);
    for (const std::string& s : {f.admin, f.reader, f.scoped}) {
        CHECK(r.text.find(s) == std::string::npos);
    }
    CHECK(r.result()[2]["zones"][0] == "example.com");
    CHECK(r.result()[2]["policies"][0]["resources"].contains("com.cloudflare.api.account.zone." +
                                                             f.zone_id));
    CHECK(f.call("DELETE", "/user/tokens/" + std::string(32, 'd')).status == 404);
}

TEST_CASE("tokens: verify's message has type null (API.md §3)")
{
    ApiFixture f;
    Reply r = f.call("GET", "/user/tokens/verify");
    REQUIRE(r.status == 200);
    CHECK(r.body["messages"][0] == nlohmann::json{{"code", 10000},
                                                  {"message", "This API Token is valid and active"},
                                                  {"type", nullptr}});
}

TEST_CASE("tokens: last_used_on is recorded on use")
{
    ApiFixture f;
    Reply r = f.call("GET", "/user/tokens");
    REQUIRE(r.status == 200);
    for (const auto& t : r.result()) {
        CAPTURE(t["name"]);
        CHECK(t["last_used_on"].is_null() == (t["name"] != "admin"));
    }
    f.call("GET", "/zones", "", f.reader);
    Reply after = f.call("GET", "/user/tokens"); // named: result() refers into it
    REQUIRE(after.result().size() == r.result().size());
    for (const auto& t : after.result()) {
        CHECK(t["last_used_on"].is_null() == (t["name"] == "scoped"));
    }
}

TEST_CASE("routes: a segment that cannot be an id is no route (400, 7003), not a 405")
{
    ApiFixture f;
    Reply r = f.call("POST", f.records() + "/scan");
    CHECK(r.status == 400);
    CHECK(r.code() == 7003);
    CHECK(r.body["errors"][1]["code"] == 7000);
    r = f.call("POST", f.records() + "/scan/review");
    CHECK(r.status == 400);
    r = f.call("POST", "/user/tokens/permission_groups");
    CHECK(r.status == 400);
    CHECK(r.code() == 7003);
    CHECK(f.call("POST", f.records() + "/export").status == 405);
    CHECK(f.call("PATCH", f.records() + "/" + std::string(32, 'b'), "{}").status == 404);
}

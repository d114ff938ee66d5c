// pieces_test.cpp -- the API's parts on their own: the envelope and pagination, the data form
// of record content, the rate limiter, token secrets and hashes, and `dnsctl token`.
#include "api/envelope.hpp"
#include "api/rate_limit.hpp"
#include "api/record_data.hpp"
#include "api/token_usage.hpp"
#include "tests/unit/store/store_fixture.hpp"
#include "tools/dnsctl/cli.hpp"
#include "zonestore/dns/rdata.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace nuage;

TEST_CASE("envelope: success, lists, errors")
{
    auto ok = nlohmann::json::parse(api::ok({{"id", "x"}}, {{1, "note"}}).body);
    CHECK(ok["success"] == true);
    CHECK(ok["errors"].empty());
    CHECK(ok["messages"][0]["message"] == "note");
    CHECK(!ok.contains("result_info"));

    std::vector<int> all{1, 2, 3, 4, 5};
    api::ResultInfo info;
    auto page = api::paginate(
        all, {2, 2}, [](int i) { return i; }, info);
    CHECK(page == api::json::array({3, 4}));
    CHECK(info.count == 2);
    CHECK(info.total_count == 5);
    CHECK(info.total_pages == 3);
    page = api::paginate(
        all, {4, 2}, [](int i) { return i; }, info);
    CHECK(page.empty());
    CHECK(info.count == 0);
    auto list = nlohmann::json::parse(api::ok_list(page, info).body);
    CHECK(list["result_info"]["page"] == 4);

    api::ApiError e(400, {{1004, "DNS Validation Error", {{9005, "bad"}}, "/content"}});
    api::Response r = api::error_response(e);
    CHECK(r.status == 400);
    CHECK(r.content_type == "application/json");
    auto err = nlohmann::json::parse(r.body);
    CHECK(err["success"] == false);
    CHECK(err["result"].is_null());
    CHECK(err["errors"][0]["error_chain"][0]["code"] == 9005);
    CHECK(err["errors"][0]["source"]["pointer"] == "/content");

    // Invalid UTF-8 from a zone file comment does not break the reply.
    CHECK_NOTHROW(api::dump(api::json{{"comment", std::string("\xff\xfe")}}));
}

TEST_CASE("envelope: page parameters")
{
    api::Request req;
    req.query.emplace("per_page", "1000");
    CHECK(api::parse_page(req, 20, 50).per_page == 50); // clamped
    req.query.emplace("page", "0");
    CHECK_THROWS_AS(api::parse_page(req, 20, 50), api::ApiError);
    api::Request huge;
    huge.query.emplace("page", "9223372036854775807");
    huge.query.emplace("per_page", "50");
    auto p = api::parse_page(huge, 20, 50);
    std::vector<int> none;
    api::ResultInfo info;
    CHECK(api::paginate(
              none, p, [](int i) { return i; }, info)
              .empty());
}

TEST_CASE("record data: content <-> data for the structured types")
{
    using namespace dns::rrtype;
    struct Case {
        std::uint16_t type;
        const char* content;
        const char* field;
    };
    const Case cases[] = {
        {SRV, "10 5 5060 sip.example.com", "target"},
        {CAA, "0 issue \"letsencrypt.org\"", "value"},
        {DS, "12345 8 2 49fd46e6c4b45c55d4ac69cbd3cd34ac1afe51de", "digest"},
        {DNSKEY,
         "257 3 13 "
         "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
         "public_key"},
        {TLSA, "3 1 1 0123456789abcdef", "certificate"},
        {SSHFP, "2 1 123456789abcdef67890123456789abcdef67890", "fingerprint"},
        {HTTPS, "1 . alpn=h2,h3 ipv4hint=192.0.2.1", "value"},
        {NAPTR, "100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" .", "regex"},
        {URI, "10 \"https://example.com/\"", "target"},
        {CERT, "PKIX 1 8 MIIB", "certificate"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.content);
        auto data = api::content_to_data(c.type, c.content);
        REQUIRE(data.is_object());
        CHECK(data.contains(c.field));
        std::string back = api::data_to_content(c.type, data);
        if (c.type != CERT) { // PKIX comes back as 1
            CHECK(back == c.content);
        }
    }
    CHECK(api::content_to_data(CERT, "PKIX 1 8 MIIB")["type"] == 1);
    CHECK(api::content_to_data(A, "192.0.2.1").is_null());
    auto loc = api::content_to_data(LOC, "52 22 23.000 N 04 53 32.000 E -2m 0.00m 10000m 10m");
    CHECK(loc["lat_seconds"] == 23.0);
    CHECK(loc["altitude"] == -2.0);
    CHECK(api::data_to_content(LOC, loc) == "52 22 23 N 4 53 32 E -2m 0m 10000m 10m");
    CHECK_THROWS_AS(api::data_to_content(SRV, nlohmann::json{{"priority", 1}}),
                    store::ValidationError);
    CHECK_THROWS_AS(api::data_to_content(A, nlohmann::json::object()), store::ValidationError);
}

TEST_CASE("data: integer fields in their wire width, never wrapped")
{
    using namespace nuage::dns::rrtype;
    using nlohmann::json;
    auto field_of = [](std::uint16_t type, const json& data) {
        return test::refusal([&] { api::data_to_content(type, data); }).field;
    };
    json srv = {{"priority", 1}, {"weight", 5}, {"port", 70000}, {"target", "sip.example.com"}};
    CHECK(field_of(SRV, srv) == "data.port");
    srv["port"] = 5060;
    srv["weight"] = -1;
    CHECK(field_of(SRV, srv) == "data.weight");
    srv["weight"] = "5";
    CHECK(api::data_to_content(SRV, srv) == "1 5 5060 sip.example.com");
    srv["weight"] = 1.5;
    CHECK(field_of(SRV, srv) == "data.weight");
    srv["weight"] = "+5";
    CHECK(field_of(SRV, srv) == "data.weight");
    CHECK(field_of(CAA, {{"flags", 256}, {"tag", "issue"}, {"value", "x"}}) == "data.flags");
    CHECK(
        field_of(TLSA,
                 {{"usage", 300}, {"selector", 1}, {"matching_type", 1}, {"certificate", "00"}}) ==
        "data.usage");
    CHECK(field_of(URI, {{"weight", 70000}, {"target", "https://x/"}}) == "data.weight");
    CHECK(field_of(DS,
                   {{"key_tag", 70000}, {"algorithm", 13}, {"digest_type", 2}, {"digest", "00"}}) ==
          "data.key_tag");
    CHECK(field_of(SSHFP, {{"algorithm", 300}, {"type", 1}, {"fingerprint", "00"}}) ==
          "data.algorithm");
    CHECK(field_of(NAPTR, {{"order", 70000},
                           {"preference", 1},
                           {"flags", "s"},
                           {"service", "x"},
                           {"regex", ""},
                           {"replacement", "."}}) == "data.order");
    CHECK(field_of(CERT,
                   {{"type", "PKIX"}, {"key_tag", 1}, {"algorithm", 8}, {"certificate", "AAAA"}}) ==
          "");
    CHECK(field_of(CAA, {{"flags", 128}, {"tag", "issue"}, {"value", "x"}}) == "");
}

TEST_CASE("rate limiter: a bucket per client")
{
    api::RateLimiter limit(60); // one a second, 60 at once
    auto t0 = api::RateLimiter::Clock::now();
    for (int i = 0; i < 60; ++i) {
        REQUIRE(limit.take("192.0.2.1", t0) == 0);
    }
    CHECK(limit.take("192.0.2.1", t0) == 1);                           // wait a second
    CHECK(limit.take("192.0.2.2", t0) == 0);                           // another client
    CHECK(limit.take("192.0.2.1", t0 + std::chrono::seconds(1)) == 0); // refilled one
    api::RateLimiter off(0);
    for (int i = 0; i < 10000; ++i) {
        REQUIRE(off.take("x", t0) == 0);
    }
}

TEST_CASE("token usage: written on first use, then at most once a minute per token")
{
    api::TokenUsage usage;
    auto t0 = api::TokenUsage::Clock::time_point{} + std::chrono::hours(1);
    CHECK(usage.due("a", t0));
    CHECK_FALSE(usage.due("a", t0 + std::chrono::seconds(59)));
    CHECK(usage.due("b", t0 + std::chrono::seconds(1)));
    CHECK(usage.due("a", t0 + std::chrono::seconds(60)));
    CHECK_FALSE(usage.due("a", t0 + std::chrono::seconds(61)));
}

TEST_CASE("token secrets: format, randomness, hash")
{
    std::string a = store::new_token_secret(), b = store::new_token_secret();
    CHECK(a.size() == 40);
    CHECK(store::is_token_secret(a));
    CHECK(a != b);
    CHECK(!store::is_token_secret(a.substr(1)));
    CHECK(!store::is_token_secret(a.substr(1) + "="));
    CHECK(store::token_secret_hash(a).size() == 32);
    CHECK(store::token_secret_hash(a) != store::token_secret_hash(b));
}

TEST_CASE("dnsctl token create, list, revoke")
{
    test::TempDir dir;
    std::string db = dir.file("nuage.sqlite");
    auto run = [&](std::vector<std::string> args, std::string& out, std::string& err) {
        std::vector<const char*> argv{"dnsctl", "--db", db.c_str()};
        for (auto& a : args) {
            argv.push_back(a.c_str());
        }
        std::ostringstream o, e;
        int rc = dnsctl::run(static_cast<int>(argv.size()), argv.data(), o, e);
        out = o.str();
        err = e.str();
        return rc;
    };
    std::string out, err;
    REQUIRE(run({"token", "create", "--name", "certbot", "--zone", "Example.COM.", "--edit"}, out,
                err) == 0);
    std::string secret = out.substr(out.rfind('\n', out.size() - 2) + 1);
    secret.pop_back();
    CHECK(store::is_token_secret(secret)); // the secret is the last line
    std::string id = out.substr(0, 32);
    CHECK(out.find("\tedit\texample.com\tactive") != std::string::npos);

    auto st = store::Store::open(db);
    auto t = st->find_token_by_secret(secret);
    REQUIRE(t);
    CHECK(t->covers("example.com"));
    CHECK(!t->covers("example.org"));
    CHECK(t->can_edit());

    CHECK(run({"token", "create", "--name", "all", "--read"}, out, err) == 0);
    CHECK(out.find("\tread\t*\t") != std::string::npos);
    CHECK(run({"token", "create", "--name", "x"}, out, err) == 2); // --read or --edit
    CHECK(run({"token", "create", "--name", "x", "--read", "--edit"}, out, err) == 2);
    CHECK(run({"token", "create", "--name", "x", "--zone", "bad..zone", "--read"}, out, err) == 1);
    CHECK(err.find("zones") != std::string::npos);

    REQUIRE(run({"token", "list"}, out, err) == 0);
    CHECK(out.find(secret) == std::string::npos); // never shown again
    CHECK(out.find(id) != std::string::npos);
    REQUIRE(run({"token", "revoke", id}, out, err) == 0);
    CHECK(!st->find_token_by_secret(secret));
    REQUIRE(run({"token", "list"}, out, err) == 0);
    CHECK(out.find("\trevoked\t") != std::string::npos);
    CHECK(run({"token", "revoke", std::string(32, 'a')}, out, err) == 1);
    CHECK(run({"token", "revoke", "nope"}, out, err) == 2);
}

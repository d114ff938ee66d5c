// zones_bulk_test.cpp -- zones (list filters, pagination, create, patch, delete), zone
// settings, and the bulk record routes (batch atomicity, export and import round trip).
#include "tests/unit/api/api_fixture.hpp"

using namespace nuage;
using nuage::test::ApiFixture;
using nuage::test::Reply;

namespace {

api::Request import_request(ApiFixture& f, const std::string& text,
                            std::optional<std::string> proxied = std::nullopt)
{
    api::Request req;
    req.method = "POST";
    req.path = "/client/v4" + f.records() + "/import";
    req.headers.emplace("Authorization", "Bearer " + f.admin);
    req.form["file"] = api::FormPart{"zone.txt", "text/plain", text};
    if (proxied) {
        req.form["proxied"] = api::FormPart{"", "", *proxied};
    }
    return req;
}

} // namespace

TEST_CASE("zones: create, list with filters, get, patch, delete")
{
    ApiFixture f;
    Reply r = f.call("POST", "/zones",
                     R"({"name":"Second.Example.","account":{"id":")" + f.ctx.account.public_id +
                         R"("},"type":"full"})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["name"] == "second.example");
    CHECK(r.result()["status"] == "pending");
    CHECK(r.result()["name_servers"][0] == "ns1.example.net");
    CHECK(r.result()["account"]["id"] == f.ctx.account.public_id);
    std::string second = r.result()["id"];

    r = f.call("POST", "/zones", R"({"name":"second.example"})");
    CHECK(r.status == 400);
    CHECK(r.code() == 1061);
    CHECK(f.call("POST", "/zones", R"({"name":"bad..name"})").code() == 1049);
    CHECK(f.call("POST", "/zones", R"({"name":"x.example","account":{"id":"nope"}})").status ==
          400);
    CHECK(f.call("POST", "/zones", R"({"name":"x.example","type":"secondary"})").status == 400);

    f.ctx.settings.name_servers.clear(); // the refusal names the config key, not a CLI flag
    r = f.call("POST", "/zones", R"({"name":"third.example"})");
    CHECK(r.status == 400);
    CHECK(r.message().find("[zones] name_servers") != std::string::npos);
    CHECK(r.message().find("--ns") == std::string::npos);
    f.ctx.settings.name_servers = {"ns1.example.net."};

    auto count = [&](const std::string& q) {
        Reply l = f.call("GET", "/zones?" + q);
        REQUIRE(l.status == 200);
        return l.result().size();
    };
    CHECK(count("") == 2);
    CHECK(count("name=example.com") == 1);
    CHECK(count("name=www.example.com&per_page=1") == 0); // certbot's first guess: []
    CHECK(count("name=contains:second") == 1);
    CHECK(count("name=starts_with:exa") == 1);
    CHECK(count("name=ends_with:.example") == 1);
    CHECK(count("name=not_equal:example.com") == 1);
    CHECK(count("status=pending") == 2);
    CHECK(count("status=active") == 0);
    CHECK(count("account.id=" + f.ctx.account.public_id) == 2);
    CHECK(count("account.name=test%20account") == 0);
    CHECK(count("account.name=test account") == 2);
    CHECK(count("status=active&name=example.com&match=any") == 1);
    CHECK(count("per_page=1&page=3") == 0);
    Reply l = f.call("GET", "/zones?order=name&direction=desc&per_page=1");
    CHECK(l.result()[0]["name"] == "second.example");
    CHECK(l.body["result_info"]["total_pages"] == 2);

    CHECK(f.call("GET", "/zones/" + second).result()["name"] == "second.example");
    r = f.call("PATCH", "/zones/" + second, R"({"paused":true})");
    CHECK(r.status == 400);
    CHECK(r.message().find("paused") != std::string::npos);
    CHECK(f.call("PATCH", "/zones/" + second, R"({"paused":false,"type":"full"})").status == 200);
    CHECK(f.call("PATCH", "/zones/" + second, R"({"vanity_name_servers":["ns.x"]})").status == 200);

    r = f.call("DELETE", "/zones/" + second);
    CHECK(r.result()["id"] == second);
    CHECK(f.call("GET", "/zones/" + second).status == 404);
}

TEST_CASE("zones: settings, cname_flattening and dns_settings")
{
    ApiFixture f;
    std::string base = "/zones/" + f.zone_id;
    Reply r = f.call("GET", base + "/settings/cname_flattening");
    CHECK(r.result()["value"] == "flatten_at_root");
    r = f.call("PATCH", base + "/settings/cname_flattening", R"({"value":"flatten_all"})");
    CHECK(r.result()["value"] == "flatten_all");
    CHECK(f.call("GET", base + "/dns_settings").result()["flatten_all_cnames"] == true);
    r = f.call("PATCH", base + "/dns_settings", R"({"flatten_all_cnames":false})");
    CHECK(r.result()["flatten_all_cnames"] == false);
    CHECK(f.call("GET", base + "/settings/cname_flattening").result()["value"] ==
          "flatten_at_root");
    CHECK(f.call("PATCH", base + "/settings/cname_flattening", R"({"value":"sometimes"})").status ==
          400);
    CHECK(f.call("PATCH", base + "/dns_settings", R"({"ns_ttl":5})").status == 400);
    CHECK(f.call("PATCH", base + "/dns_settings", R"({"zone_mode":"cdn_only"})").status == 400);
    CHECK(f.call("GET", base + "/settings").result()[0]["id"] == "cname_flattening");
}

TEST_CASE("batch: deletes, patches, puts, posts in one transaction")
{
    ApiFixture f;
    std::string a = f.call("POST", f.records(), R"({"type":"A","name":"a","content":"192.0.2.1"})")
                        .result()["id"];
    std::string b = f.call("POST", f.records(), R"({"type":"A","name":"b","content":"192.0.2.2"})")
                        .result()["id"];
    std::string c =
        f.call("POST", f.records(), R"({"type":"A","name":"c","content":"192.0.2.3","ttl":600})")
            .result()["id"];
    auto serial = f.serial();
    std::string body = R"({"deletes":[{"id":")" + a + R"("}],
        "patches":[{"id":")" +
                       c + R"(","content":"192.0.2.33"}],
        "puts":[{"id":")" +
                       b + R"(","type":"CNAME","name":"b","content":"c.example.com"}],
        "posts":[{"type":"A","name":"a","content":"192.0.2.11"},{"type":"TXT","name":"a","content":"x"}]})";
    Reply r = f.call("POST", f.records() + "/batch", body);
    REQUIRE(r.status == 200);
    CHECK(r.result()["deletes"][0]["id"] == a);
    CHECK(r.result()["patches"][0]["ttl"] == 600);
    CHECK(r.result()["puts"][0]["type"] == "CNAME");
    CHECK(r.result()["posts"].size() == 2);
    CHECK(f.count() == 4);
    CHECK(f.serial() == serial + 1); // one change, one serial, one publication

    // Any refusal rolls everything back: a CNAME beside the A the batch also creates.
    serial = f.serial();
    body = R"({"deletes":[{"id":")" + c + R"("}],
        "posts":[{"type":"A","name":"new","content":"192.0.2.50"},
                 {"type":"CNAME","name":"new","content":"c.example.com"}]})";
    r = f.call("POST", f.records() + "/batch", body);
    CHECK(r.status == 400);
    CHECK(r.code() == 81053);
    CHECK(f.count() == 4);
    CHECK(f.serial() == serial);
    r = f.call("POST", f.records() + "/batch",
               R"({"posts":[{"type":"A","name":"z","content":"1"}]})");
    CHECK(r.status == 400);
    CHECK(r.message().find("posts[0].content") != std::string::npos);
    r = f.call("POST", f.records() + "/batch",
               R"({"deletes":[{"id":")" + std::string(32, 'a') + R"("}]})");
    CHECK(r.status == 404);
    CHECK(f.call("POST", f.records() + "/batch", R"({"posts":{}})").status == 400);
}

TEST_CASE("export and import: a round trip")
{
    ApiFixture f;
    f.call("POST", f.records(),
           R"({"type":"A","name":"www","content":"192.0.2.1","proxied":true})");
    f.call("POST", f.records(),
           R"({"type":"TXT","name":"@","content":"v=spf1 -all","comment":"spf","tags":["k:v"]})");
    f.call("POST", f.records(),
           R"({"type":"MX","name":"@","content":"mail.example.com","priority":10})");
    Reply r = f.call("GET", f.records() + "/export");
    REQUIRE(r.status == 200);
    CHECK(r.content_type.rfind("text/plain", 0) == 0);
    CHECK(r.text.find("cf-proxied:true") != std::string::npos);
    CHECK(r.text.find("IN\tSOA") != std::string::npos);
    std::string exported = r.text;

    // Into a second zone: SOA and apex NS skipped, tags and proxied kept.
    store::ZoneCreate z;
    z.name = "example.com";
    ApiFixture g;
    r = g.send(import_request(g, exported));
    REQUIRE(r.status == 200);
    CHECK(r.result()["recs_added"] == 3);
    CHECK(r.result()["total_records_parsed"] == 5); // SOA, NS and the three
    auto recs = g.st->list_records(g.zone, {});
    REQUIRE(recs.size() == 3);
    bool proxied = false, tagged = false;
    for (const auto& rec : recs) {
        proxied = proxied || (rec.name == "www.example.com" && rec.proxied);
        tagged = tagged || (rec.comment == "spf" && rec.tags == std::vector<std::string>{"k:v"});
    }
    CHECK(proxied);
    CHECK(tagged);
    // Again: identical records are skipped.
    r = g.send(import_request(g, exported));
    CHECK(r.result()["recs_added"] == 0);

    // proxied=true applies to proxiable lines without a marker.
    r = g.send(import_request(g, "new 300 IN A 192.0.2.7\n", "true"));
    REQUIRE(r.status == 200);
    CHECK(g.st->list_records(g.zone, {.owner = dns::Name::parse("new.example.com."), .type = {}})
              .front()
              .proxied);
    // A bad line refuses the whole file, naming its line.
    auto before = g.count();
    r = g.send(import_request(g, "ok 300 IN A 192.0.2.8\nbad 300 IN A 999.1.1.1\n"));
    CHECK(r.status == 400);
    CHECK(r.message().find("file") != std::string::npos);
    CHECK(g.count() == before);
    r = g.send(import_request(g, "x", "maybe"));
    CHECK(r.status == 400);
    g.ctx.settings.import_max_bytes = 10;
    r = g.send(import_request(g, "a 300 IN A 192.0.2.8\n"));
    CHECK(r.status == 413);
}

TEST_CASE("zones: names are LDH (IDN as punycode), never a wildcard; reverse zones too")
{
    ApiFixture f;
    const char* bad[] = {"nl.test\\n", " spaced.test ",    "semi;colon.test", "*.wild.test",
                         "a..b",       "under score.test", "x\\u0000y.test",  "@.test"};
    for (const char* n : bad) {
        CAPTURE(n);
        Reply r = f.call("POST", "/zones", std::string(R"({"name":")") + n + R"("})");
        CHECK(r.status == 400);
        if (r.status == 400) {
            CHECK(r.code() == 1049);
        }
    }
    Reply r = f.call("POST", "/zones", R"({"name":"b\u00fccher.test"})");
    CHECK(r.status == 200);
    CHECK(r.result()["name"] == "xn--bcher-kva.test");
    CHECK(f.call("POST", "/zones", R"({"name":"2.0.192.in-addr.arpa"})").status == 200);
    CHECK(f.call("POST", "/zones", R"({"name":"8.b.d.0.1.0.0.2.ip6.arpa."})").status == 200);
    CHECK(f.call("POST", "/zones", R"({"name":"0/25.2.0.192.in-addr.arpa"})").status == 200);
}

TEST_CASE("import: proxied=true leaves flattened CNAMEs and unreachable targets DNS only")
{
    ApiFixture f;
    Reply r = f.send(import_request(f,
                                    "d 1 IN CNAME target.example.org. ; cf_tags=cf-flatten-cname\n"
                                    "w 300 IN A 192.0.2.7\n"
                                    "lan 300 IN A 10.0.0.7\n",
                                    "true"));
    REQUIRE(r.status == 200);
    CHECK(r.result()["recs_added"] == 3);
    for (const auto& rec : f.st->list_records(f.zone, {})) {
        CAPTURE(rec.name);
        CHECK(rec.proxied == (rec.name == "w.example.com"));
        CHECK(rec.flatten_cname == (rec.name == "d.example.com"));
    }
}

TEST_CASE("zones: vanity name servers are stored and shown, never served")
{
    ApiFixture f;
    std::string z = "/zones/" + f.zone_id;
    Reply r = f.call("PATCH", z, R"({"vanity_name_servers":["ns1.x.test","ns2.x.test"]})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["vanity_name_servers"] == nlohmann::json{"ns1.x.test", "ns2.x.test"});
    CHECK(f.call("GET", z).result()["vanity_name_servers"][1] == "ns2.x.test");
    CHECK(f.call("PATCH", z, R"({"vanity_name_servers":["bad name"]})").status == 400);
    CHECK(f.call("PATCH", z, R"({"vanity_name_servers":"ns1.x.test"})").status == 400);
    auto zone = *f.st->find_zone(f.zone);
    CHECK(zone.name_servers.size() == 1); // the served NS (and the activation check) stay
    CHECK(zone.name_servers[0].to_text() == "ns1.example.net.");
    CHECK(f.call("PATCH", z, R"({"vanity_name_servers":[]})").result()["vanity_name_servers"] ==
          nlohmann::json::array());
}

TEST_CASE("zones: dns_settings sets the SOA fields and the NS TTL, naming a bad field")
{
    ApiFixture f;
    std::string z = "/zones/" + f.zone_id;
    auto serial = f.serial();
    Reply r;
    r = f.call("PATCH", z + "/dns_settings",
               R"({"ns_ttl":3600,"soa":{"mname":"ns9.example.net","rname":"admin.example.com",
                   "refresh":7200,"retry":900,"expire":1209600,"min_ttl":120,"ttl":1800}})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["ns_ttl"] == 3600);
    CHECK(r.result()["soa"]["min_ttl"] == 120);
    auto zone = *f.st->find_zone(f.zone);
    CHECK(zone.ns_ttl == 3600);
    CHECK(zone.soa.mname.to_text() == "ns9.example.net.");
    CHECK(zone.soa.rname.to_text() == "admin.example.com.");
    CHECK(zone.soa.refresh == 7200);
    CHECK(zone.soa.minimum == 120);
    CHECK(zone.soa.ttl == 1800);
    auto meta = f.st->load_zone_meta(f.zone); // what dnsd synthesizes the apex SOA and NS from
    CHECK(meta.ns_ttl == 3600);
    CHECK(meta.soa.refresh == 7200);
    CHECK(f.serial() == serial + 1);
    r = f.call("PATCH", z + "/dns_settings", R"({"soa":{"rname":"john.doe@example.com"}})");
    REQUIRE(r.status == 200);
    CHECK(f.st->find_zone(f.zone)->soa.rname.to_text() == "john\\.doe.example.com.");
    serial = f.serial();
    struct Case {
        const char* body;
        const char* pointer;
    } cases[] = {
        {R"({"ns_ttl":5})", "/ns_ttl"},
        {R"({"ns_ttl":"x"})", "/ns_ttl"},
        {R"({"soa":{"refresh":1}})", "/soa/refresh"},
        {R"({"soa":{"expire":10}})", "/soa/expire"},
        {R"({"soa":{"mname":"bad name"}})", "/soa/mname"},
        {R"({"soa":{"rname":""}})", "/soa/rname"},
        {R"({"soa":{"colour":1}})", "/soa/colour"},
        {R"({"soa":3})", "/soa"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.body);
        r = f.call("PATCH", z + "/dns_settings", c.body);
        CHECK(r.status == 400);
        CHECK(r.body["errors"][0]["source"]["pointer"] == c.pointer);
    }
    CHECK(f.serial() == serial);
    // The same values again: nothing changes, no serial.
    r = f.call("PATCH", z + "/dns_settings", R"({"ns_ttl":3600,"soa":{"min_ttl":120}})");
    CHECK(r.status == 200);
    CHECK(f.serial() == serial);
}

TEST_CASE("batch: a refusal names its item, with a JSON pointer")
{
    ApiFixture f;
    Reply r = f.call("POST", f.records() + "/batch",
                     R"({"posts":[{"type":"A","name":"a","content":"192.0.2.1"},
                            {"type":"A","name":"z","content":"1"}]})");
    CHECK(r.status == 400);
    CHECK(r.body["errors"][0]["source"]["pointer"] == "/posts/1/content");
    r = f.call("POST", f.records() + "/batch",
               R"({"puts":[{"id":")" + std::string(32, 'a') +
                   R"(","type":"A","name":"a","content":"192.0.2.1"}]})");
    CHECK(r.status == 404);
    CHECK(r.code() == 81044);
    CHECK(r.message().find("puts[0]") != std::string::npos);
    CHECK(r.body["errors"][0]["source"]["pointer"] == "/puts/0/id");
    r = f.call("POST", f.records() + "/batch",
               R"({"deletes":[{"id":")" + std::string(32, 'a') + R"("}]})");
    CHECK(r.status == 404);
    CHECK(r.message().find("deletes[0]") != std::string::npos);
}

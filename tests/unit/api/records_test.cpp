// records_test.cpp -- /zones/:id/dns_records through the router: the record object, create,
// get, PUT, PATCH (content only keeps ttl and proxied), delete, every list filter, the data
// form, bad input (status, code, the field named, the store unchanged), publication.
#include "tests/unit/api/api_fixture.hpp"
#include "zonestore/store/clock_ids.hpp"

using namespace nuage;
using nuage::test::ApiFixture;
using nuage::test::Reply;

namespace {

Reply post(ApiFixture& f, const std::string& body)
{
    return f.call("POST", f.records(), body);
}

std::string id_of(const Reply& r)
{
    REQUIRE(r.status == 200);
    return r.result()["id"];
}

} // namespace

TEST_CASE("records: the record object")
{
    ApiFixture f;
    Reply r = post(f, R"({"type":"MX","name":"@","content":"mail.example.com.","priority":10,
                          "ttl":3600,"comment":"main","tags":["env:prod"]})");
    REQUIRE(r.status == 200);
    const auto& rec = r.result();
    CHECK(store::is_public_id(rec["id"].get<std::string>()));
    CHECK(rec["zone_id"] == f.zone_id);
    CHECK(rec["zone_name"] == "example.com");
    CHECK(rec["name"] == "example.com"); // FQDN without the trailing dot
    CHECK(rec["type"] == "MX");
    CHECK(rec["content"] == "mail.example.com");
    CHECK(rec["priority"] == 10);
    CHECK(rec["ttl"] == 3600);
    CHECK(rec["proxied"] == false);
    CHECK(rec["proxiable"] == false);
    CHECK(rec["comment"] == "main");
    CHECK(rec["tags"][0] == "env:prod");
    CHECK(rec["created_on"].get<std::string>().size() == 27); // microseconds
    CHECK(rec.contains("comment_modified_on"));
    CHECK(rec["meta"]["source"] == "primary");
    CHECK(r.text.rfind("{\"success\":true,", 0) == 0); // Cloudflare's key order
    CHECK(f.waited.size() == 1);                       // published before the reply

    r = post(f, R"({"type":"SRV","name":"_sip._tcp","content":"10 5 5060 sip.example.com"})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["data"]["port"] == 5060);
    CHECK(r.result()["data"]["target"] == "sip.example.com");
    CHECK(r.result()["data"]["priority"] == 10);
    CHECK(r.result()["content"] == "10 5 5060 sip.example.com");
    CHECK_FALSE(r.result().contains("priority")); // MX and URI only (API.md §5)

    r = f.call("GET", f.records() + "/" + id_of(r));
    CHECK(r.result()["name"] == "_sip._tcp.example.com");
}

TEST_CASE("records: the data form in and out")
{
    ApiFixture f;
    Reply r = post(f, R"({"type":"SRV","name":"_xmpp._tcp","data":{"priority":5,"weight":0,
                          "port":5222,"target":"xmpp.example.com"}})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["content"] == "5 0 5222 xmpp.example.com");
    CHECK(r.result()["data"]["priority"] == 5);
    CHECK_FALSE(r.result().contains("priority")); // MX and URI only (API.md §5)
    r = post(
        f,
        R"({"type":"CAA","name":"@","data":{"flags":0,"tag":"issue","value":"letsencrypt.org"}})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["content"] == "0 issue \"letsencrypt.org\"");
    CHECK(r.result()["data"]["value"] == "letsencrypt.org");
    r = post(f,
             R"({"type":"SRV","name":"_a._udp","content":"1 2 target.example.com","priority":7})");
    REQUIRE(r.status == 200); // Cloudflare's spelling: priority apart
    CHECK(r.result()["content"] == "7 1 2 target.example.com");
    r = post(f, R"({"type":"LOC","name":"loc","data":{"lat_degrees":52,"lat_minutes":22,
        "lat_seconds":23,"lat_direction":"N","long_degrees":4,"long_minutes":53,"long_seconds":32,
        "long_direction":"E","altitude":-2,"size":0,"precision_horz":10000,"precision_vert":10}})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["data"]["lat_degrees"] == 52);
    CHECK(r.result()["data"]["long_direction"] == "E");
    r = post(f, R"({"type":"SRV","name":"_b._udp","data":{"priority":1}})");
    CHECK(r.status == 400);
    CHECK(r.message().find("data.weight") != std::string::npos);
}

TEST_CASE("records: PUT overwrites, PATCH changes only what it names")
{
    ApiFixture f;
    std::string id = id_of(post(f, R"({"type":"A","name":"home","content":"192.0.2.1",
                                       "proxied":true,"comment":"router"})"));
    // ddclient: {"content": ip} only; proxied and ttl stay.
    Reply r = f.call("PATCH", f.records() + "/" + id, R"({"content":"198.51.100.77"})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["content"] == "198.51.100.77");
    CHECK(r.result()["proxied"] == true);
    CHECK(r.result()["ttl"] == 1);
    CHECK(r.result()["comment"] == "router");

    id = id_of(post(f, R"({"type":"A","name":"dns","content":"192.0.2.2","ttl":600})"));
    r = f.call("PATCH", f.records() + "/" + id, R"({"content":"192.0.2.3"})");
    CHECK(r.result()["ttl"] == 600);
    r = f.call("PATCH", f.records() + "/" + id, R"({"type":"CNAME","content":"www.example.org"})");
    REQUIRE(r.status == 200); // A -> CNAME in one step
    CHECK(r.result()["type"] == "CNAME");

    // PUT: omitted fields reset (ttl automatic, no comment).
    r = f.call("PUT", f.records() + "/" + id, R"({"type":"A","name":"dns","content":"192.0.2.9"})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["ttl"] == 1);
    CHECK(r.result()["comment"].is_null());
    CHECK(f.call("PUT", f.records() + "/" + id, R"({"content":"192.0.2.9"})").status == 400);

    r = f.call("DELETE", f.records() + "/" + id);
    CHECK(r.result()["id"] == id);
    CHECK(f.call("GET", f.records() + "/" + id).status == 404);
    CHECK(f.call("DELETE", f.records() + "/" + id).code() == 81044);
}

TEST_CASE("records: list filters")
{
    ApiFixture f;
    post(f, R"({"type":"A","name":"www","content":"192.0.2.1","tags":["env:prod","team:web"]})");
    post(f, R"({"type":"AAAA","name":"www","content":"2001:db8::1"})");
    post(f, R"({"type":"A","name":"api","content":"192.0.2.2","proxied":true,"comment":"Edge"})");
    post(f, R"({"type":"TXT","name":"_acme-challenge.www","content":"tok-123"})");
    post(f, R"({"type":"MX","name":"@","content":"mail.example.com","priority":5})");
    auto names = [&](const std::string& q) {
        Reply r = f.call("GET", f.records() + "?" + q);
        REQUIRE(r.status == 200);
        std::vector<std::string> out;
        for (const auto& rec : r.result()) {
            out.push_back(rec["type"].get<std::string>() + " " + rec["name"].get<std::string>());
        }
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(names("type=A&name=www.example.com") == V{"A www.example.com"}); // ddclient
    CHECK(names("name.exact=WWW.example.com.").size() == 2);
    CHECK(names("name.contains=pi") == V{"A api.example.com"});
    CHECK(names("name.startswith=_acme").size() == 1);
    CHECK(names("name.endswith=w.example.com").size() == 3);
    // certbot: TXT content unquoted or quoted, per_page=1.
    CHECK(
        names("type=TXT&name=_acme-challenge.www.example.com&content=tok-123&per_page=1").size() ==
        1);
    CHECK(names("type=TXT&content=\"tok-123\"").size() == 1);
    CHECK(names("content.startswith=192.0.2").size() == 2);
    CHECK(names("comment.present=").size() == 1);
    CHECK(names("comment.absent=").size() == 4);
    CHECK(names("comment.exact=edge").size() == 1);
    CHECK(names("tag=env").size() == 1);
    CHECK(names("tag=env:prod").size() == 1);
    CHECK(names("tag=env:dev").empty());
    CHECK(names("tag.contains=team:we").size() == 1);
    CHECK(names("tag.absent=env").size() == 4);
    CHECK(names("tag=env:dev&tag=team:web&tag_match=any").size() == 1);
    CHECK(names("tag=env:dev&tag=team:web").empty());
    CHECK(names("proxied=true") == V{"A api.example.com"});
    CHECK(names("type=MX&name=api.example.com&match=any").size() == 2);
    CHECK(names("search=EDGE") == V{"A api.example.com"});
    CHECK(names("order=type&direction=desc").front() == "TXT _acme-challenge.www.example.com");
    CHECK(names("order=content").front() == "A www.example.com");
    CHECK(names("order=content&direction=desc").front() == "TXT _acme-challenge.www.example.com");

    Reply r = f.call("GET", f.records() + "?per_page=2&page=2");
    CHECK(r.result().size() == 2);
    CHECK(r.body["result_info"]["total_count"] == 5);
    CHECK(r.body["result_info"]["total_pages"] == 3);
    r = f.call("GET", f.records() + "?per_page=2&page=9"); // past the end: 200, []
    CHECK(r.status == 200);
    CHECK(r.result().empty());
    CHECK(f.call("GET", f.records() + "?per_page=0").status == 400);
    CHECK(f.call("GET", f.records() + "?type=BOGUS").status == 400);
    CHECK(f.call("GET", f.records() + "?order=colour").status == 400);
    CHECK(f.call("GET", f.records() + "?name.sideways=x").status == 400);
}

TEST_CASE("records: bad input is refused, naming the field, the store unchanged")
{
    ApiFixture f;
    post(f, R"({"type":"A","name":"www","content":"192.0.2.1"})");
    post(f, R"({"type":"CNAME","name":"alias","content":"www.example.com"})");
    auto before_count = f.count();
    auto before_serial = f.serial();
    struct Case {
        const char* body;
        int code;
        const char* field;
    };
    const Case cases[] = {
        {"{not json", 6007, ""},
        {"[1,2]", 6007, ""},
        {"", 6007, ""},
        {R"({"name":"x","content":"192.0.2.1"})", 1004, "type"},
        {R"({"type":"A","content":"192.0.2.1"})", 9000, "name"},
        {R"({"type":"BOGUS","name":"x","content":"1"})", 1004, "type"},
        {R"({"type":"A","name":"x","content":"300.1.1.1"})", 9005, "content"},
        {R"({"type":"AAAA","name":"x","content":"192.0.2.1"})", 9006, "content"},
        {R"({"type":"CNAME","name":"x","content":"bad..name"})", 9007, "content"},
        {R"({"type":"MX","name":"x","content":"mail.example.com"})", 1004, "priority"},
        {R"({"type":"CAA","name":"x","content":"0 issue"})", 1004, "content"},
        {R"({"type":"SRV","name":"x","content":"1 2 three"})", 1004, "content"},
        {R"({"type":"TLSA","name":"x","content":"3 1 1 zz"})", 1004, "content"},
        {R"({"type":"SSHFP","name":"x","content":"2 1 nothex"})", 1004, "content"},
        {R"({"type":"DS","name":"x","content":"1 2"})", 1004, "content"},
        {R"({"type":"HTTPS","name":"x","content":"1 . bogus=="})", 1004, "content"},
        {R"({"type":"A","name":"x","content":"192.0.2.1","ttl":10})", 9021, "ttl"},
        {R"({"type":"A","name":"x","content":"192.0.2.1","ttl":100000})", 9021, "ttl"},
        {R"({"type":"A","name":"x","content":"192.0.2.1","ttl":"300"})", 9021, "ttl"},
        {R"({"type":"A","name":"x","content":"192.0.2.1","proxied":"yes"})", 1004, "proxied"},
        {R"({"type":"A","name":"x","content":192})", 1004, "content"},
        {R"({"type":"A","name":"x","content":"192.0.2.1","tags":"a:b"})", 1004, "tags"},
        {R"({"type":"TXT","name":"x","content":"t","proxied":true})", 9004, "proxied"},
        {R"({"type":"A","name":"alias","content":"192.0.2.5"})", 81054, "name"},
        {R"({"type":"CNAME","name":"www","content":"other.example.com"})", 81053, "name"},
        {R"({"type":"A","name":"www","content":"192.0.2.1"})", 81058, "content"},
        {R"({"type":"A","name":"www.other.org.","content":"192.0.2.1"})", 9000, "name"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.body);
        Reply r = post(f, c.body);
        CHECK(r.status == 400);
        CHECK(r.code() == c.code);
        CHECK(r.message().find(c.field) != std::string::npos);
    }
    std::string id = f.st->list_records(f.zone, {}).front().id;
    Reply r = f.call("PATCH", f.records() + "/" + id, R"({"ttl":5})");
    CHECK(r.code() == 9021);
    r = f.call("PATCH", f.records() + "/" + std::string(32, 'e'), R"({"ttl":60})");
    CHECK(r.status == 404);
    CHECK(r.code() == 81044);
    r = f.call("POST", "/zones/" + std::string(32, 'f') + "/dns_records",
               R"({"type":"A","name":"x","content":"192.0.2.1"})");
    CHECK(r.status == 404);
    CHECK(r.code() == 7003);
    CHECK(f.count() == before_count);
    CHECK(f.serial() == before_serial);
}

TEST_CASE("records: publication delayed is still 200, with a message")
{
    ApiFixture f;
    f.publish_ok = false;
    Reply r = post(f, R"({"type":"A","name":"slow","content":"192.0.2.1"})");
    CHECK(r.status == 200);
    CHECK(r.body["messages"][0]["code"] == 10100);
    CHECK(r.body["messages"][0]["message"].get<std::string>().find("delayed") != std::string::npos);
    CHECK(f.count() == 1);
}

TEST_CASE(
    "records: names hold letters, digits, hyphens, underscores, a leading * or @ (IDN as punycode)")
{
    ApiFixture f;
    const char* bad[] = {"sp ace",
                         "new\\nline",
                         "semi;colon",
                         "paren(x)",
                         "q\\\"uote",
                         "@.example.com",
                         "nul\\u0000l",
                         "a*b",
                         "x.*",
                         "back\\\\slash",
                         "dot..dot",
                         "tab\\tx",
                         " www",
                         "www.",
                         "",
                         ".",
                         "a/b"};
    for (const char* n : bad) {
        CAPTURE(n);
        Reply r =
            post(f, std::string(R"({"type":"A","content":"192.0.2.1","name":")") + n + R"("})");
        CHECK(r.status == 400);
        if (r.status == 400) {
            CHECK(r.code() == 9000);
            CHECK(r.message().find("name") != std::string::npos);
            CHECK(r.body["errors"][0]["source"]["pointer"] == "/name");
        }
    }
    CHECK(f.count() == 0);
    std::string long_label(64, 'a');
    CHECK(post(f, R"({"type":"A","content":"192.0.2.1","name":")" + long_label + R"("})").code() ==
          9000);
    std::string long_name;
    for (int i = 0; i < 5; ++i) {
        long_name += std::string(50, 'b') + ".";
    }
    CHECK(post(f, R"({"type":"A","content":"192.0.2.1","name":")" + long_name + R"("})").code() ==
          9000);
    const char* good[][2] = {{"www", "www.example.com"},
                             {"_dmarc", "_dmarc.example.com"},
                             {"*", "*.example.com"},
                             {"*.dev", "*.dev.example.com"},
                             {"a-b.c_d", "a-b.c_d.example.com"},
                             {"Mixed.Example.COM", "mixed.example.com"},
                             {"fq.example.com.", "fq.example.com"},
                             {"@", "example.com"},
                             {"\u00fcn\u00ef", "xn--n-nga1b.example.com"}};
    for (const auto& g : good) {
        CAPTURE(g[0]);
        Reply r = post(f, std::string(R"({"type":"TXT","content":"x","name":")") + g[0] + R"("})");
        CHECK(r.status == 200);
        if (r.status == 200) {
            CHECK(r.result()["name"] == g[1]);
        }
    }
}

TEST_CASE("records: TXT content is UTF-8 text, found by either spelling or by its joined value")
{
    ApiFixture f;
    Reply r = post(f, R"({"type":"TXT","name":"u","content":"v=\ud83d\udca9"})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["content"] == "v=\xf0\x9f\x92\xa9");
    post(f, R"({"type":"TXT","name":"u2","content":"\u00fcn\u00efcode"})");
    Reply l = f.call("GET", f.records() + "?content=\u00fcn\u00efcode");
    CHECK(l.result().size() == 1);
    std::string big(400, 'k');
    big[300] = 'z';
    r = post(f, R"({"type":"TXT","name":"big","content":")" + big + R"("})");
    REQUIRE(r.status == 200);
    l = f.call("GET", f.records() + "?type=TXT&content=" + big);
    CHECK(l.result().size() == 1);
    l = f.call("GET",
               f.records() + "?type=TXT&content=" + r.result()["content"].get<std::string>());
    CHECK(l.result().size() == 1);
    l = f.call("GET", f.records() + "?type=TXT&content.contains=kzk");
    CHECK(l.result().size() == 1); // across the 255-octet split
    // Quoted multi-string content with UTF-8 inside round-trips too.
    r = post(f, R"({"type":"TXT","name":"q","content":"\"\u00e9t\u00e9\" \"deux\""})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["content"] == "\"\xc3\xa9t\xc3\xa9\" \"deux\"");
    CHECK(f.call("GET", f.records() + "?content=\u00e9t\u00e9deux").result().size() == 1);
}

TEST_CASE("records: settings.ipv4_only and ipv6_only, on proxied A, AAAA and CNAME records only")
{
    ApiFixture f;
    Reply r = post(f, R"({"type":"A","name":"v4","content":"192.0.2.1","proxied":true,
                          "settings":{"ipv4_only":true}})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["settings"]["ipv4_only"] == true);
    CHECK(f.call("GET", f.records() + "/" + id_of(r)).result()["settings"]["ipv4_only"] == true);
    r = post(f, R"({"type":"CNAME","name":"v6","content":"www.example.org","proxied":true,
                    "settings":{"ipv6_only":true}})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["settings"]["ipv6_only"] == true);
    r = post(f, R"({"type":"A","name":"dns","content":"192.0.2.1","settings":{"ipv4_only":true}})");
    CHECK(r.status == 400);
    CHECK(r.message().find("settings.ipv4_only") != std::string::npos);
    r = post(f, R"({"type":"A","name":"both","content":"192.0.2.1","proxied":true,
                    "settings":{"ipv4_only":true,"ipv6_only":true}})");
    CHECK(r.status == 400);
    r = post(f, R"({"type":"TXT","name":"t","content":"x","settings":{"ipv6_only":true}})");
    CHECK(r.status == 400);
    CHECK(r.message().find("settings.ipv6_only") != std::string::npos);
    // Un-proxying drops the setting.
    std::string id = f.st->list_records(f.zone, {dns::Name::parse("v4.example.com."), {}})[0].id;
    r = f.call("PATCH", f.records() + "/" + id, R"({"proxied":false})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["settings"]["ipv4_only"] == false);
}

TEST_CASE("records: a proxied record never points at a target the edge cannot reach (9003)")
{
    ApiFixture f;
    f.edge_pools = {{"default", {"203.0.113.10"}, {"2001:db8:e::10"}}};
    const char* cases[][2] = {{"A", "127.0.0.1"},
                              {"A", "10.0.0.1"},
                              {"A", "0.0.0.0"},
                              {"A", "192.168.1.1"},
                              {"A", "172.16.0.1"},
                              {"A", "169.254.1.1"},
                              {"A", "224.0.0.1"},
                              {"A", "100.64.0.1"},
                              {"A", "255.255.255.255"},
                              {"A", "203.0.113.10"},
                              {"AAAA", "::1"},
                              {"AAAA", "::"},
                              {"AAAA", "fd00::1"},
                              {"AAAA", "fe80::1"},
                              {"AAAA", "ff02::1"},
                              {"AAAA", "::ffff:10.0.0.1"},
                              {"AAAA", "2001:db8:e::10"},
                              {"CNAME", "localhost"},
                              {"CNAME", "foo.localhost."}};
    for (const auto& c : cases) {
        CAPTURE(c[1]);
        Reply r = post(f, std::string(R"({"type":")") + c[0] + R"(","name":"p","content":")" +
                              c[1] + R"(","proxied":true})");
        CHECK(r.status == 400);
        if (r.status == 400) {
            CHECK(r.code() == 9003);
            CHECK(r.message().find("content") != std::string::npos);
            CHECK(r.message().find("is not allowed for a proxied record") != std::string::npos);
        }
        // DNS only: fine.
        r = post(f, std::string(R"({"type":")") + c[0] + R"(","name":"d)" +
                        std::to_string(f.count()) + R"(","content":")" + c[1] + R"("})");
        CHECK(r.status == 200);
    }
    CHECK(post(f, R"({"type":"A","name":"ok","content":"192.0.2.1","proxied":true})").status ==
          200);
    // A PATCH that proxies a private address is refused the same way.
    std::string id = id_of(post(f, R"({"type":"A","name":"lan","content":"10.1.1.1"})"));
    CHECK(f.call("PATCH", f.records() + "/" + id, R"({"proxied":true})").code() == 9003);
}

TEST_CASE("records: a write that says proxied carries the name's other addresses along")
{
    ApiFixture f;
    std::string a = id_of(post(f, R"({"type":"A","name":"www","content":"192.0.2.1"})"));
    std::string aaaa = id_of(post(f, R"({"type":"AAAA","name":"www","content":"2001:db8::1"})"));
    std::string a2 = id_of(post(f, R"({"type":"A","name":"www","content":"192.0.2.2"})"));
    Reply r = f.call("PATCH", f.records() + "/" + a, R"({"proxied":true})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["proxied"] == true);
    CHECK(f.st->get_record(f.zone, aaaa).proxied);
    CHECK(f.st->get_record(f.zone, a2).proxied);
    REQUIRE(r.body["messages"].size() == 1);
    CHECK(r.body["messages"][0]["message"].get<std::string>().find(aaaa) != std::string::npos);
    auto serial = f.serial();
    r = f.call("PUT", f.records() + "/" + aaaa,
               R"({"type":"AAAA","name":"www","content":"2001:db8::1","proxied":false})");
    REQUIRE(r.status == 200);
    CHECK_FALSE(f.st->get_record(f.zone, a).proxied);
    CHECK_FALSE(f.st->get_record(f.zone, a2).proxied);
    CHECK(f.serial() == serial + 1); // one transaction

    // POST with proxied omitted takes the name's state, and says so.
    f.call("PATCH", f.records() + "/" + a, R"({"proxied":true})");
    r = post(f, R"({"type":"AAAA","name":"www","content":"2001:db8::2"})");
    REQUIRE(r.status == 200);
    CHECK(r.result()["proxied"] == true);
    CHECK(r.body["messages"].size() == 1);
    // An explicit conflicting proxied stays refused.
    r = post(f, R"({"type":"AAAA","name":"www","content":"2001:db8::3","proxied":false})");
    CHECK(r.status == 400);
    CHECK(r.message().find("proxied") != std::string::npos);
}

// dnsctl --api without sockets: URL encoding, the auth codes that mean exit 3, the JSON a
// record add/edit sends, the table rows, and the CLI's usage errors (exit 2).
#include "tools/dnsctl/api_cli.hpp"
#include "tools/dnsctl/api_client.hpp"
#include "tools/dnsctl/api_commands.hpp"
#include "tools/dnsctl/api_table.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace nuage::dnsctl;
using nlohmann::json;

namespace {

int run_cli(std::vector<const char*> args, std::string& out, std::string& err)
{
    args.insert(args.begin(), "dnsctl");
    std::ostringstream o, e;
    int rc = run_api(static_cast<int>(args.size()), args.data(), o, e);
    out = o.str();
    err = e.str();
    return rc;
}

} // namespace

TEST_CASE("url_encode keeps unreserved characters only")
{
    CHECK(url_encode("www.example.test") == "www.example.test");
    CHECK(url_encode("a b&c=d") == "a%20b%26c%3Dd");
    CHECK(url_encode("\"quoted\"") == "%22quoted%22");
    CHECK(url_encode("é") == "%C3%A9");
}

TEST_CASE("auth codes of API.md §3 are exit 3, record errors are not")
{
    for (long long c : {9106LL, 6003LL, 6111LL, 6102LL, 6103LL, 9103LL, 9109LL, 10000LL}) {
        CHECK(is_auth_code(c));
    }
    for (long long c : {81058LL, 81053LL, 9005LL, 9021LL, 7003LL, 1061LL, 0LL}) {
        CHECK_FALSE(is_auth_code(c));
    }
}

TEST_CASE("record_body sends only the fields given")
{
    api::RecordFields f;
    f.content = "192.0.2.1";
    CHECK(api::record_body(f, std::nullopt) == json{{"content", "192.0.2.1"}});
    f.type = "MX";
    f.priority = 10;
    f.ttl = 3600;
    f.proxied = false;
    f.flatten_cname = true;
    f.comment = "c";
    f.tags = {"a:b"};
    json b = api::record_body(f, std::string("@"));
    CHECK(b["name"] == "@");
    CHECK(b["priority"] == 10);
    CHECK(b["ttl"] == 3600);
    CHECK(b["proxied"] == false);
    CHECK(b["settings"]["flatten_cname"] == true);
    CHECK(b["tags"] == json::array({"a:b"}));
}

TEST_CASE("record rows: priority before content, automatic TTL, proxied")
{
    json r = {{"id", "abc"},     {"name", "example.test"},
              {"type", "MX"},    {"content", "mail.example.test"},
              {"priority", 10},  {"ttl", 1},
              {"proxied", false}};
    CHECK(api::record_row(r) == std::vector<std::string>{"abc", "example.test", "MX",
                                                         "10 mail.example.test", "auto", "no"});
    r = {{"id", "x"},  {"name", "w"},    {"type", "A"}, {"content", "192.0.2.1"},
         {"ttl", 300}, {"proxied", true}};
    CHECK(api::record_row(r)[4] == "300");
    CHECK(api::record_row(r)[5] == "yes");
    r = {{"id", "s"},       {"name", "_sip._tcp"},
         {"type", "SRV"},   {"content", "10 5 5060 sip.test"},
         {"priority", 10},  {"ttl", 1},
         {"proxied", false}};
    CHECK(api::record_row(r)[3] == "10 5 5060 sip.test");
}

TEST_CASE("tables align columns under the header")
{
    api::Table t({"ID", "NAME"});
    t.add({"1234", "a"});
    t.add({"1", "bb"});
    std::ostringstream o;
    t.print(o);
    CHECK(o.str() == "ID    NAME\n1234  a\n1     bb\n");
    CHECK(api::cell(json(nullptr)) == "-");
    CHECK(api::cell(json::array({"a", "b"})) == "a,b");
    CHECK(api::cell(json(3)) == "3");
    CHECK(api::field(json::object(), "x") == "-");
}

TEST_CASE("the CLI: usage errors are exit 2, an unreachable API exit 3")
{
    std::string out, err;
    CHECK(wants_api(3, std::vector<const char*>{"dnsctl", "--api", "x"}.data()));
    CHECK(wants_api(2, std::vector<const char*>{"dnsctl", "--api=x"}.data()));
    CHECK_FALSE(wants_api(3, std::vector<const char*>{"dnsctl", "--db", "x"}.data()));
    CHECK(run_cli({"--api", "http://127.0.0.1:1", "zone", "list"}, out, err) == kApiUsage);
    CHECK(err.find("--token") != std::string::npos);
    CHECK(run_cli({"--api", "ftp://h", "--token", "t", "zone", "list"}, out, err) == kApiUsage);
    CHECK(run_cli({"--api", "http://h", "--token", "t", "token", "create", "--name", "n", "--edit"},
                  out, err) == kApiUsage);
    CHECK(err.find("offline only") != std::string::npos);
    CHECK(run_cli({"--api", "http://h", "--token", "t", "zone", "create", "a.test", "--ns",
                   "ns1.a.test"},
                  out, err) == kApiUsage);
    CHECK(run_cli({"--api", "http://h", "--token", "t", "record", "add", "z"}, out, err) ==
          kApiUsage);
    CHECK(run_cli({"--api", "http://h", "--token", "t", "--cacert", "/nonexistent", "zone", "list"},
                  out, err) == kApiUsage);
}

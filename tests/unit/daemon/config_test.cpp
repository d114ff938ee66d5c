// config_test.cpp -- dnsd/config: the DESIGN §4 file parses, defaults hold, and every refusal
// names the file, the line and the key.
#include "dnsd/config.hpp"

#include <doctest/doctest.h>

using namespace nuage::config;

namespace {

// The problems parse_config reports for `text` (empty when it parses).
std::vector<std::string> problems_of(std::string_view text)
{
    try {
        parse_config(text, "config.toml");
    } catch (const ConfigError& e) {
        return e.problems;
    }
    return {};
}

std::string only_problem(std::string_view text)
{
    auto p = problems_of(text);
    REQUIRE(p.size() == 1);
    return p.front();
}

constexpr std::string_view kDesignExample = R"(database = "nuage.sqlite"
listen = ["127.0.0.1:5300", "[::1]:5300"]
threads = 2

[api]
listen = "127.0.0.1:8053"
tls_cert = "cert.pem"
tls_key = "key.pem"

[account]
name = "Nuage"
email = "admin@example.net"

[[edge_pools]]
name = "default"
ipv4 = ["203.0.113.10", "203.0.113.11"]
ipv6 = ["2001:db8:e::10", "2001:db8:e::11"]

[[edge_pools]]
name = "eu"
ipv4 = ["198.51.100.1"]

[flattening]
upstreams = ["127.0.0.1:5301"]
stale_max_seconds = 86400
serial_min_interval_seconds = 60

[tunnels]
domain = "cfargotunnel.com"

[zones]
name_servers = ["ns1.example.net.", "ns2.example.net"]
activation_resolver = "127.0.0.1:53"
activation_interval_seconds = 3600

[tcp]
idle_timeout_ms = 5000
max_connections = 50
max_message_size = 4096

[log]
level = "debug"
)";

} // namespace

TEST_CASE("parse_endpoint: IPv4, bracketed IPv6, and refusals")
{
    auto a = parse_endpoint("127.0.0.1:5300");
    REQUIRE(a);
    CHECK(a->address == "127.0.0.1");
    CHECK(a->port == 5300);
    CHECK_FALSE(a->ipv6);
    CHECK(a->to_string() == "127.0.0.1:5300");
    auto b = parse_endpoint("[::1]:53");
    REQUIRE(b);
    CHECK(b->address == "::1");
    CHECK(b->ipv6);
    CHECK(b->to_string() == "[::1]:53");
    for (const char* bad :
         {"", "127.0.0.1", "::1:53", "[::1]", "[::1]53", "localhost:53", "1.2.3.4:0",
          "1.2.3.4:65536", "1.2.3.4:5x", "[1.2.3.4]:53", "1.2.3.256:53", "1.2.3.4:", ":53"}) {
        CAPTURE(bad);
        std::string why;
        CHECK_FALSE(parse_endpoint(bad, &why));
        CHECK(why.find("not an address:port") == 0);
    }
}

TEST_CASE("an empty file gives the defaults in code")
{
    DaemonConfig c = parse_config("", "config.toml");
    CHECK(c.database == "nuage.sqlite");
    REQUIRE(c.listen.size() == 2);
    CHECK(c.listen[0].to_string() == "127.0.0.1:5300");
    CHECK(c.listen[1].to_string() == "[::1]:5300");
    CHECK(c.threads == 2);
    CHECK(c.api.listen.to_string() == "127.0.0.1:8053");
    CHECK(c.account.name == "Nuage");
    CHECK(c.edge_pools.empty());
    CHECK(c.default_edge_pool() == nullptr);
    CHECK(c.tunnels.domain == "cfargotunnel.com");
    CHECK(c.flattening.stale_max_seconds == 86400);
    CHECK(c.flattening.serial_min_interval_seconds == 60);
    CHECK(c.zones.activation_interval_seconds == 3600);
    CHECK_FALSE(c.zones.activation_resolver);
    CHECK(c.tcp.idle_timeout_ms == 10000);
    CHECK(c.tcp.max_connections == 1024);
    CHECK(c.tcp.max_message_size == 65535);
    CHECK(c.log.level == "info");
}

TEST_CASE("the DESIGN §4 example parses into every field")
{
    DaemonConfig c = parse_config(kDesignExample, "config.toml");
    CHECK(c.threads == 2);
    CHECK(c.api.tls_cert == "cert.pem");
    CHECK(c.account.email == "admin@example.net");
    REQUIRE(c.edge_pools.size() == 2);
    CHECK(c.default_edge_pool()->name == "default");
    CHECK(c.edge_pools[0].ipv4 == std::vector<std::string>{"203.0.113.10", "203.0.113.11"});
    CHECK(c.edge_pools[0].ipv6.size() == 2);
    CHECK(c.edge_pools[1].ipv6.empty());
    REQUIRE(c.flattening.upstreams.size() == 1);
    CHECK(c.flattening.upstreams[0].port == 5301);
    // Names are made absolute so that the store gets one spelling.
    CHECK(c.zones.name_servers == std::vector<std::string>{"ns1.example.net.", "ns2.example.net."});
    REQUIRE(c.zones.activation_resolver);
    CHECK(c.zones.activation_resolver->port == 53);
    CHECK(c.tcp.idle_timeout_ms == 5000);
    CHECK(c.tcp.max_connections == 50);
    CHECK(c.tcp.max_message_size == 4096);
    CHECK(c.log.level == "debug");
}

TEST_CASE("unknown keys are refused with their line, at every level")
{
    CHECK(only_problem("threads = 2\nbogus = 1\n") == "config.toml:2: bogus: unknown key");
    CHECK(only_problem("[api]\nlisten = \"127.0.0.1:8053\"\nport = 1\n") ==
          "config.toml:3: api.port: unknown key");
    CHECK(only_problem("[[edge_pools]]\nname = \"a\"\nipv4 = [\"192.0.2.1\"]\nipv5 = []\n") ==
          "config.toml:4: edge_pools[0].ipv5: unknown key");
    CHECK(only_problem("[nope]\nx = 1\n") == "config.toml:1: nope: unknown key");
}

TEST_CASE("wrong types and bad values name the key and the line")
{
    CHECK(only_problem("threads = \"two\"\n") == "config.toml:1: threads: expected an integer");
    CHECK(only_problem("threads = 0\n") == "config.toml:1: threads: must be 1..256");
    CHECK(only_problem("\nlisten = [\"127.0.0.1:5300\", \"localhost:53\"]\n") ==
          "config.toml:2: listen[1]: not an address:port (bad IPv4 address)");
    CHECK(only_problem("listen = \"127.0.0.1:5300\"\n") ==
          "config.toml:1: listen: expected an array");
    CHECK(only_problem("listen = []\n") == "config.toml:1: listen: needs at least one address");
    CHECK(only_problem("database = 3\n") == "config.toml:1: database: expected a string");
    CHECK(only_problem("[api]\nlisten = \"::1:8053\"\n") ==
          "config.toml:2: api.listen: not an address:port");
    CHECK(only_problem("[api]\ntls_cert = \"c.pem\"\n") ==
          "config.toml:1: api: tls_cert and tls_key go together");
    CHECK(only_problem("[account]\nemail = \"nobody\"\n") ==
          "config.toml:2: account.email: not an email address");
    CHECK(only_problem("[zones]\nname_servers = [\"ns1..example\"]\n")
              .find("config.toml:2: zones.name_servers[0]: not a domain name") == 0);
    CHECK(only_problem("[tcp]\nidle_timeout_ms = -1\n") ==
          "config.toml:2: tcp.idle_timeout_ms: must be 100..3600000");
    CHECK(only_problem("[tcp]\nmax_message_size = 100000\n") ==
          "config.toml:2: tcp.max_message_size: must be 512..65535");
    CHECK(only_problem("[log]\nlevel = \"loud\"\n").find("config.toml:2: log.level: must be") == 0);
    CHECK(only_problem("[flattening]\nupstreams = [\"127.0.0.1\"]\n") ==
          "config.toml:2: flattening.upstreams[0]: not an address:port");
    CHECK(only_problem("api = 3\n") == "config.toml:1: api: expected a table");
    CHECK(only_problem("user = \"knot:\"\n") ==
          "config.toml:1: user: expected \"USER\" or \"USER:GROUP\"");
    CHECK(only_problem("user = \"a:b:c\"\n").find("config.toml:1: user:") == 0);
    CHECK(parse_config("user = \"nuage:nuage\"\n", "config.toml").user == "nuage:nuage");
}

TEST_CASE("edge pools: names unique, addresses of the right family, something in each")
{
    CHECK(only_problem("[[edge_pools]]\nname = \"a\"\nipv4 = [\"192.0.2.1\"]\n"
                       "[[edge_pools]]\nname = \"a\"\nipv4 = [\"192.0.2.2\"]\n") ==
          "config.toml:5: edge_pools[1].name: duplicate pool name \"a\"");
    CHECK(only_problem("[[edge_pools]]\nname = \"a\"\nipv4 = [\"2001:db8::1\"]\n") ==
          "config.toml:3: edge_pools[0].ipv4[0]: not an IPv4 address");
    CHECK(only_problem("[[edge_pools]]\nname = \"a\"\nipv6 = [\"192.0.2.1\"]\n") ==
          "config.toml:3: edge_pools[0].ipv6[0]: not an IPv6 address");
    CHECK(only_problem("[[edge_pools]]\nipv4 = [\"192.0.2.1\"]\n") ==
          "config.toml:1: edge_pools[0].name: missing (every pool needs a name)");
    CHECK(only_problem("[[edge_pools]]\nname = \"a\"\n") ==
          "config.toml:1: edge_pools[0]: a pool needs ipv4 or ipv6 addresses");
    CHECK(only_problem("edge_pools = [1]\n") ==
          "config.toml:1: edge_pools: expected an array of tables ([[edge_pools]])");
    // Addresses that cannot front traffic, and the same address twice (also spelled twice).
    CHECK(only_problem("[[edge_pools]]\nname = \"a\"\nipv4 = [\"0.0.0.0\"]\n") ==
          "config.toml:3: edge_pools[0].ipv4[0]: an unspecified address cannot front proxied "
          "traffic");
    CHECK(only_problem("[[edge_pools]]\nname = \"a\"\nipv6 = [\"::\"]\n") ==
          "config.toml:3: edge_pools[0].ipv6[0]: an unspecified address cannot front proxied "
          "traffic");
    CHECK(only_problem("[[edge_pools]]\nname = \"a\"\nipv4 = [\"224.0.0.1\"]\n") ==
          "config.toml:3: edge_pools[0].ipv4[0]: a multicast address cannot front proxied traffic");
    CHECK(only_problem("[[edge_pools]]\nname = \"a\"\n"
                       "ipv6 = [\"2001:db8::1\", \"2001:0db8::0001\"]\n") ==
          "config.toml:3: edge_pools[0].ipv6[1]: duplicate address 2001:0db8::0001 in the pool");
}

TEST_CASE("domain names in the configuration are host names")
{
    CHECK(only_problem("[tunnels]\ndomain = \"not a domain!\"\n") ==
          "config.toml:2: tunnels.domain: not a domain name: ' ' is not allowed in a host name");
    CHECK(only_problem("[zones]\nname_servers = [\"ns1.exa\\\"mple.\"]\n")
              .find("zones.name_servers[0]: not a domain name: '\"' is not allowed") !=
          std::string::npos);
}

TEST_CASE("every problem is reported, not only the first")
{
    auto p = problems_of("threads = 0\nbogus = 1\n[tcp]\nmax_connections = 0\n");
    CHECK(p.size() == 3);
}

TEST_CASE("a TOML syntax error names the line")
{
    auto p = problems_of("threads = 2\nlisten = [\"a\"\n\n");
    REQUIRE(p.size() == 1);
    CHECK(p[0].find("config.toml:") == 0);
    CHECK(p[0].find("config.toml:1:") != 0);
}

TEST_CASE("flags override the file; --listen replaces the whole list")
{
    DaemonConfig c = parse_config(kDesignExample, "config.toml");
    Overrides o;
    o.database = "other.sqlite";
    o.listen = {"127.0.0.1:5353"};
    o.threads = 4;
    o.api_listen = "[::1]:9000";
    o.user = "nobody";
    apply_overrides(c, o);
    CHECK(c.user == "nobody");
    CHECK(c.database == "other.sqlite");
    REQUIRE(c.listen.size() == 1);
    CHECK(c.listen[0].port == 5353);
    CHECK(c.threads == 4);
    CHECK(c.api.listen.to_string() == "[::1]:9000");

    DaemonConfig d;
    apply_overrides(d, Overrides{});
    CHECK(d.listen.size() == 2); // no flag: the file's (here the default) list stays

    Overrides bad;
    bad.listen = {"127.0.0.1:5353", "nowhere"};
    bad.threads = 0;
    try {
        apply_overrides(d, bad);
        FAIL("bad flags accepted");
    } catch (const ConfigError& e) {
        REQUIRE(e.problems.size() == 2);
        CHECK(e.problems[0] == "--listen nowhere: not an address:port");
        CHECK(e.problems[1] == "--threads: must be 1..256");
    }
}

TEST_CASE("load_config names a file it cannot read")
{
    try {
        load_config("/nonexistent/nuage.toml");
        FAIL("no error");
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()) ==
              "/nonexistent/nuage.toml: cannot read the configuration file");
    }
}

// dnsctl's edge commands in-process: tunnel create|list|delete, the warnings on stderr when a
// DNS-only record shows a proxied name's origin, the A -> proxied tunnel CNAME edit in one
// step, edge pools from --config, and exports (tagged, and --public with the edge).
#include "tests/unit/store/store_fixture.hpp"
#include "tools/dnsctl/cli.hpp"
#include "zonestore/store/tunnel.hpp"

#include <fstream>
#include <sstream>

using namespace nuage;

namespace {

struct Run {
    int rc;
    std::string out, err;
    std::string last_line() const
    {
        std::string s = out;
        while (!s.empty() && s.back() == '\n') {
            s.pop_back();
        }
        auto nl = s.rfind('\n');
        return nl == std::string::npos ? s : s.substr(nl + 1);
    }
};

struct Ctl {
    test::TempDir dir;
    std::string db = dir.file("ctl.sqlite");
    std::string cfg = dir.file("nuage.toml");

    Ctl()
    {
        std::ofstream(cfg) << "[[edge_pools]]\nname = \"default\"\nipv4 = [\"203.0.113.10\"]\n"
                              "ipv6 = [\"2001:db8:e::10\"]\n[[edge_pools]]\nname = \"empty\"\n"
                              "ipv4 = []\n[zones]\nname_servers = [\"ns1.example.net.\"]\n";
    }

    Run operator()(std::vector<std::string> args)
    {
        args.insert(args.begin(), {"dnsctl", "--db", db});
        std::vector<const char*> argv;
        for (const auto& a : args) {
            argv.push_back(a.c_str());
        }
        std::ostringstream out, err;
        int rc = dnsctl::run(static_cast<int>(argv.size()), argv.data(), out, err);
        return {rc, out.str(), err.str()};
    }
};

bool has(const std::string& s, const std::string& needle)
{
    return s.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("tunnel create prints the id last; list shows routes; delete is refused while routed")
{
    Ctl ctl;
    REQUIRE(ctl({"zone", "create", "example.com", "--ns", "ns1.example.net"}).rc == 0);
    auto r = ctl({"tunnel", "create", "home"});
    REQUIRE(r.rc == 0);
    std::string id = r.last_line();
    CHECK(store::is_tunnel_id(id));
    CHECK(has(r.out, "secret (shown once): "));
    r = ctl({"tunnel", "create", "home"});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: name: a tunnel named 'home' already exists"));
    r = ctl({"tunnel", "create", "lab", "--secret", "c2hvcnQ="});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: tunnel_secret: "));

    r = ctl(
        {"record", "add", "example.com", "www", "CNAME", id + ".cfargotunnel.com", "--proxied"});
    REQUIRE(r.rc == 0);
    r = ctl({"tunnel", "list"});
    CHECK(r.out.starts_with(id + "\thome\tinactive\t"));
    CHECK(has(r.out, "\t-\twww.example.com\n"));
    r = ctl({"tunnel", "delete", "home"});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: tunnel_id: the tunnel " + id +
                            " (home) still has DNS "
                            "routes: www.example.com"));
    r = ctl({"record", "add", "example.com", "bad", "CNAME",
             store::new_tunnel_id() + ".cfargotunnel.com", "--proxied"});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: content: no tunnel with id "));

    auto rid = ctl({"record", "list", "example.com", "--name", "www"}).out.substr(0, 32);
    REQUIRE(ctl({"record", "delete", "example.com", rid}).rc == 0);
    r = ctl({"tunnel", "delete", id});
    REQUIRE(r.rc == 0);
    CHECK(r.out == "deleted tunnel " + id + " (home)\n");
    CHECK(ctl({"tunnel", "list"}).out.empty());
    CHECK(has(ctl({"tunnel", "list", "--deleted"}).out, id + "\thome\tinactive\t"));
    CHECK(ctl({"tunnel", "delete", "home"}).rc == 1);
}

TEST_CASE("one record edit turns a proxied A into a proxied tunnel CNAME")
{
    Ctl ctl;
    REQUIRE(ctl({"zone", "create", "example.com", "--ns", "ns1.example.net"}).rc == 0);
    auto www =
        ctl({"record", "add", "example.com", "www", "A", "1.2.3.4", "--proxied"}).last_line();
    std::string id = ctl({"tunnel", "create", "home"}).last_line();
    auto r = ctl({"record", "edit", "example.com", www, "--type", "CNAME", "--content",
                  id + ".cfargotunnel.com"});
    REQUIRE(r.rc == 0);
    CHECK(r.out == www + "\twww.example.com\t1\tCNAME\t" + id + ".cfargotunnel.com\tproxied\n");
    CHECK(r.err.empty());
    // DNS-only, the route is served as a CNAME that resolves nowhere: a warning.
    r = ctl({"record", "edit", "example.com", www, "--dns-only"});
    REQUIRE(r.rc == 0);
    CHECK(has(r.err, "dnsctl: warning: www.example.com CNAME " + id +
                         ".cfargotunnel.com is a DNS-only tunnel route"));
}

TEST_CASE("proxying one of a name's addresses carries the others along, in one change")
{
    Ctl ctl;
    REQUIRE(ctl({"zone", "create", "example.com", "--ns", "ns1.example.net"}).rc == 0);
    auto a = ctl({"record", "add", "example.com", "www", "A", "192.0.2.10"}).last_line();
    auto aaaa = ctl({"record", "add", "example.com", "www", "AAAA", "2001:db8::10"}).last_line();
    ctl({"record", "add", "example.com", "other", "AAAA", "2001:db8::11"});
    auto r = ctl({"record", "edit", "example.com", a, "--proxied"});
    REQUIRE(r.rc == 0);
    CHECK(r.out == a + "\twww.example.com\t1\tA\t192.0.2.10\tproxied\n");
    CHECK(has(r.err, "dnsctl: also proxied: " + aaaa + "\twww.example.com\t1\tAAAA"));
    auto list = ctl({"record", "list", "example.com"}).out;
    CHECK(has(list, aaaa + "\twww.example.com\t1\tAAAA\t2001:db8::10\tproxied\n"));
    CHECK(has(list, "other.example.com\t1\tAAAA\t2001:db8::11\n")); // another name: untouched
    r = ctl({"record", "edit", "example.com", aaaa, "--dns-only"});
    REQUIRE(r.rc == 0);
    CHECK(has(r.err, "dnsctl: also DNS only: " + a));
    CHECK(!has(ctl({"record", "list", "example.com"}).out, "proxied"));
    // Without a proxied flag, an edit of one address never touches the others.
    r = ctl({"record", "edit", "example.com", a, "--ttl", "600"});
    REQUIRE(r.rc == 0);
    CHECK(r.err.empty());
}

TEST_CASE("warnings name both records when a DNS-only record shows an origin address")
{
    Ctl ctl;
    REQUIRE(ctl({"zone", "create", "example.com", "--ns", "ns1.example.net"}).rc == 0);
    auto www = ctl({"record", "add", "example.com", "www", "A", "192.0.2.10", "--proxied"});
    CHECK(www.err.empty());
    auto www_id = www.last_line();
    auto mail = ctl({"record", "add", "example.com", "mail", "A", "192.0.2.10"});
    REQUIRE(mail.rc == 0);
    auto mail_id = mail.last_line();
    CHECK(has(mail.err, "dnsctl: warning: the DNS-only record mail.example.com A 192.0.2.10 (" +
                            mail_id +
                            ") shows 192.0.2.10, the origin address of the proxied "
                            "record www.example.com A 192.0.2.10 (" +
                            www_id + ")"));
    auto spf = ctl({"record", "add", "example.com", "@", "TXT", "v=spf1 ip4:192.0.2.0/24 -all"});
    CHECK(has(spf.err, "(SPF ip4:192.0.2.0/24)"));
    // Proxying a name whose address is already public warns too, from the other side.
    auto api = ctl({"record", "add", "example.com", "api", "A", "192.0.2.77"});
    CHECK(api.err.find("warning") == std::string::npos);
    ctl({"record", "add", "example.com", "alt", "SVCB", "1 . ipv4hint=192.0.2.77"});
    auto proxied = ctl({"record", "edit", "example.com", api.last_line(), "--proxied"});
    REQUIRE(proxied.rc == 0);
    CHECK(has(proxied.err, "alt.example.com SVCB 1 . ipv4hint=192.0.2.77"));
    CHECK(has(proxied.err, "(SPF ip4:192.0.2.0/24)"));
    // A zone import warns about its records too (here a reverse zone naming the origin).
    std::string zf = ctl.dir.file("rev.zone");
    std::ofstream(zf) << "$ORIGIN 2.0.192.in-addr.arpa.\n@ 3600 IN SOA ns1.example.net. "
                         "h.example.net. 1 3600 600 86400 300\n@ IN NS ns1.example.net.\n"
                         "10 IN PTR www.example.com.\n77 IN PTR api.example.com.\n";
    auto imported = ctl({"zone", "import", "2.0.192.in-addr.arpa", zf});
    REQUIRE(imported.rc == 0);
    CHECK(has(imported.err, "10.2.0.192.in-addr.arpa PTR www.example.com"));
    CHECK(has(imported.err, "(the reverse name of the address)"));
    CHECK(has(imported.err, "77.2.0.192.in-addr.arpa PTR api.example.com"));
}

TEST_CASE("edge pools through --config; exports tagged, and --public with the edge's addresses")
{
    Ctl ctl;
    REQUIRE(ctl({"zone", "create", "example.com", "--ns", "ns1.example.net"}).rc == 0);
    auto r = ctl({"--config", ctl.cfg, "zone", "set", "example.com", "edge_pool", "empty"});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: edge_pool: the edge pool 'empty' has no address"));
    ctl({"record", "add", "example.com", "www", "A", "198.18.44.55", "--proxied"});
    ctl({"record", "add", "example.com", "www", "HTTPS", "1 . alpn=h2 ipv4hint=198.18.44.55"});
    ctl({"record", "add", "example.com", "git", "CNAME", "www.example.com", "--proxied"});
    r = ctl({"zone", "export", "example.com"});
    CHECK(has(r.out, "www.example.com.\t1\tIN\tA\t198.18.44.55 ; cf_tags=cf-proxied:true\n"));
    CHECK(
        has(r.out, "git.example.com.\t1\tIN\tCNAME\twww.example.com. ; cf_tags=cf-proxied:true\n"));
    r = ctl({"--config", ctl.cfg, "zone", "export", "example.com", "--public"});
    REQUIRE(r.rc == 0);
    CHECK(!has(r.out, "198.18.44.55"));
    CHECK(!has(r.out, "CNAME"));
    CHECK(has(r.out, "www.example.com.\t300\tIN\tA\t203.0.113.10\n"));
    CHECK(has(r.out, "git.example.com.\t300\tIN\tAAAA\t2001:db8:e::10\n"));
    CHECK(has(r.out, "ipv4hint=203.0.113.10"));
    r = ctl({"zone", "export", "example.com", "--public"});
    CHECK(!has(r.out, "198.18.44.55"));
    CHECK(has(r.err, "without --config"));
}

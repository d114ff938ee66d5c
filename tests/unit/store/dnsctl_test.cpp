// dnsctl's offline commands, run in-process: output shapes, exit codes (0, 1 refused, 2 usage)
// and the messages that name the field.
#include "tests/unit/store/store_fixture.hpp"
#include "tools/dnsctl/cli.hpp"
#include "zonestore/store/clock_ids.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace nuage;

namespace {

struct Run {
    int rc;
    std::string out, err;
    // The last non-empty line of stdout.
    std::string last_line() const
    {
        std::string s = out;
        while (!s.empty() && s.back() == '\n') {
            s.pop_back();
        }
        return s.substr(s.rfind('\n') == std::string::npos ? 0 : s.rfind('\n') + 1);
    }
};

struct Ctl {
    test::TempDir dir;
    std::string db = dir.file("ctl.sqlite");

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

} // namespace

TEST_CASE("zone create: name servers from --ns or from the config file")
{
    Ctl ctl;
    auto r = ctl(
        {"zone", "create", "example.com", "--ns", "ns1.example.net", "--ns", "ns2.example.net."});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("\texample.com\tpending\t") != std::string::npos);
    CHECK(r.out.find("ns=ns1.example.net,ns2.example.net") != std::string::npos);
    std::string cfg = ctl.dir.file("nuage.toml");
    std::ofstream(cfg) << "[zones]\nname_servers = [\"ns1.cfg.example.\", \"ns2.cfg.example.\"]\n";
    r = ctl({"--config", cfg, "zone", "create", "other.org"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("ns=ns1.cfg.example,ns2.cfg.example") != std::string::npos);
    r = ctl({"zone", "create", "none.org"});
    CHECK(r.rc == 1);
    CHECK(r.err.find("dnsctl: name_servers: ") == 0);
    r = ctl({"zone", "create", "example.com", "--ns", "ns1.example.net"});
    CHECK(r.rc == 1);
    CHECK(r.err == "dnsctl: name: example.com already exists\n");
    r = ctl({"zone", "list"});
    CHECK(r.rc == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
    r = ctl({"zone", "delete", "other.org"});
    CHECK(r.rc == 0);
    CHECK(ctl({"zone", "delete", "other.org"}).rc == 1);
    // The SOA defaults match Cloudflare's.
    auto st = store::Store::open(ctl.db);
    auto z = st->find_zone_by_name(dns::Name::parse("example.com."));
    REQUIRE(z);
    CHECK(z->soa.mname == dns::Name::parse("ns1.example.net."));
    CHECK(z->soa.rname == dns::Name::parse("hostmaster.example.com."));
    CHECK(z->soa.refresh == 10000);
    CHECK(z->soa.retry == 2400);
    CHECK(z->soa.expire == 604800);
    CHECK(z->soa.minimum == 300);
}

TEST_CASE("record add, list, edit, delete")
{
    Ctl ctl;
    REQUIRE(ctl({"zone", "create", "example.com", "--ns", "ns1.example.net"}).rc == 0);
    auto r = ctl({"record", "add", "example.com", "www", "A", "192.0.2.1", "--proxied"});
    REQUIRE(r.rc == 0);
    std::string www = r.last_line();
    CHECK(store::is_public_id(www));
    r = ctl({"record", "add", "example.com", "@", "MX", "mail.example.com", "--priority", "10"});
    REQUIRE(r.rc == 0);
    std::string mx = r.last_line();
    r = ctl({"record", "add", "example.com", "txt.example.com", "TXT", "v=spf1 -all", "--ttl",
             "300", "--comment", "spf", "--tag", "env:prod"});
    REQUIRE(r.rc == 0);
    std::string txt = r.last_line();
    r = ctl({"record", "list", "example.com"});
    CHECK(r.out == mx + "\texample.com\t1\tMX\t10 mail.example.com\n" + txt +
                       "\ttxt.example.com\t300\tTXT\tv=spf1 -all\n" + www +
                       "\twww.example.com\t1\tA\t192.0.2.1\tproxied\n");
    CHECK(ctl({"record", "list", "example.com", "--name", "@"}).out.starts_with(mx));
    CHECK(
        ctl({"record", "list", "example.com", "--name", "www.example.com."}).out.starts_with(www));
    CHECK(ctl({"record", "list", "example.com", "--type", "TXT"}).out.starts_with(txt));
    CHECK(ctl({"record", "list", "example.com", "--type", "AAAA"}).out.empty());

    // One atomic edit: the proxied A becomes a DNS-only CNAME.
    r = ctl({"record", "edit", "example.com", www, "--type", "CNAME", "--content",
             "home.example.net", "--dns-only", "--ttl", "600"});
    REQUIRE(r.rc == 0);
    CHECK(r.out == www + "\twww.example.com\t600\tCNAME\thome.example.net\n");
    r = ctl({"record", "edit", "example.com", www, "--flatten-cname"});
    CHECK(r.out == www + "\twww.example.com\t600\tCNAME\thome.example.net\tflatten-cname\n");
    r = ctl({"record", "edit", "example.com", www, "--proxied"}); // clears flatten-cname
    CHECK(r.out == www + "\twww.example.com\t1\tCNAME\thome.example.net\tproxied\n");
    r = ctl({"record", "edit", "example.com", mx, "--priority", "20"});
    CHECK(r.out == mx + "\texample.com\t1\tMX\t20 mail.example.com\n");

    r = ctl({"record", "delete", "example.com", txt});
    CHECK(r.rc == 0);
    CHECK(ctl({"record", "delete", "example.com", txt}).rc == 1);
    CHECK(ctl({"record", "list", "example.com", "--type", "TXT"}).out.empty());
}

TEST_CASE("refusals exit 1 naming the field; usage errors exit 2")
{
    Ctl ctl;
    REQUIRE(ctl({"zone", "create", "example.com", "--ns", "ns1.example.net"}).rc == 0);
    auto r = ctl({"record", "add", "example.com", "www", "AAAA", "192.0.2.1"});
    CHECK(r.rc == 1);
    CHECK(r.err == "dnsctl: content: Content for AAAA record must be a valid IPv6 address.\n");
    r = ctl({"record", "add", "example.com", "www", "A", "192.0.2.1", "--ttl", "10"});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: ttl: Invalid TTL."));
    r = ctl({"record", "add", "example.com", "@", "TXT", "x", "--proxied"});
    CHECK(r.err == "dnsctl: proxied: This record type cannot be proxied.\n");
    // Names are checked by the store's rules, offline as over the API.
    r = ctl({"record", "add", "example.com", "sp ace", "A", "192.0.2.1"});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: name: DNS name is invalid: it has a space"));
    r = ctl({"zone", "create", "*.wild.test", "--ns", "ns1.example.net"});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: name: '*.wild.test' is not a valid zone name"));
    r = ctl({"record", "add", "example.com", "lan", "A", "10.0.0.1", "--proxied"});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: content: Target 10.0.0.1 is not allowed for a proxied "
                            "record"));
    r = ctl({"record", "add", "nosuch.com", "www", "A", "192.0.2.1"});
    CHECK(r.rc == 1);
    CHECK(r.err == "dnsctl: no zone named nosuch.com\n");
    CHECK(ctl({"record", "add", "example.com", "www", "A"}).rc == 2);
    CHECK(ctl({"record", "edit", "example.com", "x", "--proxied", "--dns-only"}).rc == 2);
    CHECK(ctl({"record", "edit", "example.com", "0123456789abcdef0123456789abcdef"}).rc == 2);
    CHECK(ctl({"record", "edit", "example.com", "0123456789abcdef0123456789abcdef", "--ttl", "300"})
              .rc == 1);
    CHECK(ctl({"zone", "set", "example.com", "colour", "blue"}).rc == 2);
    CHECK(ctl({"zone"}).rc == 2);
    CHECK(ctl({}).rc == 2);
    r = ctl({"zone", "set", "example.com", "cname_flattening", "sometimes"});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: cname_flattening: "));
    CHECK(ctl({"zone", "set", "example.com", "cname_flattening", "flatten_all"}).rc == 0);
    CHECK(ctl({"zone", "set", "example.com", "edge_pool", "eu"}).out.find("pool=eu") !=
          std::string::npos);
    std::string cfg = ctl.dir.file("nuage.toml");
    std::ofstream(cfg) << "[[edge_pools]]\nname = \"default\"\nipv4 = [\"203.0.113.10\"]\n";
    r = ctl({"--config", cfg, "zone", "set", "example.com", "edge_pool", "eu"});
    CHECK(r.rc == 1);
    CHECK(r.err.starts_with("dnsctl: edge_pool: no edge pool named 'eu'"));
    CHECK(ctl({"--config", cfg, "zone", "set", "example.com", "edge_pool", "default"}).rc == 0);
}

TEST_CASE("import and export through dnsctl; a bad file names file:line")
{
    Ctl ctl;
    std::string zf = ctl.dir.file("z.zone");
    std::ofstream(zf) << "$ORIGIN example.net.\n@ 300 IN SOA ns1.example.net. h.example.net. 7 "
                         "2 3 4 5\n@ 300 IN NS ns1.example.net.\nwww 1 IN A 198.51.100.1 ; "
                         "cf_tags=cf-proxied:true\nmail IN A 192.0.2.25\n";
    auto r = ctl({"zone", "import", "example.net", zf});
    REQUIRE(r.rc == 0);
    CHECK(r.out == "imported 2 records into example.net (serial 7)\n");
    CHECK(ctl({"zone", "import", "example.net", zf}).rc == 1);
    CHECK(ctl({"zone", "import", "example.net", zf, "--replace"}).out ==
          "replaced 2 records into example.net (serial 8)\n");
    r = ctl({"zone", "export", "example.net"});
    CHECK(r.out.find("198.51.100.1 ; cf_tags=cf-proxied:true") != std::string::npos);
    std::string cfg = ctl.dir.file("nuage.toml");
    std::ofstream(cfg) << "[[edge_pools]]\nname = \"default\"\nipv4 = [\"203.0.113.10\"]\n";
    r = ctl({"--config", cfg, "zone", "export", "example.net", "--public"});
    CHECK(r.out.find("198.51.100.1") == std::string::npos);
    CHECK(r.out.find("www.example.net.\t300\tIN\tA\t203.0.113.10") != std::string::npos);
    std::string bad = ctl.dir.file("bad.zone");
    std::ofstream(bad) << "@ 300 IN SOA a. b. 1 2 3 4 5\n@ 300 IN NS ns.example.\n$INCLUDE x\n";
    r = ctl({"zone", "import", "bad.example", bad});
    CHECK(r.rc == 1);
    CHECK(r.err == "dnsctl: " + bad + ":3: $INCLUDE is not supported: import one file\n");
    r = ctl({"zone", "import", "bad.example", ctl.dir.file("missing.zone")});
    CHECK(r.rc == 1);
    CHECK(r.err.find("cannot read") != std::string::npos);
    std::string copy = ctl.dir.file("copy.sqlite");
    CHECK(ctl({"backup", copy}).rc == 0);
    CHECK(store::Store::open(copy)->list_zones().size() == 1);
}

TEST_CASE("zone import: a directory is named as one; a record written twice is read once")
{
    Ctl ctl;
    auto r = ctl({"zone", "import", "bad.example", ctl.dir.path().string()});
    CHECK(r.rc == 1);
    CHECK(r.err == "dnsctl: cannot read " + ctl.dir.path().string() + ": is a directory\n");
    std::string twice = ctl.dir.file("twice.zone");
    std::ofstream(twice) << "@ 300 IN SOA a. b. 1 2 3 4 5\n@ 300 IN NS ns.example.\n"
                            "x IN A 192.0.2.9\nx IN A 192.0.2.9\n";
    r = ctl({"zone", "import", "twice.example", twice});
    CHECK(r.rc == 0);
    CHECK(r.out == "imported 1 records into twice.example (serial 1)\n");
    CHECK(r.err ==
          "dnsctl: note: " + twice + ":4: the same record as line 3, read once (RFC 2181 §5)\n");
}

// Tunnels in the store (DESIGN §2 "Tunnels", API.md §7): secrets hashed, soft delete, list
// filters, connection reports and status, and tunnel routes (CNAMEs into the tunnel domain)
// checked on every write. Every refusal names its field and writes nothing.
#include "tests/unit/edge/edge_fixture.hpp"
#include "zonestore/store/clock_ids.hpp"
#include "zonestore/store/tunnel.hpp"

#include <thread>

using namespace nuage;
using namespace std::chrono_literals;

namespace {

std::string route_to(const store::Tunnel& t)
{
    return t.id + ".cfargotunnel.com";
}

store::RecordInput cname(const std::string& name, const std::string& target, bool proxied)
{
    store::RecordInput in;
    in.name = name;
    in.type = "CNAME";
    in.content = target;
    in.proxied = proxied;
    return in;
}

std::size_t tunnel_rows(store::Store& st)
{
    return st.list_tunnels({}).size();
}

} // namespace

TEST_CASE("tunnel ids, secrets and times")
{
    auto id = store::new_tunnel_id();
    CHECK(store::is_tunnel_id(id));
    CHECK(id[14] == '4');
    CHECK(store::new_tunnel_id() != id);
    CHECK(!store::is_tunnel_id("not-a-uuid"));
    CHECK(store::is_tunnel_id("C0FFEE00-1234-4abc-8def-0123456789AB"));
    auto s = store::new_tunnel_secret();
    auto bytes = store::decode_tunnel_secret(s);
    REQUIRE(bytes);
    CHECK(bytes->size() == 32);
    // Standard and URL-safe alphabets, with or without padding, decode to the same bytes.
    CHECK(store::decode_tunnel_secret("+/8=") == std::string("\xfb\xff", 2));
    CHECK(store::decode_tunnel_secret("-_8") == std::string("\xfb\xff", 2));
    CHECK(!store::decode_tunnel_secret("a"));
    CHECK(!store::decode_tunnel_secret("ab$d"));
    CHECK(store::tunnel_secret_hash("x").size() == 32);
    auto t = store::parse_rfc3339("2024-05-01T10:00:00Z");
    REQUIRE(t);
    CHECK(store::parse_rfc3339("2024-05-01T12:00:00.5+02:00") == *t + 500ms);
    CHECK(!store::parse_rfc3339("2024-05-01 10:00"));
    CHECK(!store::parse_rfc3339("yesterday"));
    CHECK(!store::parse_rfc3339("2024-02-30T10:00:00Z"));
    // Past 2262 (where system_clock's nanoseconds end) and before 1970.
    auto far = store::parse_rfc3339("2999-01-01T00:00:00Z");
    REQUIRE(far);
    CHECK(*far > *t);
    CHECK(far->time_since_epoch() ==
          std::chrono::sys_days{std::chrono::year{2999} / std::chrono::January / 1}
              .time_since_epoch());
    CHECK(*store::parse_rfc3339("1969-12-31T23:59:59Z") < *t);
}

TEST_CASE("create: a generated secret is returned once, a given one must be base64 of 32 bytes")
{
    test::EdgeFixture f;
    auto made = f.st->create_tunnel({"home", "local", std::nullopt});
    CHECK(store::is_tunnel_id(made.tunnel.id));
    CHECK(made.tunnel.status == store::TunnelStatus::Inactive);
    CHECK(f.st->verify_tunnel_secret(made.tunnel.id, made.secret));
    CHECK(!f.st->verify_tunnel_secret(made.tunnel.id, store::new_tunnel_secret()));
    CHECK(!f.st->verify_tunnel_secret(made.tunnel.id, "not base64!"));
    CHECK(!f.st->verify_tunnel_secret("nope", made.secret));

    std::string given = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"; // 32 bytes, unpadded
    auto other = f.st->create_tunnel({"office", "cloudflare", given});
    CHECK(other.secret == given);
    CHECK(other.tunnel.config_src == "cloudflare");
    CHECK(f.st->verify_tunnel_secret(other.tunnel.id, given + "="));

    std::size_t rows = tunnel_rows(*f.st);
    CHECK(test::refusal([&] {
              f.st->create_tunnel({"short", "local", "c2hvcnQ="});
          }).field == "tunnel_secret");
    CHECK(test::refusal([&] {
              f.st->create_tunnel({"bad", "local", "!!!!"});
          }).field == "tunnel_secret");
    CHECK(test::refusal([&] { f.st->create_tunnel({"", "local", std::nullopt}); }).field == "name");
    CHECK(test::refusal([&] {
              f.st->create_tunnel({"home", "local", std::nullopt});
          }).field == "name");
    CHECK(test::refusal([&] {
              f.st->create_tunnel({"x", "remote", std::nullopt});
          }).field == "config_src");
    CHECK(tunnel_rows(*f.st) == rows);
}

TEST_CASE("list filters, rename, soft delete")
{
    test::EdgeFixture f;
    auto a = f.st->create_tunnel({"home-a", "local", std::nullopt}).tunnel;
    std::this_thread::sleep_for(2ms);
    auto between = store::now_rfc3339();
    std::this_thread::sleep_for(2ms);
    auto b = f.st->create_tunnel({"home-b", "local", std::nullopt}).tunnel;
    auto c = f.st->create_tunnel({"lab", "local", std::nullopt}).tunnel;
    auto names = [&](const store::TunnelFilter& flt) {
        std::string s;
        for (const auto& t : f.st->list_tunnels(flt)) {
            s += (s.empty() ? "" : ",") + t.name;
        }
        return s;
    };
    CHECK(names({}) == "home-a,home-b,lab");
    store::TunnelFilter flt;
    flt.include_prefix = "home";
    CHECK(names(flt) == "home-a,home-b");
    flt = {};
    flt.exclude_prefix = "home";
    CHECK(names(flt) == "lab");
    flt = {};
    flt.name = "home-b";
    CHECK(names(flt) == "home-b");
    flt = {};
    std::string upper = b.id;
    for (char& ch : upper) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    flt.uuid = upper;
    CHECK(names(flt) == "home-b");
    CHECK(f.st->find_tunnel(upper)->name == "home-b");
    flt = {};
    flt.existed_at = between;
    CHECK(names(flt) == "home-a");

    auto renamed = f.st->update_tunnel(c.id, {std::string("garage"), std::nullopt});
    CHECK(renamed.name == "garage");
    CHECK(test::refusal([&] {
              f.st->update_tunnel(c.id, {std::string("home-a"), {}});
          }).field == "name");
    auto fresh = store::new_tunnel_secret();
    f.st->update_tunnel(c.id, {std::nullopt, fresh});
    CHECK(f.st->verify_tunnel_secret(c.id, fresh));

    auto gone = f.st->delete_tunnel(a.id);
    CHECK(gone.deleted_at);
    CHECK(f.st->find_tunnel(a.id)->deleted());
    CHECK(!f.st->verify_tunnel_secret(a.id, "whatever"));
    flt = {};
    flt.is_deleted = true;
    CHECK(names(flt) == "home-a");
    flt.is_deleted = false;
    CHECK(names(flt) == "home-b,garage");
    flt = {};
    flt.existed_at = store::now_rfc3339();
    CHECK(names(flt) == "home-b,garage");
    CHECK(test::refusal([&] { f.st->delete_tunnel(a.id); }).field == "tunnel_id");
    CHECK(test::refusal([&] {
              f.st->update_tunnel(a.id, {std::string("z"), {}});
          }).field == "tunnel_id");
    CHECK_THROWS_AS(f.st->delete_tunnel(store::new_tunnel_id()), store::NotFound);
    // A deleted tunnel's name may be taken again.
    CHECK(f.st->create_tunnel({"home-a", "local", std::nullopt}).tunnel.id != a.id);
    flt = {};
    flt.existed_at = "last tuesday";
    CHECK(test::refusal([&] { f.st->list_tunnels(flt); }).field == "existed_at");
}

TEST_CASE("status: inactive until a report, then healthy, degraded, down by its age")
{
    test::EdgeFixture f;
    auto t = f.st->create_tunnel({"home", "local", std::nullopt}).tunnel;
    CHECK(t.status == store::TunnelStatus::Inactive);
    store::TunnelConnection conn;
    conn.id = store::new_tunnel_id();
    conn.origin_ip = "192.0.2.44";
    conn.colo_name = "home";
    auto up = f.st->report_tunnel_connections(t.id, {conn});
    CHECK(up.status == store::TunnelStatus::Healthy);
    CHECK(up.conns_active_at);
    CHECK(!up.conns_inactive_at);
    auto again = *f.st->find_tunnel(t.id);
    REQUIRE(again.connections.size() == 1);
    CHECK(again.connections[0].origin_ip == "192.0.2.44");
    auto at = *store::parse_rfc3339(*again.reported_at);
    CHECK(store::tunnel_status(again, at + 59s) == store::TunnelStatus::Healthy);
    CHECK(store::tunnel_status(again, at + 61s) == store::TunnelStatus::Degraded);
    CHECK(store::tunnel_status(again, at + 299s) == store::TunnelStatus::Degraded);
    CHECK(store::tunnel_status(again, at + 301s) == store::TunnelStatus::Down);
    store::TunnelFilter flt;
    flt.status = store::TunnelStatus::Healthy;
    CHECK(f.st->list_tunnels(flt).size() == 1);
    auto gone = f.st->report_tunnel_connections(t.id, {});
    CHECK(gone.status == store::TunnelStatus::Down);
    CHECK(gone.conns_inactive_at);
    CHECK(store::to_string(gone.status) == std::string("down"));
    CHECK(store::tunnel_status_from_string("degraded") == store::TunnelStatus::Degraded);
    f.st->delete_tunnel(t.id);
    CHECK(test::refusal([&] { f.st->report_tunnel_connections(t.id, {conn}); }).field ==
          "tunnel_id");
}

TEST_CASE("tunnel routes: refused to unknown or deleted tunnels, naming the id; nothing written")
{
    test::EdgeFixture f;
    auto t = f.st->create_tunnel({"home", "local", std::nullopt}).tunnel;
    auto count = f.count();
    auto serial = f.serial();
    auto missing = store::new_tunnel_id();
    auto e = test::refusal([&] { f.add_in(cname("www", missing + ".cfargotunnel.com", true)); });
    CHECK(e.field == "content");
    CHECK(e.message.find(missing) != std::string::npos);
    e = test::refusal([&] { f.add_in(cname("www", "nope.cfargotunnel.com", true)); });
    CHECK(e.field == "content");
    CHECK(e.message.find("nope") != std::string::npos);
    CHECK(f.count() == count);
    CHECK(f.serial() == serial);

    auto www = f.add_in(cname("www", route_to(t), true));
    auto dns_only = f.add_in(cname("raw", route_to(t), false));
    CHECK(f.view("www.example.com.", dns::rrtype::A).size() == 2);
    CHECK(f.view("www.example.com.", dns::rrtype::CNAME).empty());
    CHECK(f.view("raw.example.com.", dns::rrtype::CNAME).size() == 1);
    auto routes = f.st->tunnel_routes(t.id);
    REQUIRE(routes.size() == 2);
    CHECK(routes[0].name == "raw.example.com");
    CHECK(routes[1].proxied);

    count = f.count();
    e = test::refusal([&] { f.st->delete_tunnel(t.id); });
    CHECK(e.field == "tunnel_id");
    CHECK(e.message.find("www.example.com") != std::string::npos);
    CHECK(e.message.find("raw.example.com") != std::string::npos);
    CHECK(!f.st->find_tunnel(t.id)->deleted());
    f.st->delete_record(f.zone, www.id);
    f.st->delete_record(f.zone, dns_only.id);
    f.st->delete_tunnel(t.id);
    serial = f.serial();
    e = test::refusal([&] { f.add_in(cname("www", route_to(t), true)); });
    CHECK(e.field == "content");
    CHECK(e.message.find("deleted") != std::string::npos);
    CHECK(f.serial() == serial);
    // A CNAME to the tunnel domain itself is no route.
    CHECK(f.add_in(cname("dom", "cfargotunnel.com", false)).type == dns::rrtype::CNAME);
}

TEST_CASE("a flattened tunnel route must be proxied: the tunnel domain has no public addresses")
{
    test::EdgeFixture f;
    auto t = f.st->create_tunnel({"home", "local", std::nullopt}).tunnel;
    auto count = f.count();
    auto e = test::refusal([&] { f.add_in(cname("@", route_to(t), false)); });
    CHECK(e.field == "proxied");
    CHECK(e.message.find("at the apex") != std::string::npos);
    auto in = cname("flat", route_to(t), false);
    in.flatten_cname = true;
    e = test::refusal([&] { f.add_in(in); });
    CHECK(e.field == "settings.flatten_cname");
    CHECK(f.count() == count);
    // Proxied, both are routes answered with the edge's addresses.
    CHECK(f.add_in(cname("@", route_to(t), true)).proxied);
    // A zone that flattens every CNAME cannot have a DNS-only route, either way round.
    f.add_in(cname("raw", route_to(t), false));
    e = test::refusal(
        [&] { f.st->set_cname_flattening(f.zone, store::CnameFlattening::FlattenAll); });
    CHECK(e.field == "cname_flattening");
    CHECK(e.message.find("raw.example.com") != std::string::npos);
}

TEST_CASE("the tunnel domain is the configuration's; zone files are checked too")
{
    test::EdgeFixture f;
    f.st->set_tunnel_domain(dns::Name::parse("tunnels.example.net."));
    auto t = f.st->create_tunnel({"home", "local", std::nullopt}).tunnel;
    CHECK(f.add_in(cname("www", t.id + ".tunnels.example.net", true)).proxied);
    // Another domain is just a name now.
    CHECK(!f.add_in(cname("other", store::new_tunnel_id() + ".cfargotunnel.com", false)).proxied);
    auto e = test::refusal(
        [&] { f.add_in(cname("bad", store::new_tunnel_id() + ".tunnels.example.net", true)); });
    CHECK(e.field == "content");

    store::ZoneImport zi;
    zi.file = "z.zone";
    zi.origin = dns::Name::parse("other.org.");
    zi.soa.mname = dns::Name::parse("ns1.other.org.");
    zi.soa.rname = dns::Name::parse("h.other.org.");
    zi.name_servers = {dns::Name::parse("ns1.other.org.")};
    store::ImportRecord r;
    r.owner = dns::Name::parse("www.other.org.");
    r.type = dns::rrtype::CNAME;
    r.ttl = 1;
    r.proxied = true;
    r.line = 7;
    r.rdata = dns::Name::parse("0123abcd-0000-4000-8000-000000000000.tunnels.example.net.").wire();
    zi.records.push_back(r);
    try {
        f.st->import_zone(zi, false);
        FAIL("imported a route to no tunnel");
    } catch (const store::ImportError& ie) {
        CHECK(std::string(ie.what()).find("z.zone:7: content:") == 0);
    }
    CHECK(!f.st->find_zone_by_name(zi.origin));
}

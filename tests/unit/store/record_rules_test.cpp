// Every rule of DESIGN §2 "Records": refused with the right field and code, and nothing
// written (row count, serial and journal unchanged).
#include "tests/unit/store/store_fixture.hpp"

using namespace nuage;
using test::StoreFixture;

namespace {

store::RecordInput input(std::string name, std::string type, std::string content,
                         std::int64_t ttl = 1, bool proxied = false)
{
    store::RecordInput in;
    in.name = std::move(name);
    in.type = std::move(type);
    in.content = std::move(content);
    in.ttl = ttl;
    in.proxied = proxied;
    return in;
}

// Runs a write that must be refused; checks the field and code, and that nothing changed.
void expect_refused(StoreFixture& f, const store::RecordInput& in, const std::string& field,
                    int code = 0)
{
    auto rows = f.count();
    auto serial = f.serial();
    auto head = f.st->journal_head();
    auto e = test::refusal([&] { f.st->create_record(f.zone, in); });
    CHECK_MESSAGE(e.field == field, in.name << " " << in.type << " " << in.content << ": "
                                            << e.field << ": " << e.message);
    if (code != 0) {
        CHECK(e.code == code);
    }
    CHECK(f.count() == rows);
    CHECK(f.serial() == serial);
    CHECK(f.st->journal_head() == head);
}

} // namespace

TEST_CASE("content must parse for its type")
{
    StoreFixture f;
    expect_refused(f, input("www", "A", "1.2.3"), "content", 9005);
    expect_refused(f, input("www", "A", "2001:db8::1"), "content", 9005);
    expect_refused(f, input("www", "AAAA", "192.0.2.1"), "content", 9006);
    expect_refused(f, input("www", "CNAME", "a..b"), "content", 9007);
    expect_refused(f, input("www", "MX", "mail.example.com"), "priority");
    expect_refused(f, input("www", "CAA", "0 issue"), "content");
    expect_refused(f, input("www", "SRV", "10 5 sip.example.com"), "content");
    expect_refused(f, input("www", "A", ""), "content");
    expect_refused(f, input("www", "BOGUS", "x"), "type");
    expect_refused(f, input("www", "OPT", "x"), "type");
}

TEST_CASE("names must be valid and inside the zone")
{
    StoreFixture f;
    expect_refused(f, input("a..b", "A", "192.0.2.1"), "name", 9000);
    expect_refused(f, input(std::string(64, 'x'), "A", "192.0.2.1"), "name", 9000);
    expect_refused(f, input("www.example.org.", "A", "192.0.2.1"), "name", 9000);
    // Without a trailing dot and not ending with the zone, a name is relative (Cloudflare).
    auto r = f.add("www.example.org", "A", "192.0.2.1");
    CHECK(r.name == "www.example.org.example.com");
    CHECK(f.add("@", "TXT", "apex").name == "example.com");
    CHECK(f.add("Mail.EXAMPLE.com", "A", "192.0.2.2").name == "mail.example.com");
    // Letters, digits, hyphen, underscore; '*' as a whole leftmost label; no escapes, spaces,
    // quotes or controls (they were stored as \032 and the like); a NUL never cuts a name.
    for (const char* bad : {"sp ace", "new\nline", "semi;colon", "paren(x)", "q\"uote",
                            "@.example.com", "a\\032b", "x.*", "a*", "", "."}) {
        expect_refused(f, input(bad, "A", "192.0.2.1"), "name", 9000);
    }
    expect_refused(f, input(std::string("nul\0l", 5), "A", "192.0.2.1"), "name", 9000);
    std::string long_name;
    for (int i = 0; i < 5; ++i) {
        long_name += std::string(50, 'b') + ".";
    }
    expect_refused(f, input(long_name, "A", "192.0.2.1"), "name", 9000);
    CHECK(f.add("_dmarc", "TXT", "v=DMARC1").name == "_dmarc.example.com");
    CHECK(f.add("*.dev", "A", "192.0.2.3").name == "*.dev.example.com");
    // An IDN is stored as its A-label, as Cloudflare does.
    CHECK(f.add("\u00fcn\u00ef", "A", "192.0.2.4").name == "xn--n-nga1b.example.com");
    CHECK(f.add("caf\u00e9.example.com.", "A", "192.0.2.5").name == "xn--caf-dma.example.com");
    expect_refused(f, input("\xf0\x9f\x92\xa9", "A", "192.0.2.1"), "name", 9000);
}

TEST_CASE("zone names: LDH (IDN as punycode), no wildcard; reverse zones too")
{
    StoreFixture f;
    for (const char* bad : {"nl.test\n", " spaced.test ", "semi;colon.test", "*.wild.test", "a..b",
                            "", ".", "@.test", "a\\032b.test"}) {
        CAPTURE(bad);
        auto e = test::refusal([&] { f.make_zone(bad); });
        CHECK(e.field == "name");
        CHECK(e.code == 1049);
    }
    CHECK(f.st->find_zone(f.make_zone("b\u00fccher.test"))->name == "xn--bcher-kva.test");
    CHECK(f.st->find_zone(f.make_zone("2.0.192.in-addr.arpa."))->name == "2.0.192.in-addr.arpa");
    CHECK(f.st->find_zone(f.make_zone("0/25.2.0.192.IN-ADDR.ARPA"))->name ==
          "0/25.2.0.192.in-addr.arpa");
    CHECK(f.st->find_zone(f.make_zone("8.b.d.0.1.0.0.2.ip6.arpa"))->name ==
          "8.b.d.0.1.0.0.2.ip6.arpa");
    CHECK(test::refusal([&] { f.make_zone("0/25.example.test"); }).code == 1049);
}

TEST_CASE("TTL is 1 or 30..86400 for API and dnsctl writes")
{
    StoreFixture f;
    expect_refused(f, input("www", "A", "192.0.2.1", 0), "ttl", 9021);
    expect_refused(f, input("www", "A", "192.0.2.1", 29), "ttl", 9021);
    expect_refused(f, input("www", "A", "192.0.2.1", 86401), "ttl", 9021);
    expect_refused(f, input("www", "A", "192.0.2.1", -5), "ttl", 9021);
    CHECK(f.add("a", "A", "192.0.2.1", 30).ttl == 30);
    CHECK(f.add("b", "A", "192.0.2.1", 86400).ttl == 86400);
    CHECK(f.add("c", "A", "192.0.2.1", 1).ttl == 1);
    // Proxied records are always automatic.
    CHECK(f.add("d", "A", "192.0.2.1", 3600, true).ttl == 1);
}

TEST_CASE("a CNAME owns its name")
{
    StoreFixture f;
    f.add("www", "A", "192.0.2.1");
    f.add("txt", "TXT", "hello");
    f.add("alias", "CNAME", "www.example.com");
    expect_refused(f, input("www", "CNAME", "other.example.net"), "name", 81053);
    expect_refused(f, input("txt", "CNAME", "other.example.net"), "name", 81053);
    expect_refused(f, input("alias", "CNAME", "other.example.net"), "name", 81053);
    expect_refused(f, input("alias", "A", "192.0.2.1"), "name", 81054);
    expect_refused(f, input("alias", "TXT", "x"), "name", 81054);
    expect_refused(f, input("alias", "MX", "10 mail.example.com"), "name", 81054);
    expect_refused(f, input("self", "CNAME", "self.example.com"), "content", 9007);
}

TEST_CASE("a flattened CNAME may share its name with non-address types")
{
    StoreFixture f;
    // At the apex a CNAME is always flattened.
    f.add("@", "CNAME", "target.example.net");
    CHECK(f.add("@", "TXT", "v=spf1 -all").type == 16);
    CHECK(f.add("@", "MX", "10 mail.example.com").priority == 10);
    expect_refused(f, input("@", "A", "192.0.2.1"), "name", 81054);
    expect_refused(f, input("@", "AAAA", "2001:db8::1"), "name", 81054);
    expect_refused(f, input("@", "CNAME", "other.example.net"), "name", 81053);
    // By its own setting.
    auto in = input("flat", "CNAME", "target.example.net");
    in.flatten_cname = true;
    f.st->create_record(f.zone, in);
    CHECK(f.add("flat", "TXT", "x").name == "flat.example.com");
    expect_refused(f, input("flat", "A", "192.0.2.1"), "name", 81054);
    // flatten_cname only on DNS-only CNAMEs.
    auto bad = input("x", "A", "192.0.2.1");
    bad.flatten_cname = true;
    expect_refused(f, bad, "settings.flatten_cname");
    auto bad2 = input("y", "CNAME", "t.example.net");
    bad2.flatten_cname = true;
    bad2.proxied = true;
    expect_refused(f, bad2, "settings.flatten_cname");
}

TEST_CASE("flatten_all lets every CNAME share with non-address types, and is held to it")
{
    StoreFixture f;
    f.st->set_cname_flattening(f.zone, store::CnameFlattening::FlattenAll);
    f.add("c", "CNAME", "target.example.net");
    f.add("c", "TXT", "hello");
    expect_refused(f, input("c", "A", "192.0.2.1"), "name", 81054);
    auto serial = f.serial();
    auto e = test::refusal(
        [&] { f.st->set_cname_flattening(f.zone, store::CnameFlattening::FlattenAtRoot); });
    CHECK(e.field == "cname_flattening");
    CHECK(f.serial() == serial);
    CHECK(f.st->find_zone(f.zone)->cname_flattening == store::CnameFlattening::FlattenAll);
}

TEST_CASE("below the apex an NS RRset is a delegation")
{
    StoreFixture f;
    f.add("sub", "NS", "ns.sub.example.com", 3600);
    f.add("ns.sub", "A", "192.0.2.53", 3600); // glue
    f.add("sub", "DS",
          "12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    f.add("sub", "NS", "ns2.example.net", 3600);
    expect_refused(f, input("sub", "A", "192.0.2.1"), "type");
    expect_refused(f, input("sub", "TXT", "x"), "type");
    expect_refused(f, input("www.sub", "TXT", "x"), "name");
    expect_refused(f, input("a.b.sub", "CNAME", "x.example.net"), "name");
    expect_refused(f, input("ns.sub", "A", "192.0.2.9", 1, true), "proxied");
    // A new delegation over existing non-glue data is refused.
    f.add("txt.other", "TXT", "x");
    expect_refused(f, input("other", "NS", "ns.example.net"), "type");
    f.add("www", "A", "192.0.2.1");
    expect_refused(f, input("www", "NS", "ns.example.net"), "type");
}

TEST_CASE("the apex SOA and NS are the zone's own")
{
    StoreFixture f;
    expect_refused(f, input("@", "SOA", "ns1.example.net hostmaster.example.com 1 2 3 4 5"),
                   "type");
    expect_refused(f, input("www", "SOA", "ns1.example.net hostmaster.example.com 1 2 3 4 5"),
                   "type");
    expect_refused(f, input("@", "NS", "ns3.example.net"), "type");
    expect_refused(
        f,
        input("@", "DS",
              "12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
        "type");
}

TEST_CASE("proxied: only A, AAAA and CNAME, one state per name")
{
    StoreFixture f;
    auto mx = input("@", "MX", "10 mail.example.com");
    mx.proxied = true;
    expect_refused(f, mx, "proxied", 9004);
    auto txt = input("t", "TXT", "x");
    txt.proxied = true;
    expect_refused(f, txt, "proxied", 9004);
    f.add("www", "A", "192.0.2.1", 1, true);
    expect_refused(f, input("www", "A", "192.0.2.2"), "proxied");
    expect_refused(f, input("www", "AAAA", "2001:db8::2"), "proxied");
    CHECK(f.add("www", "AAAA", "2001:db8::1", 1, true).proxied);
    CHECK(f.add("www", "TXT", "beside a proxied name").type == 16);
    CHECK(f.add("c", "CNAME", "www.example.com", 1, true).proxied);
}

TEST_CASE("proxied: never to a target the edge cannot reach")
{
    StoreFixture f;
    const char* cases[][2] = {{"A", "127.0.0.1"},        {"A", "10.1.2.3"},
                              {"A", "0.0.0.0"},          {"A", "172.31.0.1"},
                              {"A", "192.168.0.1"},      {"A", "169.254.0.1"},
                              {"A", "100.64.0.1"},       {"A", "239.1.1.1"},
                              {"A", "240.0.0.1"},        {"AAAA", "::"},
                              {"AAAA", "::1"},           {"AAAA", "fc00::1"},
                              {"AAAA", "fe80::1"},       {"AAAA", "ff05::1"},
                              {"AAAA", "100::1"},        {"AAAA", "::ffff:192.0.2.1"},
                              {"CNAME", "localhost"},    {"CNAME", "printer.local"},
                              {"CNAME", "nas.home.arpa"}};
    for (const auto& c : cases) {
        auto in = input("p", c[0], c[1], 1, true);
        expect_refused(f, in, "content", 9003);
        in.proxied = false; // DNS only: anything goes
        in.name = std::string("d") + std::to_string(f.count());
        CHECK_NOTHROW(f.st->create_record(f.zone, in));
    }
    // Public and documentation addresses are fine (Cloudflare's own examples use them).
    CHECK(f.add("ok4", "A", "192.0.2.1", 1, true).proxied);
    CHECK(f.add("ok6", "AAAA", "2001:db8::1", 1, true).proxied);
    CHECK(f.add("okc", "CNAME", "origin.example.net", 1, true).proxied);
    CHECK(f.add("okb", "A", "198.18.0.1", 1, true).proxied); // benchmarking: the tests' origins
}

TEST_CASE("identical records are refused")
{
    StoreFixture f;
    f.add("www", "A", "192.0.2.1");
    expect_refused(f, input("www", "A", "192.0.2.1", 300), "content", 81058);
    expect_refused(f, input("WWW.example.com.", "A", "192.0.2.1"), "content", 81058);
    f.add("t", "TXT", "hello world");
    // The same text quoted is the same RDATA.
    expect_refused(f, input("t", "TXT", "\"hello world\""), "content", 81058);
    f.add("@", "MX", "10 mail.example.com");
    auto mx = input("@", "MX", "mail.example.com.");
    mx.priority = 10;
    expect_refused(f, mx, "content", 81058);
    mx.priority = 20;
    CHECK(f.st->create_record(f.zone, mx).priority == 20);
}

TEST_CASE("an edit is one atomic change: an A becomes a CNAME in one step")
{
    StoreFixture f;
    auto a = f.add("www", "A", "192.0.2.1");
    f.add("other", "A", "192.0.2.7");
    auto serial = f.serial();
    auto in = input("www", "CNAME", "home.example.net");
    auto r = f.st->update_record(f.zone, a.id, in);
    CHECK(r.id == a.id);
    CHECK(r.type == 5);
    CHECK(r.content == "home.example.net");
    CHECK(r.created_on == a.created_on);
    CHECK(f.serial() == serial + 1);
    // A refused edit leaves the record as it was.
    auto o = f.st->list_records(f.zone, {dns::Name::parse("other.example.com."), {}}).front();
    auto head = f.st->journal_head();
    auto e =
        test::refusal([&] { f.st->update_record(f.zone, o.id, input("www", "A", "192.0.2.7")); });
    CHECK(e.field == "name");
    CHECK(e.code == 81054);
    CHECK(f.st->get_record(f.zone, o.id).content == "192.0.2.7");
    CHECK(f.st->get_record(f.zone, o.id).name == "other.example.com");
    CHECK(f.serial() == serial + 1);
    CHECK(f.st->journal_head() == head);
}

TEST_CASE("a batch is all or nothing")
{
    StoreFixture f;
    auto a = f.add("www", "A", "192.0.2.1");
    store::RecordBatch b;
    b.deletes.push_back(a.id);
    b.creates.push_back(input("www", "CNAME", "x.example.net"));
    b.creates.push_back(input("bad", "A", "nope"));
    auto rows = f.count();
    auto serial = f.serial();
    auto e = test::refusal([&] { f.st->apply_batch(f.zone, b); });
    CHECK(e.field == "content");
    CHECK(f.count() == rows);
    CHECK(f.serial() == serial);
    CHECK(f.st->get_record(f.zone, a.id).type == 1);
    // Without the bad one it goes through, deletes first.
    b.creates.pop_back();
    auto res = f.st->apply_batch(f.zone, b);
    CHECK(res.deleted.size() == 1);
    CHECK(res.created.size() == 1);
    CHECK(f.serial() == serial + 1); // one transaction, one serial
    CHECK_THROWS_AS(f.st->delete_record(f.zone, a.id), store::NotFound);
}

TEST_CASE("names inside RDATA compare case-insensitively for duplicates (RFC 4034 §6.2)")
{
    StoreFixture f;
    f.add("alias", "CNAME", "Target.Example.NET");
    expect_refused(f, input("alias", "CNAME", "target.example.net"), "content", 81058);
    f.add("@", "MX", "10 Mail.Example.com");
    expect_refused(f, input("@", "MX", "10 mail.example.COM"), "content", 81058);
    f.add("t", "TXT", "Hello");
    CHECK(f.add("t", "TXT", "hello").type == 16); // text is not a name: both stay
    auto e = test::refusal([&] { f.add("d", "DNAME", "example.net"); });
    CHECK(e.field == "type");
}

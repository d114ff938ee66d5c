// Zone-file import (refused whole, naming file:line and field) and export (re-imports to the
// same records; cf_tags as Cloudflare writes them).
#include "tests/unit/store/store_fixture.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/zone_file.hpp"
#include "zonestore/store/zone_file_io.hpp"

#include <algorithm>
#include <tuple>

using namespace nuage;

namespace {

const char* kZone = R"($ORIGIN example.org.
$TTL 3600
@       IN SOA ns1.example.net. hostmaster.example.org. 2024050701 7200 3600 1209600 300
@       86400 IN NS ns1.example.net.
@       86400 IN NS ns2.example.net.
@       IN A     192.0.2.10
@       IN AAAA  2001:db8::10
@       IN MX    10 mail
@       IN TXT   "v=spf1 mx -all"
@       IN CAA   0 issue "letsencrypt.org"
www     1 IN A   198.51.100.7 ; cf_tags=cf-proxied:true
git     IN CNAME www ; front door cf_tags=cf-proxied:true,env:prod
mail    IN A     192.0.2.25
_dmarc  IN TXT   "v=DMARC1; p=reject"
_sip._tcp IN SRV 10 5 5060 sip
sip     IN A     192.0.2.26
odd\.label IN TXT "escaped dot"
sp\032ace IN A 192.0.2.27
unk     IN TYPE65280 \# 4 deadbeef
long    IN TXT   "first" "second"
sub     IN NS    ns.sub
ns.sub  IN A     192.0.2.53
)";

store::ZoneImport parse(const std::string& text, const char* file = "example.org.zone")
{
    return store::parse_zone_import(text, dns::Name::parse("example.org."), file);
}

// Imports `text`; returns the error's text, or "" when it was imported.
std::string import_error(store::Store& st, const std::string& text, bool replace = false)
{
    try {
        st.import_zone(parse(text), replace);
    } catch (const store::ImportError& e) {
        return e.what();
    }
    return "";
}

using Key = std::tuple<std::string, std::uint16_t, std::string, std::uint32_t, bool, bool,
                       std::optional<std::string>, std::vector<std::string>>;

std::vector<Key> keys(const std::vector<store::Record>& recs)
{
    std::vector<Key> out;
    for (const auto& r : recs) {
        out.emplace_back(r.name, r.type, r.rdata, r.ttl, r.proxied, r.flatten_cname, r.comment,
                         r.tags);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("import keeps the file's SOA and apex NS as the zone's own")
{
    test::StoreFixture f;
    auto z = f.st->import_zone(parse(kZone), false);
    CHECK(z.name == "example.org");
    CHECK(z.soa.serial == 2024050701);
    CHECK(z.soa.refresh == 7200);
    CHECK(z.soa.minimum == 300);
    CHECK(z.soa.ttl == 3600);
    CHECK(z.soa.rname == dns::Name::parse("hostmaster.example.org."));
    CHECK(z.name_servers.size() == 2);
    CHECK(z.ns_ttl == 86400);
    auto recs = f.st->list_records(z.id, {});
    CHECK(recs.size() == 17);
    for (const auto& r : recs) {
        CHECK(r.type != dns::rrtype::SOA);
        CHECK(!(r.type == dns::rrtype::NS && r.owner == z.origin));
    }
    auto www = f.st->list_records(z.id, {dns::Name::parse("www.example.org."), {}});
    REQUIRE(www.size() == 1);
    CHECK(www[0].proxied);
    CHECK(www[0].ttl == 1);
    auto git = f.st->list_records(z.id, {dns::Name::parse("git.example.org."), {}});
    REQUIRE(git.size() == 1);
    CHECK(git[0].proxied);
    CHECK(git[0].comment == "front door");
    CHECK(git[0].tags == std::vector<std::string>{"env:prod"});
    CHECK(git[0].content == "www.example.org");
    auto mx = f.st->list_records(z.id, {{}, dns::rrtype::MX});
    REQUIRE(mx.size() == 1);
    CHECK(mx[0].priority == 10);
    CHECK(mx[0].content == "mail.example.org");
    auto odd = f.st->list_records(z.id, {dns::Name::parse("odd\\.label.example.org."), {}});
    REQUIRE(odd.size() == 1);
    CHECK(odd[0].name == "odd\\.label.example.org");
    CHECK(odd[0].content == "escaped dot");
    auto unk = f.st->list_records(z.id, {{}, 65280});
    REQUIRE(unk.size() == 1);
    CHECK(unk[0].content == "\\# 4 deadbeef");
    CHECK(unk[0].rdata == std::string("\xde\xad\xbe\xef"));
    auto journal = f.st->journal_since(0, 100);
    CHECK(journal.back().kind == store::JournalEntry::Kind::ZoneCreated);
    CHECK(journal.back().zone_id == z.id);
}

TEST_CASE("a bad import is refused whole, naming file:line and the field")
{
    test::StoreFixture f;
    std::string head = "$ORIGIN example.org.\n$TTL 300\n"
                       "@ IN SOA ns1.example.net. h.example.org. 1 2 3 4 5\n"
                       "@ IN NS ns1.example.net.\n"
                       "ok IN A 192.0.2.1\n";
    auto zones = f.st->list_zones().size();
    auto head_seq = f.st->journal_head();
    CHECK(import_error(*f.st, head + "bad IN A 192.0.2\n") ==
          "example.org.zone:6: content: Syntax error, could not parse the RR's rdata");
    CHECK(import_error(*f.st, head + "$INCLUDE other.zone\n").starts_with("example.org.zone:6: "));
    CHECK(import_error(*f.st, head + "$INCLUDE other.zone\n").find("$INCLUDE") !=
          std::string::npos);
    CHECK(import_error(*f.st, head + "big 2147483648 IN A 192.0.2.1\n")
              .starts_with("example.org.zone:6: ttl: "));
    CHECK(import_error(*f.st, head + "www IN CNAME x.example.net.\nwww IN A 192.0.2.9\n") ==
          "example.org.zone:7: name: A CNAME record with that host already exists.");
    CHECK(import_error(*f.st, head + "ok IN CNAME x.example.net.\n") ==
          "example.org.zone:6: name: An A, AAAA, or CNAME record with that host already "
          "exists.");
    CHECK(import_error(*f.st, head + "sub IN NS ns.example.net.\nx.sub IN TXT \"no\"\n")
              .starts_with("example.org.zone:7: name: x.sub.example.org is below the "
                           "delegation"));
    CHECK(import_error(*f.st, head + "mx IN MX 10 mail ; cf_tags=cf-proxied:true\n") ==
          "example.org.zone:6: proxied: This record type cannot be proxied.");
    CHECK(import_error(*f.st, head + "www.example.com. IN A 192.0.2.1\n")
              .starts_with("example.org.zone:6: name: "));
    CHECK(import_error(*f.st, "$ORIGIN example.org.\n@ 300 IN NS ns1.example.net.\n") ==
          "example.org.zone: no SOA record at the apex of example.org: a zone file must have "
          "one");
    CHECK(import_error(*f.st, "@ 300 IN SOA a. b. 1 2 3 4 5\n")
              .starts_with("example.org.zone: no NS records"));
    CHECK(import_error(*f.st, head + "x IN SOA a. b. 1 2 3 4 5\n")
              .starts_with("example.org.zone:6: type: "));
    CHECK(f.st->list_zones().size() == zones);
    CHECK(f.st->journal_head() == head_seq);
    CHECK(!f.st->find_zone_by_name(dns::Name::parse("example.org.")));
}

TEST_CASE("a record written twice in a file is read once, with a note (RFC 2181 §5)")
{
    test::StoreFixture f;
    std::string text = "@ 300 IN SOA a. b. 1 2 3 4 5\n@ 300 IN NS ns.example.net.\n"
                       "x 300 IN A 192.0.2.9\n"
                       "x 300 IN A 192.0.2.9\n"
                       "x 600 IN A 192.0.2.10\n"
                       "c IN CNAME Target.example.net.\n"
                       "c IN CNAME target.EXAMPLE.net.\n";
    auto zone = parse(text);
    CHECK(zone.records.size() == 3);
    CHECK(zone.notes ==
          std::vector<std::string>{
              "example.org.zone:4: the same record as line 3, read once (RFC 2181 §5)",
              "example.org.zone:7: the same record as line 6, read once (RFC 2181 §5)"});
    auto z = f.st->import_zone(zone, false);
    CHECK(f.st->list_records(z.id, {dns::Name::parse("x.example.org."), {}}).size() == 2);
    // Through the store's own rules a second identical record is still refused.
    std::string head = "@ 300 IN SOA a. b. 1 2 3 4 5\n@ 300 IN NS ns.example.net.\n";
    store::ZoneImport twice = parse(head + "x 300 IN A 192.0.2.9\n");
    twice.records.push_back(twice.records.front());
    CHECK_THROWS_WITH(f.st->import_zone(twice, true),
                      doctest::Contains("An identical record already exists."));
}

TEST_CASE("import keeps any RFC 2181 TTL; a literal 1 is automatic")
{
    test::StoreFixture f;
    auto z = f.st->import_zone(parse("@ 0 IN SOA a. b. 1 2 3 4 5\n@ 0 IN NS ns.example.net.\n"
                                     "zero 0 IN A 192.0.2.1\none 1 IN A 192.0.2.2\n"
                                     "max 2147483647 IN A 192.0.2.3\n"),
                               false);
    auto ttl_of = [&](const char* n) {
        return f.st->list_records(z.id, {dns::Name::parse(n), {}}).front().ttl;
    };
    CHECK(ttl_of("zero.example.org.") == 0);
    CHECK(ttl_of("one.example.org.") == 1);
    CHECK(ttl_of("max.example.org.") == 2147483647u);
    auto src = f.st->load_zone_source(z.id);
    for (const auto& r : src.records) {
        if (r.owner == dns::Name::parse("one.example.org.")) {
            CHECK(r.ttl == 300);
        }
    }
}

TEST_CASE("import keeps a CNAME to its own name, which Knot and NSD load too")
{
    test::StoreFixture f;
    auto z = f.st->import_zone(parse("@ 300 IN SOA a. b. 1 2 3 4 5\n@ 300 IN NS ns.example.net.\n"
                                     "loop1 300 IN CNAME loop1\n"),
                               false);
    CHECK(f.st->list_records(z.id, {dns::Name::parse("loop1.example.org."), {}}).size() == 1);
}

TEST_CASE("an existing zone is replaced only with replace, in one transaction")
{
    test::StoreFixture f;
    auto z = f.st->import_zone(parse(kZone), false);
    auto before = keys(f.st->list_records(z.id, {}));
    std::string err = import_error(*f.st, kZone);
    CHECK(err.find("already exists") != std::string::npos);
    // A bad replacement leaves the zone whole.
    std::string bad = std::string(kZone) + "bad IN AAAA 1.2.3.4\n";
    CHECK(import_error(*f.st, bad, true).find(": content: ") != std::string::npos);
    CHECK(keys(f.st->list_records(z.id, {})) == before);
    auto head = f.st->journal_head();
    auto r = f.st->import_zone(parse("@ 300 IN SOA ns1.example.net. h.example.org. 5 2 3 4 5\n"
                                     "@ 300 IN NS ns9.example.net.\nonly IN A 192.0.2.99\n"),
                               true);
    CHECK(r.id == z.id);
    CHECK(r.public_id == z.public_id);
    // The file's serial 5 would go backwards: the zone moves forward instead (RFC 1982).
    CHECK(r.soa.serial == 2024050702);
    CHECK(r.name_servers == std::vector<dns::Name>{dns::Name::parse("ns9.example.net.")});
    CHECK(f.st->list_records(z.id, {}).size() == 1);
    auto j = f.st->journal_since(head, 10);
    REQUIRE(j.size() == 1);
    CHECK(j[0].kind == store::JournalEntry::Kind::ZoneReplaced);
}

TEST_CASE("export then re-import gives the same records")
{
    test::StoreFixture f;
    auto z = f.st->import_zone(parse(kZone), false);
    // Records made through the API too: comments, tags, flattening, priority.
    store::RecordInput in{"@", "CNAME", "x.example.net", {}, 1, false, false, {}, {}};
    f.st->delete_record(z.id, f.st->list_records(z.id, {z.origin, dns::rrtype::A}).front().id);
    f.st->delete_record(z.id, f.st->list_records(z.id, {z.origin, dns::rrtype::AAAA}).front().id);
    f.st->create_record(z.id, in);
    store::RecordInput flat{"flat", "CNAME",  "y.example.net",         {}, 300, false,
                            true,   "a note", {"team:ops", "env:prod"}};
    f.st->create_record(z.id, flat);
    auto original = f.st->list_records(z.id, {});
    std::string text = store::export_zone(*f.st->find_zone(z.id), original);
    CHECK(text.find("www.example.org.\t1\tIN\tA\t198.51.100.7 ; cf_tags=cf-proxied:true") !=
          std::string::npos);
    CHECK(text.find("example.org.\t1\tIN\tCNAME\tx.example.net. ; cf_tags=cf-flatten-cname") !=
          std::string::npos);
    CHECK(text.find("; a note cf_tags=cf-flatten-cname,team:ops,env:prod") != std::string::npos);
    CHECK(text.find("$ORIGIN example.org.") < text.find("IN\tSOA"));
    CHECK(text.find("IN\tSOA") < text.find("IN\tNS"));
    CHECK(text.find("IN\tNS") < text.find("IN\tA\t"));
    test::StoreFixture g;
    auto z2 = g.st->import_zone(parse(text, "export.zone"), false);
    auto again = g.st->list_records(z2.id, {});
    REQUIRE(again.size() == original.size());
    auto k1 = keys(again), k2 = keys(original);
    for (std::size_t i = 0; i < k1.size(); ++i) {
        CHECK_MESSAGE(k1[i] == k2[i], std::get<0>(k1[i]) << " / " << std::get<0>(k2[i]) << " "
                                                         << std::get<1>(k2[i]));
    }
    CHECK(z2.soa.serial == f.st->find_zone(z.id)->soa.serial);
    CHECK(z2.name_servers == z.name_servers);
}

TEST_CASE("cf_tags comments: comment text, tags and Cloudflare's own tags")
{
    auto c = store::parse_cf_comment("hello world cf_tags=cf-proxied:true,a:b");
    CHECK(c.comment == "hello world");
    CHECK(c.tags == std::vector<std::string>{"cf-proxied:true", "a:b"});
    c = store::parse_cf_comment("cf_tags=cf-flatten-cname");
    CHECK(!c.comment);
    CHECK(c.tags == std::vector<std::string>{"cf-flatten-cname"});
    c = store::parse_cf_comment("just a comment");
    CHECK(c.comment == "just a comment");
    CHECK(c.tags.empty());
    c = store::parse_cf_comment("");
    CHECK(!c.comment);
}

TEST_CASE("zone-file lines and comments belong to the right record (blank lines, parens)")
{
    std::string text = "$ORIGIN example.org.\n"                       // 1
                       "@ IN SOA a. b. 1 2 3 4 5 ; soa\n"             // 2
                       "; a comment line\n"                           // 3
                       "\n"                                           // 4
                       "x IN TXT ( \"a\"\n"                           // 5
                       "   \"b\" )   ; end of x\n"                    // 6
                       "\n\n"                                         // 7, 8
                       "y IN A 192.0.2.1 ; cf_tags=cf-proxied:true\n" // 9
                       "z IN A 192.0.2.2";                            // 10, no final newline
    auto recs = dns::read_zone_file(text, dns::Name::parse("example.org."), "f");
    REQUIRE(recs.size() == 4);
    CHECK(recs[0].line == 2);
    CHECK(recs[0].comment == "soa");
    CHECK(recs[1].line == 6);
    CHECK(recs[1].comment == "end of x");
    CHECK(recs[2].line == 9);
    CHECK(recs[2].comment == "cf_tags=cf-proxied:true");
    CHECK(recs[3].line == 10);
    CHECK(recs[3].comment.empty());
    CHECK_THROWS_WITH(dns::read_zone_file("a IN A 192.0.2.1\n\nb IN A 1.2\n\n",
                                          dns::Name::parse("example.org."), "f"),
                      doctest::Contains("f:3: "));
}

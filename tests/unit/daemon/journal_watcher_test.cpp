// journal_watcher_test.cpp -- dnsd/journal_watcher on a real SQLite store in a temp dir (no
// sockets): a write through another Store connection is published by one poll, only the
// changed zone is rebuilt and its unchanged nodes are shared, deletes and creates follow, and
// a zone that stops compiling keeps its previous version served.
#include "dnsd/journal_watcher.hpp"
#include "zonestore/db/database.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <spdlog/spdlog.h>

using namespace nuage;
using namespace std::chrono_literals;

namespace {

struct TempDir {
    TempDir()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "nuage-jw-XXXXXX").string();
        REQUIRE(mkdtemp(tmpl.data()));
        path = tmpl;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::filesystem::path path;
};

dns::Name name(const char* text)
{
    return dns::Name::parse(text);
}

std::int64_t make_zone(store::Store& s, const char* origin)
{
    store::ZoneCreate z;
    z.name = origin;
    z.name_servers = {name("ns1.example.net."), name("ns2.example.net.")};
    return s.create_zone(z).id;
}

store::Record add(store::Store& s, std::int64_t zone, const char* owner, const char* type,
                  const char* content)
{
    store::RecordInput in;
    in.name = owner;
    in.type = type;
    in.content = content;
    in.ttl = 300;
    return s.create_record(zone, in);
}

const snapshot::Node* node(const snapshot::CatalogRef& cat, std::int64_t zone, const char* n)
{
    auto z = cat->zone_by_id(zone);
    return z ? z->nodes.find(name(n)) : nullptr;
}

// A writer (as `dnsctl` in another process), the daemon's side, and its watcher.
struct Setup {
    Setup()
    {
        spdlog::set_level(spdlog::level::off); // errors are expected in some cases
        db = (dir.path / "nuage.sqlite").string();
        writer = store::Store::open(db);
        a = make_zone(*writer, "a.example");
        b = make_zone(*writer, "b.example");
        add(*writer, a, "www.a.example", "A", "192.0.2.1");
        add(*writer, a, "mail.a.example", "A", "192.0.2.2");
        add(*writer, b, "www.b.example", "A", "198.51.100.1");
        auto daemon_store = store::Store::open(db);
        std::int64_t head = daemon_store->journal_head();
        publisher = std::make_unique<dnsd::Publisher>(dnsd::compile_catalog(*daemon_store, 1));
        watcher = std::make_unique<dnsd::JournalWatcher>(std::move(daemon_store), *publisher, head);
    }
    ~Setup() { spdlog::set_level(spdlog::level::info); }
    snapshot::CatalogRef current() { return publisher->current(); }

    TempDir dir;
    std::string db;
    std::unique_ptr<store::Store> writer;
    std::int64_t a = 0, b = 0;
    std::unique_ptr<dnsd::Publisher> publisher;
    std::unique_ptr<dnsd::JournalWatcher> watcher;
};

} // namespace

TEST_CASE("the first compile serves every zone")
{
    Setup s;
    auto cat = s.current();
    CHECK(cat->zones().size() == 2);
    CHECK(node(cat, s.a, "www.a.example.") != nullptr);
    CHECK(node(cat, s.b, "www.b.example.") != nullptr);
    CHECK(s.watcher->poll_once() == 0); // nothing new since the head
}

TEST_CASE("a record added elsewhere is published by one poll, only its zone rebuilt")
{
    Setup s;
    auto before = s.current();
    add(*s.writer, s.a, "new.a.example", "A", "192.0.2.3");
    CHECK(s.watcher->poll_once() == 1);
    auto after = s.current();
    REQUIRE(after != before);
    CHECK(node(after, s.a, "new.a.example.") != nullptr);
    CHECK(node(before, s.a, "new.a.example.") == nullptr); // the old snapshot is untouched
    // Zone b was not recompiled: the very same ZoneData is shared.
    CHECK(after->zone_by_id(s.b) == before->zone_by_id(s.b));
    // In zone a, the unchanged names' nodes are shared with the old snapshot.
    CHECK(node(after, s.a, "mail.a.example.") == node(before, s.a, "mail.a.example."));
    CHECK(after->zone_by_id(s.a)->serial > before->zone_by_id(s.a)->serial);
    CHECK(s.watcher->poll_once() == 0);
}

TEST_CASE("edits and deletes of records follow")
{
    Setup s;
    auto r = add(*s.writer, s.a, "tmp.a.example", "TXT", "\"hello\"");
    store::RecordInput in;
    in.name = "tmp.a.example";
    in.type = "TXT";
    in.content = "\"bye\"";
    in.ttl = 300;
    s.writer->update_record(s.a, r.id, in);
    CHECK(s.watcher->poll_once() == 2); // two entries, one publish
    const snapshot::Node* n = node(s.current(), s.a, "tmp.a.example.");
    REQUIRE(n != nullptr);
    REQUIRE(n->find(16) != nullptr);
    s.writer->delete_record(s.a, r.id);
    CHECK(s.watcher->poll_once() == 1);
    n = node(s.current(), s.a, "tmp.a.example.");
    CHECK((n == nullptr || n->find(16) == nullptr));
}

TEST_CASE("zones created and deleted elsewhere appear and disappear")
{
    Setup s;
    std::int64_t c = make_zone(*s.writer, "c.example");
    add(*s.writer, c, "www.c.example", "AAAA", "2001:db8::1");
    s.writer->delete_zone(s.b);
    CHECK(s.watcher->poll_once() == 3);
    auto cat = s.current();
    CHECK(cat->zones().size() == 2);
    CHECK(cat->zone_by_id(s.b) == nullptr);
    CHECK(node(cat, c, "www.c.example.") != nullptr);
    CHECK(cat->find_zone(name("x.b.example.")) == nullptr);
}

TEST_CASE("a zone that fails to compile keeps its previous version served")
{
    Setup s;
    auto before = s.current();
    {
        // Rows the store's rules would refuse, written behind its back: an SOA below the apex.
        db::Database raw(s.db);
        dns::Name owner = name("bad.a.example.");
        raw.exec("INSERT INTO records (public_id, zone_id, name, owner, type, content, ttl, "
                 "created_on, modified_on, rdata) VALUES ('" +
                 std::string(32, 'f') + "', " + std::to_string(s.a) + ", 'bad.a.example', x'" +
                 [&] {
                     std::string hex;
                     for (unsigned char ch : owner.wire()) {
                         char b[3];
                         std::snprintf(b, sizeof b, "%02x", ch);
                         hex += b;
                     }
                     return hex;
                 }() +
                 "', 6, 'x', 300, 'now', 'now', x'00')");
    }
    // A full reload of zone a (settings change) now meets the bad row.
    s.writer->set_cname_flattening(s.a, store::CnameFlattening::FlattenAll);
    CHECK(s.watcher->poll_once() == 1);
    auto after = s.current();
    CHECK(after->zone_by_id(s.a) == before->zone_by_id(s.a));
    CHECK(node(after, s.a, "www.a.example.") != nullptr);
    // Later changes to other zones still go through.
    add(*s.writer, s.b, "ok.b.example", "A", "198.51.100.2");
    CHECK(s.watcher->poll_once() == 1);
    CHECK(node(s.current(), s.b, "ok.b.example.") != nullptr);
}

TEST_CASE("the watcher thread publishes within a second, and stops")
{
    Setup s;
    s.watcher->start();
    auto t0 = std::chrono::steady_clock::now();
    add(*s.writer, s.a, "live.a.example", "A", "192.0.2.9");
    while (!node(s.current(), s.a, "live.a.example.") &&
           std::chrono::steady_clock::now() - t0 < 5s) {
        std::this_thread::sleep_for(10ms);
    }
    CHECK(node(s.current(), s.a, "live.a.example.") != nullptr);
    CHECK(std::chrono::steady_clock::now() - t0 < 1s);
    s.watcher->stop();
}

TEST_CASE("the journal is pruned behind the watcher; a reader left behind reloads every zone")
{
    Setup s;
    // A second daemon on the same database, which has not read anything yet.
    auto late_store = store::Store::open(s.db);
    std::int64_t late_head = late_store->journal_head();
    dnsd::Publisher late_publisher(dnsd::compile_catalog(*late_store, 1));
    dnsd::JournalWatcher late(std::move(late_store), late_publisher, late_head);

    dnsd::JournalWatcher::Options o;
    o.journal_keep = 3;
    o.prune_interval = 0ms;
    auto st = store::Store::open(s.db);
    std::int64_t head = st->journal_head();
    dnsd::Publisher publisher(dnsd::compile_catalog(*st, 1));
    dnsd::JournalWatcher pruning(std::move(st), publisher, head, o);

    for (int i = 0; i < 10; ++i) {
        add(*s.writer, s.a, ("n" + std::to_string(i) + ".a.example").c_str(), "A", "192.0.2.9");
    }
    auto deleted = add(*s.writer, s.b, "gone.b.example", "A", "198.51.100.9");
    s.writer->delete_record(s.b, deleted.id);
    CHECK(pruning.poll_once() == 12);
    CHECK(node(publisher.current(), s.a, "n9.a.example.") != nullptr);
    std::int64_t last = pruning.last_seq();
    auto left = s.writer->journal_since(0, 100);
    REQUIRE(left.size() == 3); // only the newest journal_keep entries stay
    CHECK(left.front().seq == last - 2);

    // The late reader's next entry is gone: it reloads every zone and misses nothing.
    auto before = late_publisher.current();
    CHECK(late.poll_once() == 3);
    CHECK(late.last_seq() == last);
    auto after = late_publisher.current();
    for (int i = 0; i < 10; ++i) {
        CHECK(node(after, s.a, ("n" + std::to_string(i) + ".a.example.").c_str()) != nullptr);
    }
    CHECK(node(after, s.b, "gone.b.example.") == nullptr);
    CHECK(node(after, s.b, "www.b.example.") != nullptr);
    CHECK(after->zone_by_id(s.a)->serial > before->zone_by_id(s.a)->serial);

    // The newest entry always stays, whatever the watcher asks: it tells readers where they are.
    CHECK(s.writer->prune_journal(last + 100) == 2);
    CHECK(s.writer->journal_head() == last);
}

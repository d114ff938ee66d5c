// The database layer: file modes, transactions, migrations and the errors dnsd stops on.
#include "tests/unit/store/store_fixture.hpp"
#include "zonestore/db/migrate.hpp"
#include "zonestore/db/transaction.hpp"

#include <fstream>
#include <sys/stat.h>

using namespace nuage;

namespace {

unsigned mode_of(const std::string& path)
{
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

std::int64_t count_rows(db::Database& d, const char* table)
{
    db::Statement st(d.handle(), std::string("SELECT count(*) FROM ") + table);
    st.step();
    return st.int64(0);
}

} // namespace

TEST_CASE("the database and its WAL are created mode 0600, whatever the umask")
{
    test::TempDir dir;
    std::string path = dir.file("nuage.sqlite");
    mode_t old = ::umask(0); // the most permissive umask: 0600 must not depend on it
    auto st = store::Store::open(path);
    ::umask(old);
    store::ZoneCreate req{"example.com", {dns::Name::parse("ns1.example.net.")}, {}};
    st->create_zone(req); // a write: the WAL and shared-memory files exist now
    CHECK(mode_of(path) == 0600);
    CHECK(mode_of(path + "-wal") == 0600);
    CHECK(mode_of(path + "-shm") == 0600);
    std::string copy = dir.file("backup.sqlite");
    st->backup(copy);
    CHECK(mode_of(copy) == 0600);
    auto restored = store::Store::open(copy);
    CHECK(restored->list_zones().size() == 1);
}

TEST_CASE("WAL, foreign keys and the busy timeout are on")
{
    test::TempDir dir;
    db::Database d(dir.file("x.sqlite"));
    db::Statement jm(d.handle(), "PRAGMA journal_mode");
    jm.step();
    CHECK(jm.text(0) == "wal");
    db::Statement fk(d.handle(), "PRAGMA foreign_keys");
    fk.step();
    CHECK(fk.int64(0) == 1);
    db::Statement bt(d.handle(), "PRAGMA busy_timeout");
    bt.step();
    CHECK(bt.int64(0) == db::Database::kBusyTimeoutMs);
    db::Statement sy(d.handle(), "PRAGMA synchronous");
    sy.step();
    CHECK(sy.int64(0) == 1); // NORMAL
}

TEST_CASE("a transaction rolls back unless committed")
{
    test::TempDir dir;
    db::Database d(dir.file("x.sqlite"));
    d.exec("CREATE TABLE t (v INTEGER)");
    {
        db::Transaction tx(d);
        d.exec("INSERT INTO t VALUES (1)");
        CHECK(count_rows(d, "t") == 1);
    }
    CHECK(count_rows(d, "t") == 0);
    CHECK(!d.in_transaction());
    try {
        db::Transaction tx(d);
        d.exec("INSERT INTO t VALUES (1)");
        throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    CHECK(count_rows(d, "t") == 0);
    {
        db::Transaction tx(d);
        d.exec("INSERT INTO t VALUES (2)");
        tx.commit();
    }
    CHECK(count_rows(d, "t") == 1);
    db::Transaction outer(d);
    CHECK_THROWS_AS(db::Transaction{d}, db::DbError);
}

TEST_CASE("migrations: numbered, all in one transaction, a newer schema refused")
{
    test::TempDir dir;
    std::string path = dir.file("m.sqlite");
    {
        db::Database d(path);
        db::migrate(d);
        CHECK(db::schema_version(d) == db::latest_schema_version());
        CHECK(db::latest_schema_version() >= 1);
        db::migrate(d); // idempotent
        CHECK(db::schema_version(d) == db::latest_schema_version());
    }
    SUBCASE("a failing migration leaves nothing of any pending one")
    {
        test::TempDir d2;
        db::Database d(d2.file("f.sqlite"));
        const db::Migration ms[] = {{1, "0001_ok", "CREATE TABLE a (x INTEGER);"},
                                    {2, "0002_bad", "CREATE TABLE b (x INTEGER); NOT SQL;"}};
        CHECK_THROWS_WITH_AS(db::migrate(d, ms), doctest::Contains("0002_bad"), db::DbError);
        CHECK(db::schema_version(d) == 0);
        CHECK_THROWS_AS(count_rows(d, "a"), db::DbError); // 0001 was rolled back too
        const db::Migration gap[] = {{1, "0001_ok", "SELECT 1;"}, {3, "0003_x", "SELECT 1;"}};
        CHECK_THROWS_WITH_AS(db::migrate(d, gap), doctest::Contains("out of sequence"),
                             db::DbError);
    }
    SUBCASE("a database newer than this build is refused, naming the file")
    {
        {
            db::Database d(path);
            d.exec("PRAGMA user_version = 999");
        }
        CHECK_THROWS_WITH_AS(store::Store::open(path),
                             doctest::Contains((path + " has schema version 999").c_str()),
                             store::StoreError);
    }
}

TEST_CASE("a file that cannot be a database stops the store with the file's name")
{
    test::TempDir dir;
    std::string junk = dir.file("junk.sqlite");
    {
        std::ofstream f(junk);
        f << std::string(4096, 'x');
    }
    CHECK_THROWS_WITH_AS(store::Store::open(junk), doctest::Contains(junk.c_str()),
                         store::StoreError);
    std::string missing_dir = dir.file("no/such/dir/db.sqlite");
    CHECK_THROWS_WITH_AS(store::Store::open(missing_dir), doctest::Contains(missing_dir.c_str()),
                         store::StoreError);
    if (::geteuid() != 0) { // root ignores file modes
        std::string ro = dir.file("ro.sqlite");
        store::Store::open(ro).reset();
        ::chmod(ro.c_str(), 0400);
        CHECK_THROWS_WITH_AS(store::Store::open(ro), doctest::Contains(ro.c_str()),
                             store::StoreError);
    }
}

TEST_CASE("a record of a deleted zone goes with it (ON DELETE CASCADE)")
{
    test::StoreFixture f;
    f.add("www", "A", "192.0.2.1");
    f.st->delete_zone(f.zone);
    CHECK(!f.st->find_zone(f.zone));
    db::Database d(f.db_path);
    CHECK(count_rows(d, "records") == 0);
    CHECK_THROWS_AS(f.st->delete_zone(f.zone), store::NotFound);
}

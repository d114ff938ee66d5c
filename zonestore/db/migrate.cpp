#include "zonestore/db/migrate.hpp"

#include "zonestore/db/transaction.hpp"

#include <sqlite3.h>

namespace nuage::db {

int latest_schema_version()
{
    auto all = builtin_migrations();
    return all.empty() ? 0 : all.back().version;
}

int schema_version(Database& db)
{
    Statement st(db.handle(), "PRAGMA user_version");
    st.step();
    return static_cast<int>(st.int64(0));
}

void migrate(Database& db, std::span<const Migration> migrations)
{
    int known = 0;
    for (const auto& m : migrations) {
        if (m.version != known + 1) {
            throw DbError("migration " + std::string(m.name) + " is out of sequence (expected " +
                              std::to_string(known + 1) + ")",
                          SQLITE_INTERNAL);
        }
        known = m.version;
    }
    // Read and write the version under the write lock, so that two processes starting at
    // once do not both migrate.
    Transaction tx(db);
    int current = schema_version(db);
    if (current > known) {
        throw DbError("database " + db.path() + " has schema version " + std::to_string(current) +
                          ", newer than this build knows (" + std::to_string(known) +
                          "); use a newer Nuage",
                      SQLITE_ERROR);
    }
    for (const auto& m : migrations) {
        if (m.version <= current) {
            continue;
        }
        try {
            db.exec(m.sql);
        } catch (const DbError& e) {
            throw DbError("migration " + std::string(m.name) + " failed: " + e.what(), e.code);
        }
        // PRAGMA takes no parameters; the value is our own integer.
        db.exec("PRAGMA user_version = " + std::to_string(m.version));
    }
    tx.commit();
}

} // namespace nuage::db

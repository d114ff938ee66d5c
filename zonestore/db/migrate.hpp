// migrate.hpp -- versioned schema migrations. Each migration is a numbered SQL file under
// zonestore/db/migrations/ (NNNN_name.sql), embedded in the binary at build time. The schema
// version lives in PRAGMA user_version; pending migrations run in one transaction, so a
// database is either at its old version or fully at the new one.
#pragma once

#include "zonestore/db/database.hpp"

#include <span>

namespace nuage::db {

struct Migration {
    int version;      // 1, 2, ...: the version the schema has once this migration ran
    const char* name; // the file's name without .sql, for messages
    const char* sql;
};

// Every migration this build knows, in order (generated from migrations/*.sql).
std::span<const Migration> builtin_migrations();

// The schema version the newest migration gives.
int latest_schema_version();

int schema_version(Database& db);

// Brings `db` to the newest version. Throws DbError when a migration fails (nothing of it is
// kept) or when the database's version is newer than this build knows.
void migrate(Database& db, std::span<const Migration> migrations = builtin_migrations());

} // namespace nuage::db

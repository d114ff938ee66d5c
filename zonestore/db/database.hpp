// database.hpp -- one SQLite connection set up the way Nuage needs it: WAL, foreign keys,
// a 5 s busy timeout, synchronous=NORMAL, files created mode 0600 (they hold origin addresses
// and token hashes, DESIGN §4), and a cache of prepared statements. Not thread-safe: one
// Database per thread; WAL lets connections in other threads and processes share the file.
#pragma once

#include "zonestore/db/statement.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nuage::db {

// A cached statement in use: reset when it goes out of scope, so that no read transaction
// stays open behind an unfinished SELECT (in WAL mode that would pin an old snapshot).
class StatementUse {
public:
    explicit StatementUse(Statement& s) : s_(&s) {}
    ~StatementUse() { s_->reset(); }
    StatementUse(const StatementUse&) = delete;
    StatementUse& operator=(const StatementUse&) = delete;
    Statement* operator->() const { return s_; }
    Statement& operator*() const { return *s_; }

private:
    Statement* s_;
};

class Database {
public:
    static constexpr int kBusyTimeoutMs = 5000;

    // Opens `path`, creating it (mode 0600) when missing, and applies the pragmas.
    // Throws DbError naming the file when it cannot be opened, is read-only, or is not a
    // database.
    explicit Database(std::string path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::string& path() const { return path_; }
    sqlite3* handle() const { return db_; }

    // Runs one or more statements that return no rows.
    void exec(std::string_view sql);
    // The prepared statement for `sql`, prepared on first use and reset after each use.
    StatementUse cached(std::string_view sql);
    std::int64_t last_insert_rowid() const;
    // Rows changed by the last INSERT, UPDATE or DELETE.
    int changes() const;
    bool in_transaction() const;

    // Copies the whole database to `dest` (created mode 0600) with SQLite's online backup
    // API: a consistent snapshot, safe while other connections write. Throws DbError.
    void backup_to(const std::string& dest);

private:
    void configure();
    std::string path_;
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// Creates `path` mode 0600 if it does not exist yet (so SQLite never creates it with the
// process umask), and tightens the mode of a file that we just created. Used for the
// database, its backups and their -wal/-shm companions.
void ensure_private_file(const std::string& path);

} // namespace nuage::db

#include "zonestore/db/statement.hpp"

#include <sqlite3.h>

namespace nuage::db {

void check(sqlite3* db, int rc, std::string_view what)
{
    if (rc == SQLITE_OK) {
        return;
    }
    std::string msg(what);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw DbError(msg, rc);
}

Statement::Statement(sqlite3* db, std::string_view sql, bool persistent)
{
    unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
    int rc =
        sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), flags, &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
        check(db, rc, "cannot prepare \"" + std::string(sql.substr(0, 60)) + "\"");
    }
}

Statement::~Statement()
{
    sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& o) noexcept : stmt_(o.stmt_)
{
    o.stmt_ = nullptr;
}

void Statement::check_bind(int rc, int idx)
{
    if (rc != SQLITE_OK) {
        check(sqlite3_db_handle(stmt_), rc, "cannot bind parameter " + std::to_string(idx));
    }
}

Statement& Statement::bind(int idx, std::int64_t v)
{
    check_bind(sqlite3_bind_int64(stmt_, idx, v), idx);
    return *this;
}

Statement& Statement::bind(int idx, std::string_view text)
{
    check_bind(
        sqlite3_bind_text64(stmt_, idx, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        idx);
    return *this;
}

Statement& Statement::bind(int idx, Blob blob)
{
    // A zero-length blob must still be a BLOB, not NULL: give SQLite a non-null pointer.
    const char* p = blob.bytes.empty() ? "" : blob.bytes.data();
    check_bind(sqlite3_bind_blob64(stmt_, idx, p, blob.bytes.size(), SQLITE_TRANSIENT), idx);
    return *this;
}

Statement& Statement::bind(int idx, std::nullopt_t)
{
    check_bind(sqlite3_bind_null(stmt_, idx), idx);
    return *this;
}

bool Statement::step()
{
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    sqlite3* db = sqlite3_db_handle(stmt_);
    std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
    std::string msg = "\"" + sql.substr(0, 60) + "\" failed: " + sqlite3_errmsg(db);
    sqlite3_reset(stmt_);
    throw DbError(msg, rc);
}

void Statement::run()
{
    while (step()) {
    }
}

void Statement::reset() noexcept
{
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int col) const
{
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::int64_t Statement::int64(int col) const
{
    return sqlite3_column_int64(stmt_, col);
}

std::string_view Statement::text(int col) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string_view(p, static_cast<std::size_t>(n)) : std::string_view();
}

std::string_view Statement::blob(int col) const
{
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string_view(p, static_cast<std::size_t>(n)) : std::string_view();
}

std::optional<std::string> Statement::optional_text(int col) const
{
    if (is_null(col)) {
        return std::nullopt;
    }
    return std::string(text(col));
}

} // namespace nuage::db

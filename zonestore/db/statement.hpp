// statement.hpp -- a prepared SQLite statement (RAII) and the error every database failure
// throws. Binding is by 1-based index; columns are read by 0-based index, as in SQLite's C API.
// Knows nothing of zones or records.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace nuage::db {

// Any failure of SQLite itself; what() names the operation and SQLite's message.
struct DbError : std::runtime_error {
    DbError(const std::string& what, int sqlite_code) : std::runtime_error(what), code(sqlite_code)
    {
    }
    int code;
};

// A value bound as a BLOB rather than TEXT.
struct Blob {
    std::string_view bytes;
};

class Statement {
public:
    // Prepares `sql` (one statement). `persistent`: the statement will be reused many times.
    Statement(sqlite3* db, std::string_view sql, bool persistent = false);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& o) noexcept;
    Statement& operator=(Statement&&) = delete;

    Statement& bind(int idx, std::int64_t v);
    Statement& bind(int idx, int v) { return bind(idx, static_cast<std::int64_t>(v)); }
    Statement& bind(int idx, std::uint32_t v) { return bind(idx, static_cast<std::int64_t>(v)); }
    Statement& bind(int idx, std::uint16_t v) { return bind(idx, static_cast<std::int64_t>(v)); }
    Statement& bind(int idx, bool v) { return bind(idx, static_cast<std::int64_t>(v ? 1 : 0)); }
    Statement& bind(int idx, std::string_view text);
    Statement& bind(int idx, const char* text) { return bind(idx, std::string_view(text)); }
    Statement& bind(int idx, const std::string& text) { return bind(idx, std::string_view(text)); }
    Statement& bind(int idx, Blob blob);
    Statement& bind(int idx, std::nullopt_t);
    template <class T> Statement& bind(int idx, const std::optional<T>& v)
    {
        return v ? bind(idx, *v) : bind(idx, std::nullopt);
    }
    // Binds every argument in order, from index 1.
    template <class... Args> Statement& bind_all(const Args&... args)
    {
        int i = 0;
        (bind(++i, args), ...);
        return *this;
    }

    // Runs one step: true when a row is ready to read, false when the statement is done.
    bool step();
    // Runs to completion, ignoring any rows.
    void run();
    // Ready to run again: resets and clears every binding. Never throws.
    void reset() noexcept;

    bool is_null(int col) const;
    std::int64_t int64(int col) const;
    // Views stay valid until the next step() or reset().
    std::string_view text(int col) const;
    std::string_view blob(int col) const;
    std::optional<std::string> optional_text(int col) const;

    sqlite3_stmt* handle() const { return stmt_; }

private:
    void check_bind(int rc, int idx);
    sqlite3_stmt* stmt_ = nullptr;
};

// Throws DbError for `rc` unless it is SQLITE_OK, with `what` and the connection's message.
void check(sqlite3* db, int rc, std::string_view what);

} // namespace nuage::db

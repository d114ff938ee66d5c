#include "zonestore/db/database.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nuage::db {

namespace {

// Restores the process umask when it goes out of scope.
class UmaskGuard {
public:
    explicit UmaskGuard(mode_t m) : old_(::umask(m)) {}
    ~UmaskGuard() { ::umask(old_); }
    UmaskGuard(const UmaskGuard&) = delete;
    UmaskGuard& operator=(const UmaskGuard&) = delete;

private:
    mode_t old_;
};

std::string open_error(const std::string& path, const std::string& why)
{
    return "cannot open database " + path + ": " + why;
}

} // namespace

void ensure_private_file(const std::string& path)
{
    UmaskGuard mask(077);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
        ::chmod(path.c_str(), 0600);
        return;
    }
    if (errno != EEXIST) {
        throw DbError(open_error(path, std::strerror(errno)), SQLITE_CANTOPEN);
    }
}

Database::Database(std::string path) : path_(std::move(path))
{
    ensure_private_file(path_);
    {
        // SQLite creates -wal and -shm with the main file's mode; the umask covers the rest.
        UmaskGuard mask(077);
        int rc = sqlite3_open_v2(path_.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        if (rc != SQLITE_OK) {
            std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            db_ = nullptr;
            throw DbError(open_error(path_, why), rc);
        }
    }
    try {
        configure();
    } catch (const DbError& e) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw DbError(open_error(path_, e.what()), e.code);
    }
}

Database::~Database()
{
    cache_.clear(); // statements must be finalized before the connection closes
    sqlite3_close(db_);
}

void Database::configure()
{
    if (sqlite3_db_readonly(db_, "main") == 1) {
        throw DbError("the file is read-only", SQLITE_READONLY);
    }
    sqlite3_extended_result_codes(db_, 1);
    check(db_, sqlite3_busy_timeout(db_, kBusyTimeoutMs), "busy_timeout");
    // journal_mode answers with the mode it got: anything but "wal" is a failure.
    Statement wal(db_, "PRAGMA journal_mode=WAL");
    if (!wal.step() || wal.text(0) != "wal") {
        throw DbError("cannot switch to WAL mode", SQLITE_ERROR);
    }
    wal.reset();
    // A 64 MiB page cache (used only as needed): a large import or a whole-zone load does not
    // spill pages to the WAL and read them back.
    exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;");
    UmaskGuard mask(077);
    for (const char* suffix : {"-wal", "-shm"}) {
        std::string f = path_ + suffix;
        struct stat st {};
        if (::stat(f.c_str(), &st) == 0 && (st.st_mode & 077) != 0 && st.st_uid == ::getuid()) {
            ::chmod(f.c_str(), 0600);
        }
    }
}

void Database::exec(std::string_view sql)
{
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw DbError("\"" + s.substr(0, 60) + "\" failed: " + msg, rc);
    }
}

StatementUse Database::cached(std::string_view sql)
{
    auto it = cache_.find(std::string(sql));
    if (it == cache_.end()) {
        auto st = std::make_unique<Statement>(db_, sql, true);
        it = cache_.emplace(std::string(sql), std::move(st)).first;
    }
    return StatementUse(*it->second);
}

std::int64_t Database::last_insert_rowid() const
{
    return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const
{
    return sqlite3_changes(db_);
}

bool Database::in_transaction() const
{
    return sqlite3_get_autocommit(db_) == 0;
}

void Database::backup_to(const std::string& dest)
{
    ensure_private_file(dest);
    sqlite3* out = nullptr;
    UmaskGuard mask(077);
    int rc =
        sqlite3_open_v2(dest.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> guard(out, sqlite3_close);
    check(out, rc, "cannot open backup file " + dest);
    sqlite3_busy_timeout(out, kBusyTimeoutMs);
    sqlite3_backup* b = sqlite3_backup_init(out, "main", db_, "main");
    if (!b) {
        check(out, sqlite3_errcode(out), "cannot start the backup to " + dest);
    }
    // Copy in steps so that writers are not held off for a large database; a step that finds
    // the source busy or locked is retried after a short sleep (bounded by the busy timeout).
    int waited_ms = 0;
    do {
        rc = sqlite3_backup_step(b, 1024);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            if (waited_ms >= kBusyTimeoutMs) {
                break;
            }
            sqlite3_sleep(10);
            waited_ms += 10;
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    int fin = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        throw DbError("backup to " + dest + " failed: " + sqlite3_errstr(rc), rc);
    }
    check(out, fin, "backup to " + dest + " failed");
}

} // namespace nuage::db

#include "zonestore/db/transaction.hpp"

#include <sqlite3.h>

namespace nuage::db {

Transaction::Transaction(Database& db) : db_(db)
{
    if (db_.in_transaction()) {
        throw DbError("a transaction is already open on " + db_.path(), SQLITE_MISUSE);
    }
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!done_ && db_.in_transaction()) {
        // Never throws from a destructor: a failed rollback leaves SQLite to roll back when
        // the connection closes.
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit()
{
    db_.exec("COMMIT");
    done_ = true;
}

ReadTransaction::ReadTransaction(Database& db) : db_(db)
{
    if (db_.in_transaction()) {
        throw DbError("a transaction is already open on " + db_.path(), SQLITE_MISUSE);
    }
    db_.exec("BEGIN DEFERRED");
}

ReadTransaction::~ReadTransaction()
{
    if (db_.in_transaction()) {
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

} // namespace nuage::db

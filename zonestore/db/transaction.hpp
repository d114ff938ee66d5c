// transaction.hpp -- an RAII write transaction: BEGIN IMMEDIATE takes the write lock up front
// (so a busy database fails at the start, not half-way), and the destructor rolls back unless
// commit() was called. Every store write runs inside exactly one of these.
#pragma once

#include "zonestore/db/database.hpp"

namespace nuage::db {

class Transaction {
public:
    // Begins; throws DbError when the write lock cannot be had within the busy timeout or a
    // transaction is already open on this connection.
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    // Commits; after a failure the destructor still rolls back.
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

// A read transaction: several SELECTs see one snapshot of the database (WAL keeps it stable
// while writers commit). Ends (rolls back, nothing to undo) when it goes out of scope.
class ReadTransaction {
public:
    explicit ReadTransaction(Database& db);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;

private:
    Database& db_;
};

} // namespace nuage::db

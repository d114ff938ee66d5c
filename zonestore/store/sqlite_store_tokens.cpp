// The account and API tokens of the SQLite store (migration 0003): the account is made once
// and renamed from the configuration; tokens are found by the SHA-256 of their secret.
#include "zonestore/db/transaction.hpp"
#include "zonestore/dns/name.hpp"
#include "zonestore/store/clock_ids.hpp"
#include "zonestore/store/record_rules.hpp"
#include "zonestore/store/sqlite_store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace nuage::store {

namespace {

const char* const kTokenColumns = "public_id, name, permission, all_zones, zones, status, "
                                  "created_on, modified_on, revoked_on, last_used_on";

Token token_from_row(const db::Statement& st)
{
    Token t;
    t.public_id = st.text(0);
    t.name = st.text(1);
    t.permission = token_permission_from_string(st.text(2)).value_or(TokenPermission::Read);
    t.all_zones = st.int64(3) != 0;
    for (const auto& z : nlohmann::json::parse(st.text(4))) {
        t.zones.push_back(z.get<std::string>());
    }
    t.status = st.text(5);
    t.created_on = st.text(6);
    t.modified_on = st.text(7);
    t.revoked_on = st.optional_text(8);
    t.last_used_on = st.optional_text(9);
    return t;
}

// Zone names as the API shows them; refuses what is not a domain name (field "zones").
std::vector<std::string> zone_names(const std::vector<std::string>& in)
{
    static const dns::Name root;
    std::vector<std::string> out;
    for (const auto& z : in) {
        std::string why;
        auto n = dns::Name::from_text(z, &root, &why);
        if (!n || n->is_root()) {
            refuse("zones", "'" + z + "' is not a zone name" + (why.empty() ? "" : ": " + why));
        }
        out.push_back(n->to_text_no_dot());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace

Account SqliteStore::ensure_account(const std::string& name)
{
    if (name.empty()) {
        refuse("account.name", "the account needs a name");
    }
    return guarded([&] {
        db::Transaction tx(db_);
        Account a;
        auto st = db_.cached("SELECT public_id, name, created_on FROM account WHERE id = 1");
        if (st->step()) {
            a = {std::string(st->text(0)), std::string(st->text(1)), std::string(st->text(2))};
        }
        st->reset();
        if (a.public_id.empty()) {
            a = {new_public_id(), name, now_rfc3339()};
            db_.cached("INSERT INTO account (id, public_id, name, created_on) VALUES (1, ?, ?, ?)")
                ->bind_all(a.public_id, a.name, a.created_on)
                .run();
        } else if (a.name != name) {
            a.name = name;
            db_.cached("UPDATE account SET name = ? WHERE id = 1")->bind(1, name).run();
        }
        tx.commit();
        return a;
    });
}

NewToken SqliteStore::create_token(const TokenCreate& req)
{
    if (req.name.empty()) {
        refuse("name", "a token needs a name");
    }
    if (!req.all_zones && req.zones.empty()) {
        refuse("zones", "name the zones the token may reach (or make it reach all zones)");
    }
    NewToken out;
    out.secret = new_token_secret();
    Token& t = out.token;
    t.public_id = new_public_id();
    t.name = req.name;
    t.permission = req.permission;
    t.all_zones = req.all_zones;
    t.zones = req.all_zones ? std::vector<std::string>{} : zone_names(req.zones);
    t.created_on = t.modified_on = now_rfc3339();
    guarded([&] {
        db::Transaction tx(db_);
        db_.cached("INSERT INTO api_tokens (public_id, name, secret_sha256, permission, "
                   "all_zones, zones, status, created_on, modified_on) "
                   "VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)")
            ->bind_all(t.public_id, t.name, db::Blob{token_secret_hash(out.secret)},
                       to_string(t.permission), t.all_zones, nlohmann::json(t.zones).dump(),
                       t.created_on, t.modified_on)
            .run();
        tx.commit();
    });
    return out;
}

std::vector<Token> SqliteStore::list_tokens()
{
    return guarded([&] {
        std::vector<Token> out;
        auto st = db_.cached(std::string("SELECT ") + kTokenColumns +
                             " FROM api_tokens ORDER BY created_on, id");
        while (st->step()) {
            out.push_back(token_from_row(*st));
        }
        return out;
    });
}

std::optional<Token> SqliteStore::find_token_by_secret(std::string_view secret)
{
    if (!is_token_secret(secret)) {
        return std::nullopt;
    }
    std::string hash = token_secret_hash(secret);
    return guarded([&]() -> std::optional<Token> {
        auto st = db_.cached(std::string("SELECT ") + kTokenColumns +
                             " FROM api_tokens WHERE secret_sha256 = ? AND status = 'active'");
        st->bind(1, db::Blob{hash});
        if (!st->step()) {
            return std::nullopt;
        }
        return token_from_row(*st);
    });
}

Token SqliteStore::revoke_token(const std::string& public_id)
{
    return guarded([&] {
        db::Transaction tx(db_);
        auto st = db_.cached(std::string("SELECT ") + kTokenColumns +
                             " FROM api_tokens WHERE public_id = ?");
        st->bind(1, public_id);
        if (!st->step()) {
            throw NotFound("no token with id " + public_id);
        }
        Token t = token_from_row(*st);
        st->reset();
        if (t.active()) {
            t.status = "revoked";
            t.modified_on = now_rfc3339();
            t.revoked_on = t.modified_on;
            db_.cached("UPDATE api_tokens SET status = 'revoked', modified_on = ?, revoked_on = ? "
                       "WHERE public_id = ?")
                ->bind_all(t.modified_on, *t.revoked_on, public_id)
                .run();
        }
        tx.commit();
        return t;
    });
}

void SqliteStore::note_token_used(const std::string& public_id, const std::string& when)
{
    guarded([&] {
        // RFC 3339 UTC times of one format compare as text.
        db_.cached("UPDATE api_tokens SET last_used_on = ?1 WHERE public_id = ?2 AND "
                   "(last_used_on IS NULL OR last_used_on < ?1)")
            ->bind_all(when, public_id)
            .run();
    });
}

} // namespace nuage::store

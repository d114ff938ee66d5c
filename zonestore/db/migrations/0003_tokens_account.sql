-- 0003: the installation's one account and its API tokens (API.md §3, §4; DESIGN §4).
-- A token's secret is never stored: only its SHA-256. A token reaches every zone
-- (all_zones = 1) or the zones named in `zones` (a JSON list of names, lowercase, no trailing
-- dot), for reading or for editing. A revoked token keeps its row (for `token list`) but
-- never authenticates again.

CREATE TABLE account (
    id         INTEGER PRIMARY KEY CHECK (id = 1),   -- one account per installation
    public_id  TEXT    NOT NULL CHECK (length(public_id) = 32),
    name       TEXT    NOT NULL,
    created_on TEXT    NOT NULL
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    public_id     TEXT    NOT NULL UNIQUE CHECK (length(public_id) = 32),
    name          TEXT    NOT NULL,
    secret_sha256 BLOB    NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
    permission    TEXT    NOT NULL CHECK (permission IN ('read', 'edit')),
    all_zones     INTEGER NOT NULL CHECK (all_zones IN (0, 1)),
    zones         TEXT    NOT NULL DEFAULT '[]',
    status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    created_on    TEXT    NOT NULL,
    modified_on   TEXT    NOT NULL,
    revoked_on    TEXT,
    CHECK (all_zones = 1 OR zones != '[]')
);

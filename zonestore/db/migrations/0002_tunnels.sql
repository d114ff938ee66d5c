-- 0002: the account's tunnels (DESIGN §2 "Tunnels", API.md §7). The secret is kept only as
-- the SHA-256 of its decoded bytes; status is computed when read, from the connection
-- report columns. A deleted tunnel stays (soft delete: deleted_at) so that the API can show it.
-- Times are RFC 3339 UTC with microseconds, as in 0001.

CREATE TABLE tunnels (
    id                INTEGER PRIMARY KEY,
    public_id         TEXT    NOT NULL UNIQUE CHECK (length(public_id) = 36),  -- UUID, lowercase
    name              TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    secret_hash       BLOB    NOT NULL CHECK (length(secret_hash) = 32),
    config_src        TEXT    NOT NULL DEFAULT 'local' CHECK (config_src IN ('local', 'cloudflare')),
    created_at        TEXT    NOT NULL,
    deleted_at        TEXT,
    conns_active_at   TEXT,               -- set while the last report listed connections
    conns_inactive_at TEXT,               -- set when a report listed none
    reported_at       TEXT,               -- the last connections report
    connections       TEXT    NOT NULL DEFAULT '[]'  -- JSON, as last reported
);

-- Names are unique among live tunnels only: a deleted tunnel's name may be taken again.
CREATE UNIQUE INDEX tunnels_live_name ON tunnels (name) WHERE deleted_at IS NULL;

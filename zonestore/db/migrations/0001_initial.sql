-- 0001: zones, their records and the change journal (DESIGN §2 "Records", "Zones"; §3).
-- Names are stored twice: `name` as the API shows it (lowercase, no trailing dot) and
-- `owner` as lowercase uncompressed wire bytes, the key of every lookup the daemon makes.
-- Times are RFC 3339 UTC with microseconds ("2022-01-26T16:59:34.585555Z").

CREATE TABLE zones (
    id               INTEGER PRIMARY KEY,
    public_id        TEXT    NOT NULL UNIQUE CHECK (length(public_id) = 32),
    name             TEXT    NOT NULL UNIQUE,
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active')),
    soa_mname        TEXT    NOT NULL,
    soa_rname        TEXT    NOT NULL,
    soa_serial       INTEGER NOT NULL CHECK (soa_serial BETWEEN 0 AND 4294967295),
    soa_refresh      INTEGER NOT NULL,
    soa_retry        INTEGER NOT NULL,
    soa_expire       INTEGER NOT NULL,
    soa_minimum      INTEGER NOT NULL,
    soa_ttl          INTEGER NOT NULL,
    name_servers     TEXT    NOT NULL DEFAULT '[]',   -- JSON list of names, no trailing dot
    ns_ttl           INTEGER NOT NULL DEFAULT 86400,
    cname_flattening TEXT    NOT NULL DEFAULT 'flatten_at_root'
                     CHECK (cname_flattening IN ('flatten_at_root', 'flatten_all')),
    edge_pool        TEXT,                            -- NULL: the default pool
    created_on       TEXT    NOT NULL,
    modified_on      TEXT    NOT NULL,
    activated_on     TEXT
);

CREATE TABLE records (
    id                  INTEGER PRIMARY KEY,
    public_id           TEXT    NOT NULL UNIQUE CHECK (length(public_id) = 32),
    zone_id             INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
    name                TEXT    NOT NULL,
    owner               BLOB    NOT NULL,
    type                INTEGER NOT NULL CHECK (type BETWEEN 1 AND 65535),
    content             TEXT    NOT NULL,             -- presentation, as the API shows it
    priority            INTEGER CHECK (priority BETWEEN 0 AND 65535),  -- MX and URI only
    ttl                 INTEGER NOT NULL CHECK (ttl BETWEEN 0 AND 2147483647),  -- 1: automatic
    proxied             INTEGER NOT NULL DEFAULT 0 CHECK (proxied IN (0, 1)),
    flatten_cname       INTEGER NOT NULL DEFAULT 0 CHECK (flatten_cname IN (0, 1)),
    settings            TEXT    NOT NULL DEFAULT '{}', -- other settings, JSON object
    comment             TEXT,
    tags                TEXT    NOT NULL DEFAULT '[]', -- JSON list of "name:value"
    created_on          TEXT    NOT NULL,
    modified_on         TEXT    NOT NULL,
    comment_modified_on TEXT,
    tags_modified_on    TEXT,
    rdata               BLOB    NOT NULL              -- uncompressed wire RDATA
);

-- Every read by name (the daemon's load_names, the rules' lookups) and the whole-zone load.
CREATE INDEX records_zone_owner ON records (zone_id, owner, type);

-- What changed, for other processes (dnsd notices offline dnsctl writes here). zone_id has
-- no foreign key: the entry of a deleted zone must outlive the zone.
CREATE TABLE journal (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id    INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('zone_created', 'zone_deleted', 'zone_replaced',
                                                'zone_settings', 'records')),
    names      BLOB    NOT NULL DEFAULT x'',  -- owner names, wire form, back to back
    created_on TEXT    NOT NULL
);

-- 0005: a zone's vanity name servers (API.md §4 `vanity_name_servers`): a JSON list of names
-- (lowercase, no trailing dot) shown to users. Display only: the apex NS RRset served and the
-- activation check keep using `name_servers`.

ALTER TABLE zones ADD COLUMN vanity_name_servers TEXT NOT NULL DEFAULT '[]';

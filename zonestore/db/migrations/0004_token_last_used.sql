-- 0004: when each API token was last used (API.md §3 `last_used_on`), RFC 3339 UTC with
-- microseconds like every time here; NULL until first used. The API writes it at most once a
-- minute per token; the DNS path never touches it.

ALTER TABLE api_tokens ADD COLUMN last_used_on TEXT;

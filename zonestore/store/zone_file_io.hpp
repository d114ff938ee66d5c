// zone_file_io.hpp -- BIND master files in and out of the store (DESIGN §4 import/export).
// In: a file's apex SOA (serial included) and apex NS become the zone's own settings, the rest
// its records, with Cloudflare's `cf_tags` comments read back (proxied, flattening, tags).
// Out: SOA and NS first, then the records grouped by type, in the format Cloudflare exports,
// which knotd and nsd load as it is.
#pragma once

#include "zonestore/store/model.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace nuage::store {

// Parses `text` (named `file` in messages) as the zone `origin`. Throws ImportError with the
// file and line (a missing SOA or apex NS has no line). A record written twice is read once,
// with a line in `notes` (RFC 2181 §5). Nothing is checked against the record rules here: the
// store does that when importing.
ZoneImport parse_zone_import(std::string_view text, const dns::Name& origin,
                             const std::string& file);

// The zone as stored: proxied records keep their origin content, tagged
// "; cf_tags=cf-proxied:true"; flattened CNAMEs (the apex, or their own setting) are tagged
// "cf-flatten-cname"; comments and tags travel in the trailing comment.
std::string export_zone(const Zone& zone, const std::vector<Record>& records);

// The flattened names' answers, as the daemon serves them (tools/dnsctl/public_export.cpp):
// their A/AAAA records, and the names whose target only the running daemon resolves.
struct PublicFlattened {
    std::vector<compile::SourceRecord> answers;
    std::vector<dns::Name> unresolved;
};

// What the world sees (`source` from Store::load_zone_source): SOA and NS synthesized, the
// served TTLs, no tags, flattened names with `flattened`'s addresses (never as CNAMEs).
// Always loads in knotd and nsd.
std::string export_public(const compile::ZoneSource& source, const PublicFlattened& flattened);

// "comment cf_tags=a,b" -> the comment and the tags; ("", {}) for an empty comment.
struct CfComment {
    std::optional<std::string> comment;
    std::vector<std::string> tags; // as written: "cf-proxied:true", "env:prod", ...
};
CfComment parse_cf_comment(std::string_view comment);

} // namespace nuage::store

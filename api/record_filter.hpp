// record_filter.hpp -- the list filters of GET /zones/:id/dns_records (API.md §5): name,
// content and comment (.exact/.contains/.startswith/.endswith, comment.present/.absent),
// tags (tag, tag.*, tag_match), type, proxied, search, match=all|any, order and direction.
// Name and content compare case-insensitively; a TXT content filter matches the quoted and
// the unquoted spelling alike (certbot looks its challenge up unquoted).
#pragma once

#include "api/request.hpp"
#include "zonestore/store/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace nuage::api {

enum class Op { Exact, Contains, StartsWith, EndsWith, Present, Absent };

struct TextCond {
    std::string field; // "name", "content" or "comment"
    Op op = Op::Exact;
    std::string value; // lowercased
};

struct TagCond {
    Op op = Op::Present;
    std::string name;                 // lowercased
    std::optional<std::string> value; // lowercased; unset: any value
};

struct RecordQuery {
    std::optional<std::uint16_t> type;
    std::optional<bool> proxied;
    std::vector<TextCond> text;
    std::vector<TagCond> tags;
    bool tag_match_any = false;
    bool match_any = false;
    std::optional<std::string> search; // lowercased
    std::string order;                 // "", "type", "name", "content", "ttl", "proxied"
    bool descending = false;

    bool matches(const store::Record& r) const;
    // What the store can narrow down first (owner and type), when every filter must hold.
    store::RecordFilter prefilter(const store::Zone& zone) const;
};

// Throws ApiError (400) naming a parameter whose value is not allowed.
RecordQuery parse_record_query(const Request& req);

// Stable: the store's order (name, type, content) is kept among equal keys.
void sort_records(std::vector<store::Record>& records, const RecordQuery& q);

} // namespace nuage::api

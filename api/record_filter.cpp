#include "api/record_filter.hpp"

#include "api/envelope.hpp"
#include "zonestore/dns/rdata.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace nuage::api {

namespace {

using namespace dns::rrtype;

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string no_trailing_dot(std::string s)
{
    if (s.size() > 1 && s.back() == '.') {
        s.pop_back();
    }
    return s;
}

// The character strings of TXT wire RDATA, joined: the value a TXT record holds, however
// it is split (RFC 1035 §3.3.14: at most 255 octets each).
std::string txt_joined(std::string_view rdata)
{
    std::string out;
    for (std::size_t i = 0; i < rdata.size();) {
        std::size_t len = static_cast<unsigned char>(rdata[i]);
        out.append(rdata.substr(i + 1, len));
        i += 1 + len;
    }
    return out;
}

// A TXT filter value as the text it means: quoted strings ("a" "b", escapes as in RFC 1035
// §5.1) are unquoted and joined; anything else is the text itself.
std::string txt_value(const std::string& s)
{
    if (s.empty() || s.front() != '"') {
        return s;
    }
    std::string out;
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == ' ' || c == '\t')) {
            continue;
        } else if (!quoted) {
            return s; // text outside quotes: not the quoted form
        } else if (c == '\\' && i + 3 < s.size() &&
                   std::isdigit(static_cast<unsigned char>(s[i + 1])) &&
                   std::isdigit(static_cast<unsigned char>(s[i + 2])) &&
                   std::isdigit(static_cast<unsigned char>(s[i + 3]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 3)) & 0xff);
            i += 3;
        } else if (c == '\\' && i + 1 < s.size()) {
            out += s[++i];
        } else {
            out += c;
        }
    }
    return quoted ? s : out;
}

bool apply(Op op, const std::string& have, const std::string& want)
{
    switch (op) {
    case Op::Exact:
        return have == want;
    case Op::Contains:
        return have.find(want) != std::string::npos;
    case Op::StartsWith:
        return have.rfind(want, 0) == 0;
    case Op::EndsWith:
        return have.size() >= want.size() &&
               have.compare(have.size() - want.size(), want.size(), want) == 0;
    case Op::Present:
    case Op::Absent:
        break;
    }
    return false;
}

bool text_matches(const TextCond& c, const store::Record& r)
{
    if (c.field == "comment") {
        bool has = r.comment && !r.comment->empty();
        if (c.op == Op::Present || c.op == Op::Absent) {
            return has == (c.op == Op::Present);
        }
        return has && apply(c.op, lower(*r.comment), c.value);
    }
    if (c.field == "name") {
        return apply(c.op, r.name, c.value);
    }
    std::string content = lower(r.content);
    if (r.type == TXT) {
        // DESIGN §2: either spelling matches, and a multi-string TXT matches by its joined
        // value (a 400-character value is stored as two strings but means one text).
        return apply(c.op, content, c.value) ||
               apply(c.op, lower(txt_joined(r.rdata)), txt_value(c.value));
    }
    return apply(c.op, content, c.value);
}

bool tag_matches(const TagCond& c, const store::Record& r)
{
    bool named = false;
    for (const auto& t : r.tags) {
        std::string tag = lower(t);
        auto colon = tag.find(':');
        std::string name = tag.substr(0, colon);
        std::string value = colon == std::string::npos ? "" : tag.substr(colon + 1);
        if (name != c.name) {
            continue;
        }
        named = true;
        if (c.op == Op::Present || (c.op == Op::Exact && !c.value)) {
            return true;
        }
        if (c.op != Op::Absent && c.value && apply(c.op, value, *c.value)) {
            return true;
        }
    }
    return c.op == Op::Absent && !named;
}

bool search_matches(const std::string& s, const store::Record& r)
{
    auto has = [&](const std::string& text) { return lower(text).find(s) != std::string::npos; };
    if (has(r.name) || has(r.content) || has(dns::rrtype_to_text(r.type)) ||
        (r.comment && has(*r.comment))) {
        return true;
    }
    return std::any_of(r.tags.begin(), r.tags.end(), has);
}

std::optional<Op> op_of(std::string_view suffix)
{
    if (suffix.empty() || suffix == "exact") {
        return Op::Exact;
    }
    if (suffix == "contains") {
        return Op::Contains;
    }
    if (suffix == "startswith") {
        return Op::StartsWith;
    }
    if (suffix == "endswith") {
        return Op::EndsWith;
    }
    if (suffix == "present") {
        return Op::Present;
    }
    if (suffix == "absent") {
        return Op::Absent;
    }
    return std::nullopt;
}

bool parse_bool(const std::string& key, const std::string& v)
{
    if (v == "true") {
        return true;
    }
    if (v == "false") {
        return false;
    }
    throw ApiError::field(key, "must be true or false");
}

bool parse_match(const std::string& key, const std::string& v)
{
    if (v != "all" && v != "any") {
        throw ApiError::field(key, "must be all or any");
    }
    return v == "any";
}

// One query parameter that is a filter (name.*, content.*, comment.*, tag*); false if the
// key is not one.
bool add_filter(RecordQuery& q, const std::string& key, const std::string& value)
{
    auto dot = key.find('.');
    std::string field = key.substr(0, dot);
    std::string suffix = dot == std::string::npos ? "" : key.substr(dot + 1);
    if (field != "name" && field != "content" && field != "comment" && field != "tag") {
        return false;
    }
    auto op = op_of(suffix);
    bool presence = op == Op::Present || op == Op::Absent;
    if (!op || (presence && field != "comment" && field != "tag")) {
        throw ApiError::field(key, "is not a filter (use .exact, .contains, .startswith, "
                                   ".endswith, or .present/.absent on comment and tag)");
    }
    if (field != "tag") {
        std::string v = lower(value);
        q.text.push_back({field, *op, field == "name" ? no_trailing_dot(v) : v});
        return true;
    }
    TagCond c{*op, lower(value), std::nullopt};
    if (auto colon = c.name.find(':'); colon != std::string::npos && !presence) {
        c.value = c.name.substr(colon + 1);
        c.name.resize(colon);
    } else if (!presence && *op != Op::Exact) {
        throw ApiError::field(key, "takes name:value");
    }
    q.tags.push_back(std::move(c));
    return true;
}

} // namespace

RecordQuery parse_record_query(const Request& req)
{
    RecordQuery q;
    for (const auto& [key, value] : req.query) {
        if (add_filter(q, key, value)) {
            continue;
        }
        if (key == "type") {
            auto t = dns::rrtype_from_text(value);
            if (!t) {
                throw ApiError::field("type", "'" + value + "' is not a record type");
            }
            q.type = t;
        } else if (key == "proxied") {
            q.proxied = parse_bool(key, value);
        } else if (key == "match") {
            q.match_any = parse_match(key, value);
        } else if (key == "tag_match") {
            q.tag_match_any = parse_match(key, value);
        } else if (key == "search") {
            q.search = lower(value);
        } else if (key == "order") {
            static const char* kOrders[] = {"type", "name", "content", "ttl", "proxied"};
            if (std::find(std::begin(kOrders), std::end(kOrders), value) == std::end(kOrders)) {
                throw ApiError::field("order", "must be type, name, content, ttl or proxied");
            }
            q.order = value;
        } else if (key == "direction") {
            if (value != "asc" && value != "desc") {
                throw ApiError::field("direction", "must be asc or desc");
            }
            q.descending = value == "desc";
        } // page and per_page are read by the handler; anything else is ignored
    }
    return q;
}

bool RecordQuery::matches(const store::Record& r) const
{
    std::vector<bool> results;
    if (type) {
        results.push_back(r.type == *type);
    }
    if (proxied) {
        results.push_back(r.proxied == *proxied);
    }
    for (const auto& c : text) {
        results.push_back(text_matches(c, r));
    }
    if (!tags.empty()) {
        auto one = [&](const TagCond& c) { return tag_matches(c, r); };
        results.push_back(tag_match_any ? std::any_of(tags.begin(), tags.end(), one)
                                        : std::all_of(tags.begin(), tags.end(), one));
    }
    if (search) {
        results.push_back(search_matches(*search, r));
    }
    if (results.empty()) {
        return true;
    }
    auto yes = [](bool b) { return b; };
    return match_any ? std::any_of(results.begin(), results.end(), yes)
                     : std::all_of(results.begin(), results.end(), yes);
}

store::RecordFilter RecordQuery::prefilter(const store::Zone&) const
{
    store::RecordFilter f;
    if (match_any) {
        return f;
    }
    f.type = type;
    for (const auto& c : text) {
        if (c.field == "name" && c.op == Op::Exact) {
            static const dns::Name root;
            if (auto n = dns::Name::from_text(c.value, &root)) {
                f.owner = *n;
            }
            break;
        }
    }
    return f;
}

void sort_records(std::vector<store::Record>& records, const RecordQuery& q)
{
    if (q.order.empty()) {
        if (q.descending) {
            std::reverse(records.begin(), records.end());
        }
        return;
    }
    auto key_less = [&](const store::Record& a, const store::Record& b) {
        if (q.order == "type") {
            return dns::rrtype_to_text(a.type) < dns::rrtype_to_text(b.type);
        }
        if (q.order == "name") {
            return a.name < b.name;
        }
        if (q.order == "content") {
            return lower(a.content) < lower(b.content);
        }
        if (q.order == "ttl") {
            return a.ttl < b.ttl;
        }
        return a.proxied < b.proxied;
    };
    std::stable_sort(records.begin(), records.end(), [&](const auto& a, const auto& b) {
        return q.descending ? key_less(b, a) : key_less(a, b);
    });
}

} // namespace nuage::api

#include "zonestore/store/content.hpp"

#include "zonestore/dns/ldns_handles.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/wire.hpp"
#include "zonestore/store/record_rules.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace nuage::store {

namespace {

using namespace dns::rrtype;

// The API's code and wording for content that does not parse (API.md §6).
[[noreturn]] void refuse_content(std::uint16_t type, const std::string& why)
{
    switch (type) {
    case A:
        refuse("content", "Content for A record must be a valid IPv4 address.", 9005);
    case AAAA:
        refuse("content", "Content for AAAA record must be a valid IPv6 address.", 9006);
    case CNAME:
        refuse("content", "Content for CNAME record is invalid: " + why, 9007);
    default:
        refuse("content",
               "Content for " + dns::rrtype_to_text(type) + " record is invalid: " + why);
    }
}

// Whitespace-separated tokens outside double quotes (backslash escapes honoured).
std::size_t count_tokens(std::string_view s)
{
    std::size_t n = 0;
    bool in_token = false, quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        bool space = !quoted && (c == ' ' || c == '\t');
        if (!space && !in_token) {
            ++n;
        }
        in_token = !space;
        if (c == '\\') {
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        }
    }
    return n;
}

// The text ldns parses for MX/URI: the priority in front, from the field or from content.
std::string with_priority(std::uint16_t type, std::string_view content,
                          std::optional<std::int64_t> priority)
{
    std::size_t rest = type == MX ? 1 : 2; // MX: exchange; URI: weight and target
    std::size_t tokens = count_tokens(content);
    if (!priority) {
        if (tokens == rest + 1) {
            return std::string(content);
        }
        refuse("priority", dns::rrtype_to_text(type) + " records need a priority");
    }
    if (*priority < 0 || *priority > 65535) {
        refuse("priority", "priority must be between 0 and 65535");
    }
    if (tokens != rest) {
        refuse_content(type, type == MX ? "the content is the mail server's name; the "
                                          "preference goes in priority"
                                        : "the content is \"weight target\"; the priority goes "
                                          "in priority");
    }
    return std::to_string(*priority) + " " + std::string(content);
}

// The length of the UTF-8 sequence at s[i] (RFC 3629 §4: no overlong forms, no surrogates,
// nothing past U+10FFFF), or 0 when it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i)
{
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = at(i);
    std::size_t n = c < 0x80                 ? 1
                    : c >= 0xc2 && c <= 0xdf ? 2
                    : c >= 0xe0 && c <= 0xef ? 3
                    : c >= 0xf0 && c <= 0xf4 ? 4
                                             : 0;
    if (n == 0 || i + n > s.size()) {
        return 0;
    }
    for (std::size_t k = i + 1; k < i + n; ++k) {
        if ((at(k) & 0xc0) != 0x80) {
            return 0;
        }
    }
    unsigned char d = n > 1 ? at(i + 1) : 0;
    if ((c == 0xe0 && d < 0xa0) || (c == 0xed && d > 0x9f) || (c == 0xf0 && d < 0x90) ||
        (c == 0xf4 && d > 0x8f)) {
        return 0;
    }
    return n;
}

// Printable ASCII and valid UTF-8: what content shows as it is (DESIGN §2: returned as text).
bool is_plain_text(std::string_view s)
{
    if (!s.empty() && s.front() == '"') {
        return false;
    }
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = utf8_length(s, i);
        if (n == 0 || c < 0x20 || c == 0x7f) {
            return false;
        }
        i += n;
    }
    return true;
}

// TXT character strings in quotes (RFC 1035 §5.1), UTF-8 kept as text: only quotes,
// backslashes, control characters and octets that are not UTF-8 are escaped.
std::string txt_quoted(std::string_view rdata)
{
    std::string out;
    for (std::size_t i = 0; i < rdata.size();) {
        std::size_t len = static_cast<unsigned char>(rdata[i]);
        if (i + 1 + len > rdata.size()) {
            throw dns::ContentError("a TXT character string runs past the record's data");
        }
        std::string_view str = rdata.substr(i + 1, len);
        out += out.empty() ? "\"" : " \"";
        for (std::size_t k = 0; k < str.size();) {
            auto c = static_cast<unsigned char>(str[k]);
            std::size_t n = utf8_length(str, k);
            if (c == '"' || c == '\\') {
                out += '\\';
                out += static_cast<char>(c);
            } else if (n == 0 || c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\%03u", c);
                out += buf;
                n = 1;
            } else {
                out.append(str.substr(k, n));
            }
            k += n;
        }
        out += '"';
        i += 1 + len;
    }
    return out;
}

// ldns's view of one wire RR (root owner), to render it field by field.
dns::RrPtr wire_rr(std::uint16_t type, std::string_view rdata)
{
    std::vector<std::uint8_t> w(11 + rdata.size());
    dns::write_u16(&w[1], type);
    dns::write_u16(&w[3], 1);
    dns::write_u16(&w[9], static_cast<std::uint16_t>(rdata.size()));
    std::copy(rdata.begin(), rdata.end(), w.begin() + 11);
    ldns_rr* raw = nullptr;
    std::size_t pos = 0;
    ldns_status st = ldns_wire2rr(&raw, w.data(), w.size(), &pos, LDNS_SECTION_ANSWER);
    dns::RrPtr rr(raw);
    if (st != LDNS_STATUS_OK || !rr) {
        throw dns::ContentError(ldns_get_errorstr_by_id(st));
    }
    return rr;
}

// The RDATA with the names RFC 4034 §6.2 lowercases lowercased (ldns knows the list).
std::string canonical_rdata(std::uint16_t type, std::string_view rdata)
{
    dns::RrPtr rr = wire_rr(type, rdata);
    ldns_rr2canonical(rr.get());
    dns::BufferPtr buf(ldns_buffer_new(rdata.size() + 16));
    if (ldns_rr_rdata2buffer_wire(buf.get(), rr.get()) != LDNS_STATUS_OK) {
        throw dns::ContentError("cannot encode the record data");
    }
    return std::string(reinterpret_cast<const char*>(ldns_buffer_begin(buf.get())),
                       ldns_buffer_position(buf.get()));
}

} // namespace

bool same_rdata(std::uint16_t type, std::string_view a, std::string_view b)
{
    if (a == b) {
        return true;
    }
    // RFC 4034 §6.2 (as updated by RFC 6840 §5.1): the types whose names are lowercased.
    static constexpr std::uint16_t kNamed[] = {2,  3,  4,  5,  6,  7,  8,  9,  12, 14, 15, 17,
                                               18, 21, 24, 26, 30, 33, 35, 36, 38, 39, 46};
    if (a.size() != b.size() ||
        std::find(std::begin(kNamed), std::end(kNamed), type) == std::end(kNamed)) {
        return false; // lowercasing keeps lengths
    }
    try {
        return canonical_rdata(type, a) == canonical_rdata(type, b);
    } catch (const dns::ContentError&) {
        return false;
    }
}

bool has_priority_field(std::uint16_t type)
{
    return type == MX || type == URI;
}

std::string txt_raw_to_rdata(std::string_view content)
{
    auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
    std::string out;
    do {
        // At most 255 octets a string (RFC 1035 §3.3.14), cut before a UTF-8 character rather
        // than inside it, so that each string stays readable text (a UTF-8 character is at
        // most 4 octets: never more than 3 to step back over).
        std::size_t len = std::min<std::size_t>(content.size(), 255);
        for (std::size_t back = 0; len < content.size() && back < 3 && continuation(content[len]);
             ++back) {
            --len;
        }
        if (len < content.size() && continuation(content[len])) {
            len = 255; // not UTF-8 text: cut where the octets fall
        }
        std::string_view part = content.substr(0, len);
        out += static_cast<char>(part.size());
        out.append(part);
        content.remove_prefix(part.size());
    } while (!content.empty());
    return out;
}

std::string content_to_rdata(std::uint16_t type, std::string_view content,
                             std::optional<std::int64_t> priority)
{
    if (content.find_first_not_of(" \t") == std::string_view::npos) {
        refuse("content", "content is required");
    }
    if (priority && !has_priority_field(type)) {
        refuse("priority", "priority applies to MX and URI records only");
    }
    bool generic = content.rfind("\\#", 0) == 0; // RFC 3597 §5
    if (generic && priority) {
        refuse("priority", "with RFC 3597 content (\\# ...) the priority is part of the data");
    }
    if (type == TXT && content.front() != '"' && !generic) {
        std::string rdata = txt_raw_to_rdata(content); // Cloudflare takes unquoted TXT as one text
        if (rdata.size() > 65535) {
            refuse_content(type, "record data longer than 65535 octets (RFC 1035 §3.2.1)");
        }
        return rdata;
    }
    if (content.find_first_of("\n\r") != std::string_view::npos) {
        refuse_content(type, "line breaks are not allowed");
    }
    std::string text = has_priority_field(type) && !generic ? with_priority(type, content, priority)
                                                            : std::string(content);
    // Names in content are absolute with or without their trailing dot (Cloudflare's
    // spelling): completing relative names with the root does exactly that.
    try {
        return dns::rdata_from_text(type, text, dns::Name());
    } catch (const dns::ContentError& e) {
        refuse_content(type, e.what());
    }
}

RenderedContent rdata_to_content(std::uint16_t type, std::string_view rdata)
{
    RenderedContent out;
    if (type == TXT && !rdata.empty()) {
        if (static_cast<std::uint8_t>(rdata[0]) + 1u == rdata.size() &&
            is_plain_text(rdata.substr(1))) {
            out.content = rdata.substr(1); // one plain string: shown unquoted
        } else {
            out.content = txt_quoted(rdata);
        }
        return out;
    }
    if (rdata.empty() || !dns::is_portable_type(type)) {
        // ldns prints nothing for empty RDATA and reads some rare types through field lists
        // that lose octets (SINK): RFC 3597 §5 shows every octet and parses back.
        out.content = dns::rdata_to_generic(rdata);
        return out;
    }
    dns::RrPtr rr = wire_rr(type, rdata);
    std::size_t first = 0;
    if (has_priority_field(type) && ldns_rr_rd_count(rr.get()) > 1 && rdata.size() >= 2) {
        out.priority = dns::read_u16(reinterpret_cast<const std::uint8_t*>(rdata.data()));
        first = 1;
    }
    for (std::size_t i = first; i < ldns_rr_rd_count(rr.get()); ++i) {
        const ldns_rdf* rdf = ldns_rr_rdf(rr.get(), i);
        char* s = ldns_rdf2str(rdf);
        if (!s) {
            throw dns::ContentError("cannot render the record data");
        }
        std::string field(s);
        LDNS_FREE(s);
        if (ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME && field.size() > 1 &&
            field.back() == '.') {
            field.pop_back();
        }
        if (i > first) {
            out.content += ' ';
        }
        out.content += field;
    }
    return out;
}

} // namespace nuage::store

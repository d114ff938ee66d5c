#include "zonestore/dns/zone_file.hpp"

#include "zonestore/dns/ldns_handles.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/ttl_text.hpp"
#include "zonestore/dns/wire.hpp"
#include "zonestore/dns/zone_lexer.hpp"

#include <algorithm>
#include <optional>

namespace nuage::dns {

namespace {

constexpr std::uint32_t kMaxTtl = 2147483647; // RFC 2181 §8

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return to_lower(static_cast<std::uint8_t>(x)) ==
                      to_lower(static_cast<std::uint8_t>(y));
           });
}

// What one entry leaves for the next (RFC 1035 §5.1): the origin, the owner a blank owner
// stands for, the default TTL.
struct Reader {
    std::string file;
    Name zone;     // the zone being read: every owner is inside it
    Name origin;   // $ORIGIN: relative names are completed with it
    Name previous; // the last owner written out
    std::uint32_t default_ttl = 3600;

    [[noreturn]] void fail(int line, const std::string& reason, std::string field = {}) const
    {
        throw ZoneFileError(file, line, reason, std::move(field));
    }
    std::uint32_t ttl(const ZoneToken& t) const;
    void directive(const ZoneEntry& e);
    ZoneFileRecord record(const ZoneEntry& e);
};

std::uint32_t Reader::ttl(const ZoneToken& t) const
{
    std::string why;
    auto v = parse_ttl_text(t.text, &why);
    if (!v) {
        fail(t.line, "TTL " + why, "ttl");
    }
    if (*v > kMaxTtl) {
        fail(t.line, "TTL " + std::to_string(*v) + " is above 2147483647 (RFC 2181 §8)", "ttl");
    }
    return *v;
}

void Reader::directive(const ZoneEntry& e)
{
    std::string d(e.tokens[0].text);
    auto argument = [&]() -> const ZoneToken& {
        if (e.tokens.size() != 2) {
            fail(e.line, d + " takes one argument");
        }
        return e.tokens[1];
    };
    if (iequals(d, "$ORIGIN")) {
        const ZoneToken& t = argument();
        std::string why;
        auto n = Name::from_text(t.text, &origin, &why);
        if (!n) {
            fail(t.line, "$ORIGIN " + std::string(t.text) + ": " + why, "name");
        }
        origin = *n;
    } else if (iequals(d, "$TTL")) {
        default_ttl = ttl(argument());
    } else if (iequals(d, "$INCLUDE")) {
        fail(e.line, "$INCLUDE is not supported: import one file");
    } else if (iequals(d, "$GENERATE")) {
        fail(e.line, "$GENERATE is not supported: write the records out");
    } else {
        fail(e.line, "unknown directive " + d);
    }
}

ZoneFileRecord Reader::record(const ZoneEntry& e)
{
    std::size_t i = 0;
    if (!e.blank_owner) {
        const ZoneToken& t = e.tokens[i++];
        std::string why;
        auto n = Name::from_text(t.text, &origin, &why);
        if (!n) {
            fail(t.line, "owner " + std::string(t.text) + ": " + why, "name");
        }
        previous = *n;
    }
    if (!previous.is_subdomain_of(zone)) {
        fail(e.line, "owner " + previous.to_text() + " is outside the zone " + zone.to_text(),
             "name");
    }
    // RFC 1035 §5.1: "<owner> [<TTL>] [<class>] <type>" or "<owner> [<class>] [<TTL>] <type>".
    std::optional<std::uint32_t> ttl_value;
    bool have_class = false;
    for (; i < e.tokens.size(); ++i) {
        const ZoneToken& t = e.tokens[i];
        if (t.text.front() >= '0' && t.text.front() <= '9') {
            if (ttl_value) {
                fail(t.line, "a second TTL, " + std::string(t.text), "ttl");
            }
            ttl_value = ttl(t);
            continue;
        }
        ldns_rr_class cls = ldns_get_rr_class_by_name(std::string(t.text).c_str());
        if (cls == 0 || have_class) {
            break;
        }
        if (cls != LDNS_RR_CLASS_IN) {
            fail(t.line, "only class IN is supported");
        }
        have_class = true;
    }
    if (i == e.tokens.size()) {
        fail(e.line, "the record has no type", "type");
    }
    auto type = rrtype_from_text(e.tokens[i].text);
    if (!type) {
        fail(e.tokens[i].line, "'" + std::string(e.tokens[i].text) + "' is not a record type",
             "type");
    }
    std::string content;
    for (++i; i < e.tokens.size(); ++i) {
        content += (content.empty() ? "" : " ") + std::string(e.tokens[i].text);
    }
    ZoneFileRecord rec;
    try {
        rec.rdata = rdata_from_text(*type, content, origin);
    } catch (const ContentError& ce) {
        fail(e.line, ce.what(), "content");
    }
    rec.owner = previous;
    rec.type = *type;
    rec.ttl = ttl_value.value_or(default_ttl);
    rec.line = e.line;
    rec.comment = e.comment;
    return rec;
}

} // namespace

ZoneFileError::ZoneFileError(std::string f, int l, const std::string& reason, std::string fld)
    : std::runtime_error(f + ":" + std::to_string(l) + ": " + reason), file(std::move(f)), line(l),
      field(std::move(fld))
{
}

std::vector<ZoneFileRecord> read_zone_file(std::string_view text, const Name& origin,
                                           std::string_view file)
{
    Reader reader{std::string(file), origin, origin, origin};
    ZoneLexer lexer(text, reader.file);
    std::vector<ZoneFileRecord> out;
    ZoneEntry entry;
    while (lexer.next(entry)) {
        if (entry.tokens.front().text.front() == '$') {
            reader.directive(entry);
        } else {
            out.push_back(reader.record(entry));
        }
    }
    return out;
}

} // namespace nuage::dns

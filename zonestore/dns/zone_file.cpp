#include "zonestore/dns/zone_file.hpp"

#include "zonestore/dns/ldns_handles.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace nuage::dns {

namespace {

struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};

constexpr std::uint32_t kMaxTtl = 2147483647;  // RFC 2181 §8

// The comment of the line that starts at offset `pos`, if any: the text after the first ';'
// that is not inside quotes.
std::string comment_of_line(std::string_view text, std::size_t pos)
{
    if (pos >= text.size()) {
        return {};
    }
    std::size_t end = text.find('\n', pos);
    std::string_view l = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    bool quoted = false;
    for (std::size_t i = 0; i < l.size(); ++i) {
        if (l[i] == '\\') {
            ++i;
        } else if (l[i] == '"') {
            quoted = !quoted;
        } else if (l[i] == ';' && !quoted) {
            std::string_view c = l.substr(i + 1);
            while (!c.empty() && (c.front() == ' ' || c.front() == '\t')) {
                c.remove_prefix(1);
            }
            while (!c.empty() && (c.back() == ' ' || c.back() == '\t' || c.back() == '\r')) {
                c.remove_suffix(1);
            }
            return std::string(c);
        }
    }
    return {};
}

// Line numbers from positions in the text, scanning forward only once over the whole read.
class LineCounter {
public:
    explicit LineCounter(std::string_view text) : text_(text) {}

    // The 1-based line of the last character before `pos` that is not blank (space, tab,
    // CR, LF).
    int line_before(std::size_t pos)
    {
        std::size_t p = std::min(pos, text_.size());
        while (p > 0 && (text_[p - 1] == ' ' || text_[p - 1] == '\t' || text_[p - 1] == '\r' ||
                         text_[p - 1] == '\n')) {
            --p;
        }
        std::size_t last = p == 0 ? 0 : p - 1;
        if (last < scanned_) {
            scanned_ = 0;
            line_ = 1;
            line_start_ = 0;
        }
        for (; scanned_ < last; ++scanned_) {
            if (text_[scanned_] == '\n') {
                ++line_;
                line_start_ = scanned_ + 1;
            }
        }
        return line_;
    }

    // Where the line of the last line_before() starts.
    std::size_t line_start() const { return line_start_; }

private:
    std::string_view text_;
    std::size_t scanned_ = 0;
    int line_ = 1;
    std::size_t line_start_ = 0;
};

}  // namespace

ZoneFileError::ZoneFileError(std::string f, int l, const std::string& reason)
    : std::runtime_error(f + ":" + std::to_string(l) + ": " + reason), file(std::move(f)), line(l)
{
}

std::vector<ZoneFileRecord> read_zone_file(std::string_view text, const Name& origin,
                                           std::string_view file)
{
    std::string buf(text);
    std::unique_ptr<FILE, FileCloser> fp(fmemopen(buf.data(), buf.size(), "r"));
    std::string fname(file);
    if (!fp) {
        throw ZoneFileError(fname, 0, "cannot read the file");
    }
    ldns_rdf* cur_origin = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, origin.size(), origin.data());
    ldns_rdf* prev = ldns_rdf_clone(cur_origin);
    std::uint32_t default_ttl = 3600;
    int line = 1;
    LineCounter lines(buf);
    std::vector<ZoneFileRecord> out;
    auto cleanup = [&] {
        ldns_rdf_deep_free(cur_origin);
        ldns_rdf_deep_free(prev);
    };
    try {
        while (!std::feof(fp.get())) {
            ldns_rr* raw = nullptr;
            ldns_status st =
                ldns_rr_new_frm_fp_l(&raw, fp.get(), &default_ttl, &cur_origin, &prev, &line);
            RrPtr rr(raw);
            // ldns counts every newline it consumed, blank lines after the entry included:
            // the entry ends on the line of the last non-blank character it read.
            int entry_line = lines.line_before(static_cast<std::size_t>(std::ftell(fp.get())));
            if (st == LDNS_STATUS_SYNTAX_EMPTY || st == LDNS_STATUS_SYNTAX_TTL ||
                st == LDNS_STATUS_SYNTAX_ORIGIN) {
                continue;
            }
            if (st == LDNS_STATUS_SYNTAX_INCLUDE) {
                throw ZoneFileError(fname, entry_line,
                                    "$INCLUDE is not supported: import one file");
            }
            if (st != LDNS_STATUS_OK || !rr) {
                throw ZoneFileError(fname, entry_line, ldns_get_errorstr_by_id(st));
            }
            if (ldns_rr_get_class(rr.get()) != LDNS_RR_CLASS_IN) {
                throw ZoneFileError(fname, entry_line, "only class IN is supported");
            }
            ldns_rdf* owner_rdf = ldns_rr_owner(rr.get());
            auto owner = Name::from_wire(std::string_view(
                reinterpret_cast<const char*>(ldns_rdf_data(owner_rdf)), ldns_rdf_size(owner_rdf)));
            if (!owner) {
                throw ZoneFileError(fname, entry_line, "invalid owner name");
            }
            if (!owner->is_subdomain_of(origin)) {
                throw ZoneFileError(fname, entry_line,
                                    "owner " + owner->to_text() + " is outside the zone " +
                                        origin.to_text());
            }
            std::uint32_t ttl = ldns_rr_ttl(rr.get());
            if (ttl > kMaxTtl) {
                throw ZoneFileError(fname, entry_line, "TTL " + std::to_string(ttl) +
                                                     " is above 2147483647 (RFC 2181 §8)");
            }
            BufferPtr wire(ldns_buffer_new(512));
            if (ldns_rr_rdata2buffer_wire(wire.get(), rr.get()) != LDNS_STATUS_OK) {
                throw ZoneFileError(fname, entry_line, "cannot encode the record data");
            }
            ZoneFileRecord rec;
            rec.owner = *owner;
            rec.type = static_cast<std::uint16_t>(ldns_rr_get_type(rr.get()));
            rec.ttl = ttl;
            rec.rdata.assign(reinterpret_cast<const char*>(ldns_buffer_begin(wire.get())),
                             ldns_buffer_position(wire.get()));
            rec.line = entry_line;
            rec.comment = comment_of_line(text, lines.line_start());
            out.push_back(std::move(rec));
        }
    } catch (...) {
        cleanup();
        throw;
    }
    cleanup();
    return out;
}

}  // namespace nuage::dns

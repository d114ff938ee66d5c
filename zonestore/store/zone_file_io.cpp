#include "zonestore/store/zone_file_io.hpp"

#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/wire.hpp"
#include "zonestore/dns/zone_file.hpp"
#include "zonestore/store/clock_ids.hpp"
#include "zonestore/store/content.hpp"
#include "zonestore/store/store.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace nuage::store {

namespace {

using namespace dns::rrtype;

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

compile::SoaFields soa_from_rdata(const std::string& rdata, std::uint32_t ttl)
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(rdata.data());
    const auto* end = p + rdata.size();
    std::size_t l1 = dns::name_wire_length(p, end);
    std::size_t l2 = l1 ? dns::name_wire_length(p + l1, end) : 0;
    if (l1 == 0 || l2 == 0 || rdata.size() != l1 + l2 + 20) {
        throw std::invalid_argument("malformed SOA");
    }
    compile::SoaFields s;
    s.mname = *dns::Name::from_wire(rdata.substr(0, l1));
    s.rname = *dns::Name::from_wire(rdata.substr(l1, l2));
    const std::uint8_t* n = p + l1 + l2;
    s.serial = dns::read_u32(n);
    s.refresh = dns::read_u32(n + 4);
    s.retry = dns::read_u32(n + 8);
    s.expire = dns::read_u32(n + 12);
    s.minimum = dns::read_u32(n + 16);
    s.ttl = ttl;
    return s;
}

ImportRecord import_record(dns::ZoneFileRecord& zr, const dns::Name& origin)
{
    ImportRecord r;
    r.owner = std::move(zr.owner);
    r.type = zr.type;
    r.ttl = zr.ttl;
    r.rdata = std::move(zr.rdata);
    r.line = zr.line;
    CfComment c = parse_cf_comment(zr.comment);
    r.comment = std::move(c.comment);
    for (auto& t : c.tags) {
        if (t == "cf-proxied:true") {
            r.proxied = true;
        } else if (t == "cf-flatten-cname") {
            r.flatten_cname = !(r.owner == origin); // the apex is always flattened
        } else if (t.rfind("cf-", 0) != 0 && t.find(':') != std::string::npos && t.find(':') > 0) {
            r.tags.push_back(std::move(t));
        } // other cf- tags are Cloudflare's own: skipped, as its import does
    }
    if (r.proxied) {
        r.ttl = kAutomaticTtl; // DESIGN §2: proxied records are always automatic
    }
    return r;
}

// Records read so far by owner, to find an RR written twice.
using RecordsByName = std::unordered_map<dns::Name, std::vector<std::size_t>, dns::NameHash>;

// The line of an earlier record (indexes in `records`) with the type and RDATA of `r`.
std::optional<int> duplicate_of(const std::vector<ImportRecord>& records,
                                const std::vector<std::size_t>& at_owner,
                                const dns::ZoneFileRecord& r)
{
    for (std::size_t i : at_owner) {
        if (records[i].type == r.type && same_rdata(r.type, records[i].rdata, r.rdata)) {
            return records[i].line;
        }
    }
    return std::nullopt;
}

std::string line_of(const dns::Name& owner, std::uint32_t ttl, std::uint16_t type,
                    const std::string& rdata)
{
    dns::MasterText text = dns::to_master_text(type, rdata);
    return owner.to_master_text() + "\t" + std::to_string(ttl) + "\tIN\t" + text.type + "\t" +
           text.rdata;
}

std::string soa_and_ns(const dns::Name& origin, const compile::SoaFields& soa,
                       const std::vector<dns::Name>& ns, std::uint32_t ns_ttl)
{
    std::string out = "$ORIGIN " + origin.to_master_text() + "\n";
    out += ";; SOA Record\n";
    out += origin.to_master_text() + "\t" + std::to_string(soa.ttl) + "\tIN\tSOA\t" +
           soa.mname.to_master_text() + " " + soa.rname.to_master_text() + " " +
           std::to_string(soa.serial) + " " + std::to_string(soa.refresh) + " " +
           std::to_string(soa.retry) + " " + std::to_string(soa.expire) + " " +
           std::to_string(soa.minimum) + "\n";
    out += "\n;; NS Records\n";
    for (const auto& n : ns) {
        out += origin.to_master_text() + "\t" + std::to_string(ns_ttl) + "\tIN\tNS\t" +
               n.to_master_text() + "\n";
    }
    return out;
}

std::string one_line(std::string s)
{
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '\r', ' ');
    return s;
}

} // namespace

CfComment parse_cf_comment(std::string_view comment)
{
    CfComment out;
    comment = trim(comment);
    std::size_t at = comment.find("cf_tags=");
    while (at != std::string_view::npos && at > 0 && comment[at - 1] != ' ' &&
           comment[at - 1] != '\t') {
        at = comment.find("cf_tags=", at + 1);
    }
    std::string_view text = at == std::string_view::npos ? comment : comment.substr(0, at);
    if (!trim(text).empty()) {
        out.comment = std::string(trim(text));
    }
    if (at != std::string_view::npos) {
        std::string_view tags = comment.substr(at + 8);
        tags = tags.substr(0, tags.find_first_of(" \t"));
        while (!tags.empty()) {
            std::size_t comma = tags.find(',');
            std::string_view t = tags.substr(0, comma);
            if (!t.empty()) {
                out.tags.emplace_back(t);
            }
            tags = comma == std::string_view::npos ? std::string_view() : tags.substr(comma + 1);
        }
    }
    return out;
}

ZoneImport parse_zone_import(std::string_view text, const dns::Name& origin,
                             const std::string& file)
{
    std::vector<dns::ZoneFileRecord> recs;
    try {
        recs = dns::read_zone_file(text, origin, file);
    } catch (const dns::ZoneFileError& e) {
        std::string prefix = e.file + ":" + std::to_string(e.line) + ": ";
        std::string reason = e.what();
        if (reason.rfind(prefix, 0) == 0) {
            reason.erase(0, prefix.size());
        }
        throw ImportError(file, e.line, FieldError{e.field, reason, 1004});
    }
    ZoneImport z;
    z.file = file;
    z.origin = origin;
    bool have_soa = false, have_ns = false;
    RecordsByName by_name;
    for (auto& r : recs) {
        bool apex = r.owner == origin;
        if (r.type == SOA) {
            if (!apex) {
                throw ImportError(file, r.line,
                                  {"type", "an SOA record belongs at the apex of the zone", 1004});
            }
            if (have_soa) {
                throw ImportError(file, r.line, {"type", "a second SOA record", 1004});
            }
            z.soa = soa_from_rdata(r.rdata, r.ttl);
            have_soa = true;
        } else if (r.type == NS && apex) {
            auto ns = *dns::Name::from_wire(r.rdata);
            if (std::find(z.name_servers.begin(), z.name_servers.end(), ns) ==
                z.name_servers.end()) {
                z.name_servers.push_back(std::move(ns));
            }
            z.ns_ttl = have_ns ? std::min(z.ns_ttl, r.ttl) : r.ttl;
            have_ns = true;
        } else if (auto first = duplicate_of(z.records, by_name[r.owner], r)) {
            // RFC 2181 §5: an RRset holds each RR once; knotd and nsd load such a file.
            z.notes.push_back(file + ":" + std::to_string(r.line) + ": the same record as line " +
                              std::to_string(*first) + ", read once (RFC 2181 §5)");
        } else {
            by_name[r.owner].push_back(z.records.size());
            z.records.push_back(import_record(r, origin));
        }
    }
    if (!have_soa) {
        throw ImportError(file, 0,
                          {"",
                           "no SOA record at the apex of " + origin.to_text_no_dot() +
                               ": a zone file must have one",
                           1004});
    }
    if (!have_ns) {
        throw ImportError(file, 0,
                          {"",
                           "no NS records at the apex of " + origin.to_text_no_dot() +
                               ": a zone file must name its name servers",
                           1004});
    }
    return z;
}

std::string export_zone(const Zone& zone, const std::vector<Record>& records)
{
    std::string out = ";;\n;; Domain:     " + zone.name + ".\n;; Exported:   " + now_rfc3339() +
                      "\n;; Serial:     " + std::to_string(zone.soa.serial) + "\n;;\n";
    out += soa_and_ns(zone.origin, zone.soa, zone.name_servers, zone.ns_ttl);
    std::map<std::string, std::vector<const Record*>> by_type;
    for (const auto& r : records) {
        by_type[dns::rrtype_to_text(r.type)].push_back(&r);
    }
    for (auto& [type, recs] : by_type) {
        std::stable_sort(recs.begin(), recs.end(),
                         [](const Record* a, const Record* b) { return a->owner < b->owner; });
        out += "\n;; " + type + " Records\n";
        for (const Record* r : recs) {
            out += line_of(r->owner, r->ttl, r->type, r->rdata);
            std::vector<std::string> tags;
            if (r->proxied) {
                tags.push_back("cf-proxied:true");
            }
            if (r->type == CNAME && (r->flatten_cname || r->owner == zone.origin)) {
                tags.push_back("cf-flatten-cname");
            }
            tags.insert(tags.end(), r->tags.begin(), r->tags.end());
            std::string note = r->comment ? one_line(*r->comment) : std::string();
            if (!tags.empty()) {
                std::string joined;
                for (const auto& t : tags) {
                    joined += (joined.empty() ? "" : ",") + one_line(t);
                }
                note += (note.empty() ? "" : " ") + std::string("cf_tags=") + joined;
            }
            if (!note.empty()) {
                out += " ; " + note;
            }
            out += "\n";
        }
    }
    return out;
}

std::string export_public(const compile::ZoneSource& source, const PublicFlattened& flattened)
{
    const auto& m = source.meta;
    std::string out = ";;\n;; Domain:     " + m.origin.to_text() +
                      " (public view)\n;; Serial:     " + std::to_string(m.soa.serial) + "\n;;\n";
    out += soa_and_ns(m.origin, m.soa, m.name_servers, m.ns_ttl);
    std::vector<const compile::SourceRecord*> recs;
    for (const auto& r : source.records) {
        recs.push_back(&r);
    }
    for (const auto& r : flattened.answers) {
        recs.push_back(&r);
    }
    std::sort(recs.begin(), recs.end(), [](const auto* a, const auto* b) {
        if (a->owner != b->owner) {
            return a->owner < b->owner;
        }
        return a->type != b->type ? a->type < b->type : a->rdata < b->rdata;
    });
    out += "\n;; Records\n";
    for (const auto* r : recs) {
        out += line_of(r->owner, r->ttl, r->type, r->rdata) + "\n";
    }
    // A target outside the served zones is resolved by the running dnsd from its upstreams:
    // the name is noted (its target is never shown: DNS answers do not show it either).
    for (const auto& owner : flattened.unresolved) {
        out += "; " + owner.to_text() +
               " A/AAAA: a flattened name whose target dnsd resolves from its upstreams\n";
    }
    return out;
}

} // namespace nuage::store

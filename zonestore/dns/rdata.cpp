#include "zonestore/dns/rdata.hpp"

#include "zonestore/dns/ldns_handles.hpp"
#include "zonestore/dns/rdata_guard.hpp"
#include "zonestore/dns/wire.hpp"

#include <algorithm>
#include <strings.h>
#include <vector>

namespace nuage::dns {

namespace {

// ldns reads at most this much RDATA text and drops the rest silently (rr.c reads it into a
// buffer of LDNS_MAX_PACKETLEN).
constexpr std::size_t kMaxContentText = 65534;

// Types whose presentation format ldns 1.8, knotd 3.2 and nsd 4.6 print and read the same way
// (each tried: ldns's text loaded by both, their AXFR octets compared); the others travel as
// RFC 3597 data. tests/integration/store/dnsctl_export_test.sh loads an export of them.
constexpr std::uint16_t kPortableTypes[] = {
    rrtype::A,       rrtype::NS,      rrtype::CNAME,     rrtype::SOA,      rrtype::PTR,
    rrtype::HINFO,   14 /* MINFO */,  rrtype::MX,        rrtype::TXT,      17 /* RP */,
    18 /* AFSDB */,  21 /* RT */,     rrtype::AAAA,      rrtype::LOC,      rrtype::SRV,
    rrtype::NAPTR,   36 /* KX */,     rrtype::CERT,      rrtype::DNAME,    42 /* APL */,
    rrtype::DS,      rrtype::SSHFP,   45 /* IPSECKEY */, rrtype::DNSKEY,   49 /* DHCID */,
    rrtype::TLSA,    53 /* SMIMEA */, 59 /* CDS */,      60 /* CDNSKEY */, 61 /* OPENPGPKEY */,
    63 /* ZONEMD */, rrtype::SVCB,    rrtype::HTTPS,     99 /* SPF */,     104 /* NID */,
    105 /* L32 */,   106 /* L64 */,   107 /* LP */,      108 /* EUI48 */,  109 /* EUI64 */,
    rrtype::URI,     rrtype::CAA};

// ldns's view of one RR on the wire (root owner, class IN, TTL 0). Throws ContentError.
RrPtr rr_from_wire(std::uint16_t type, std::string_view wire)
{
    std::vector<std::uint8_t> rr_wire(1 + 10 + wire.size());
    rr_wire[0] = 0;
    write_u16(&rr_wire[1], type);
    write_u16(&rr_wire[3], 1);
    write_u32(&rr_wire[5], 0);
    write_u16(&rr_wire[9], static_cast<std::uint16_t>(wire.size()));
    std::memcpy(rr_wire.data() + 11, wire.data(), wire.size());
    ldns_rr* raw = nullptr;
    std::size_t pos = 0;
    ldns_status st = ldns_wire2rr(&raw, rr_wire.data(), rr_wire.size(), &pos, LDNS_SECTION_ANSWER);
    RrPtr rr(raw);
    if (st != LDNS_STATUS_OK || !rr) {
        throw ContentError(ldns_get_errorstr_by_id(st));
    }
    return rr;
}

std::string rdata_wire(const ldns_rr* rr)
{
    BufferPtr buf(ldns_buffer_new(512));
    if (ldns_rr_rdata2buffer_wire(buf.get(), rr) != LDNS_STATUS_OK) {
        throw ContentError("cannot encode the record data");
    }
    return std::string(reinterpret_cast<const char*>(ldns_buffer_begin(buf.get())),
                       ldns_buffer_position(buf.get()));
}

// RFC 3597 §5 data. A type we know must hold exactly its fields (ldns reads them back into the
// same octets); any other type's data is opaque (RFC 3597 §4).
std::string checked_generic(std::uint16_t type, const std::vector<std::string_view>& fields)
{
    std::string wire = guard::generic_rdata(fields);
    if (!is_portable_type(type)) {
        return wire;
    }
    std::string why = "the \\# data is not a valid " + rrtype_to_text(type) + " record";
    try {
        RrPtr rr = rr_from_wire(type, wire);
        const ldns_rr_descriptor* d = ldns_rr_descript(type);
        if (ldns_rr_rd_count(rr.get()) < ldns_rr_descriptor_minimum(d) ||
            rdata_wire(rr.get()) != wire) {
            throw ContentError(why);
        }
    } catch (const ContentError&) {
        throw ContentError(why + " (RFC 3597 §5: its " + std::to_string(wire.size()) +
                           " octets must be the type's fields)");
    }
    return wire;
}

// RFC 9460 SvcParams that knotd (3.2) or nsd read otherwise than ldns prints them: key 7 is
// "dohpath" to ldns and unknown by that name to knotd; an alpn id holding ',' or '\\' is
// printed by ldns without the escaping RFC 9460 §7.1.1 needs; key65535 is reserved.
bool svc_params_alike(std::string_view wire)
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(wire.data());
    const auto* end = p + wire.size();
    std::size_t target = wire.size() >= 2 ? name_wire_length(p + 2, end) : 0;
    if (target == 0) {
        return false;
    }
    for (p += 2 + target; end - p >= 4;) {
        std::uint16_t key = read_u16(p), len = read_u16(p + 2);
        p += 4;
        if (end - p < len || key == 7 || key == 65535) {
            return false;
        }
        std::string_view value(reinterpret_cast<const char*>(p), len);
        for (std::size_t i = 0; key == 0 && i + 1 < value.size(); i += 2) {
            std::uint16_t k = read_u16(p + i);
            if (k == 7 || k == 65535) {
                return false;
            }
        }
        if (key == 1 && value.find_first_of(",\\") != std::string_view::npos) {
            return false;
        }
        p += len;
    }
    return p == end;
}

// Data of a portable type that knotd or nsd still read differently from ldns's rendering.
bool renders_alike(std::uint16_t type, std::string_view wire)
{
    if (type == rrtype::CAA) {
        // nsd takes tags of lowercase letters and digits only (RFC 8659 §4.1 lists those).
        std::size_t len = wire.size() >= 2 ? static_cast<std::uint8_t>(wire[1]) : 0;
        std::string_view tag = wire.substr(2, len);
        return !tag.empty() && std::all_of(tag.begin(), tag.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        });
    }
    if (type == rrtype::SVCB || type == rrtype::HTTPS) {
        return svc_params_alike(wire);
    }
    return true;
}

} // namespace

std::optional<std::uint16_t> rrtype_from_text(std::string_view text)
{
    std::string s(text);
    if (s.empty()) {
        return std::nullopt;
    }
    // RFC 3597 §5 "TYPEnnn": read here, with its range checked (ldns returns any number as
    // its enum, e.g. TYPE655342, which is no type at all).
    if (s.size() > 4 && strncasecmp(s.c_str(), "TYPE", 4) == 0) {
        std::uint32_t n = 0;
        for (std::size_t i = 4; i < s.size(); ++i) {
            if (s[i] < '0' || s[i] > '9' || (n = n * 10 + std::uint32_t(s[i] - '0')) > 65535) {
                return std::nullopt;
            }
        }
        return n == 0 ? std::nullopt : std::optional<std::uint16_t>(static_cast<std::uint16_t>(n));
    }
    ldns_rr_type t = ldns_get_rr_type_by_name(s.c_str());
    if (t == 0) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(t);
}

std::string rrtype_to_text(std::uint16_t type)
{
    char* s = ldns_rr_type2str(static_cast<ldns_rr_type>(type));
    if (!s) {
        return "TYPE" + std::to_string(type);
    }
    std::string out(s);
    LDNS_FREE(s);
    return out;
}

bool is_portable_type(std::uint16_t type)
{
    return std::find(std::begin(kPortableTypes), std::end(kPortableTypes), type) !=
           std::end(kPortableTypes);
}

bool is_data_type(std::uint16_t type)
{
    using namespace rrtype;
    if (type == 0 || type == OPT || type == RRSIG || type == NSEC || type == NSEC3) {
        return false;
    }
    if (type >= 128 && type <= 255) { // RFC 6895 §3.1: meta and query types
        return false;
    }
    return true;
}

std::string rdata_from_text(std::uint16_t type, std::string_view content, const Name& origin)
{
    if (content.find('\0') != std::string_view::npos) {
        throw ContentError("a NUL byte: write a zero octet as \\000 (RFC 1035 §5.1)");
    }
    std::vector<std::string_view> fields = guard::split_fields(content);
    if (!fields.empty() && fields[0] == "\\#") {
        return checked_generic(type, fields);
    }
    if (content.size() > kMaxContentText) {
        throw ContentError("the content is over 65534 characters, more than ldns reads whole "
                           "(RDATA is at most 65535 octets, RFC 1035 §3.2.1)");
    }
    // ldns parses whole RRs; give it one with a fixed owner and let it complete relative names.
    std::string line = ". 0 IN " + rrtype_to_text(type) + " " + std::string(content);
    RdfPtr origin_rdf(ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, origin.size(), origin.data()));
    ldns_rr* raw = nullptr;
    ldns_status st = ldns_rr_new_frm_str(&raw, line.c_str(), 0, origin_rdf.get(), nullptr);
    RrPtr rr(raw);
    if (st != LDNS_STATUS_OK || !rr) {
        throw ContentError(ldns_get_errorstr_by_id(st));
    }
    if (ldns_rr_get_type(rr.get()) != type) {
        throw ContentError("content does not match the record type");
    }
    guard::check_fields(rr.get(), fields, origin_rdf.get());
    std::string wire = rdata_wire(rr.get());
    if (wire.size() > 65535) {
        throw ContentError("record data longer than 65535 octets (RFC 1035 §3.2.1)");
    }
    return wire;
}

std::string rdata_to_generic(std::string_view wire)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\\# " + std::to_string(wire.size());
    if (!wire.empty()) {
        out += ' ';
    }
    for (unsigned char c : wire) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

MasterText to_master_text(std::uint16_t type, std::string_view wire)
{
    if (wire.empty() || !is_portable_type(type) || !renders_alike(type, wire)) {
        return {"TYPE" + std::to_string(type), rdata_to_generic(wire)};
    }
    RrPtr rr = rr_from_wire(type, wire);
    MasterText out{rrtype_to_text(type), {}};
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr.get()); ++i) {
        const ldns_rdf* rdf = ldns_rr_rdf(rr.get(), i);
        if (i > 0) {
            out.rdata += ' ';
        }
        if (ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME) {
            out.rdata += name_to_master_text(std::string_view(
                reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf)));
            continue;
        }
        char* s = ldns_rdf2str(rdf);
        if (!s) {
            throw ContentError("cannot render the record data");
        }
        out.rdata += s;
        LDNS_FREE(s);
    }
    return out;
}

} // namespace nuage::dns

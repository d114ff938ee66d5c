#include "zonestore/dns/rdata.hpp"

#include "zonestore/dns/ldns_handles.hpp"
#include "zonestore/dns/rdata_guard.hpp"
#include "zonestore/dns/wire.hpp"

#include <algorithm>
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

} // namespace

std::optional<std::uint16_t> rrtype_from_text(std::string_view text)
{
    std::string s(text);
    if (s.empty()) {
        return std::nullopt;
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

std::string rdata_to_text(std::uint16_t type, std::string_view wire)
{
    RrPtr rr = rr_from_wire(type, wire);
    std::string out;
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr.get()); ++i) {
        char* s = ldns_rdf2str(ldns_rr_rdf(rr.get(), i));
        if (!s) {
            throw ContentError("cannot render the record data");
        }
        if (i > 0) {
            out += ' ';
        }
        out += s;
        LDNS_FREE(s);
    }
    return out;
}

} // namespace nuage::dns

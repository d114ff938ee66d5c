#include "zonestore/dns/rdata.hpp"

#include "zonestore/dns/ldns_handles.hpp"
#include "zonestore/dns/wire.hpp"

#include <vector>

namespace nuage::dns {

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

bool is_data_type(std::uint16_t type)
{
    using namespace rrtype;
    if (type == 0 || type == OPT || type == RRSIG || type == NSEC || type == NSEC3) {
        return false;
    }
    if (type >= 128 && type <= 255) {  // RFC 6895 §3.1: meta and query types
        return false;
    }
    return true;
}

std::string rdata_from_text(std::uint16_t type, std::string_view content, const Name& origin)
{
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
    BufferPtr buf(ldns_buffer_new(512));
    if (ldns_rr_rdata2buffer_wire(buf.get(), rr.get()) != LDNS_STATUS_OK) {
        throw ContentError("cannot encode the record data");
    }
    std::string wire(reinterpret_cast<const char*>(ldns_buffer_begin(buf.get())),
                     ldns_buffer_position(buf.get()));
    if (wire.size() > 65535) {
        throw ContentError("record data longer than 65535 octets");
    }
    return wire;
}

std::string rdata_to_text(std::uint16_t type, std::string_view wire)
{
    // Build a whole RR on the wire (root owner, class IN, TTL 0) for ldns_wire2rr.
    std::vector<std::uint8_t> rr_wire(1 + 10 + wire.size());
    rr_wire[0] = 0;
    write_u16(&rr_wire[1], type);
    write_u16(&rr_wire[3], 1);
    write_u32(&rr_wire[5], 0);
    write_u16(&rr_wire[9], static_cast<std::uint16_t>(wire.size()));
    std::memcpy(rr_wire.data() + 11, wire.data(), wire.size());
    ldns_rr* raw = nullptr;
    std::size_t pos = 0;
    ldns_status st =
        ldns_wire2rr(&raw, rr_wire.data(), rr_wire.size(), &pos, LDNS_SECTION_ANSWER);
    RrPtr rr(raw);
    if (st != LDNS_STATUS_OK || !rr) {
        throw ContentError(ldns_get_errorstr_by_id(st));
    }
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

}  // namespace nuage::dns

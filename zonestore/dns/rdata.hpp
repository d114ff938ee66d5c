// rdata.hpp -- presentation <-> wire RDATA and type names, through ldns.
// Used by the store (validation), the compiler and the tools. Never on the query path.
#pragma once

#include "zonestore/dns/name.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace nuage::dns {

namespace rrtype {
inline constexpr std::uint16_t A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, HINFO = 13, MX = 15,
                               TXT = 16, AAAA = 28, LOC = 29, SRV = 33, NAPTR = 35, CERT = 37,
                               DNAME = 39, OPT = 41, DS = 43, SSHFP = 44, RRSIG = 46, NSEC = 47,
                               DNSKEY = 48, NSEC3 = 50, TLSA = 52, SVCB = 64, HTTPS = 65,
                               IXFR = 251, AXFR = 252, MAILB = 253, MAILA = 254, ANY = 255,
                               URI = 256, CAA = 257;
}

// Thrown when content does not parse for its type; what() says why, without the field name
// (the caller knows the field).
struct ContentError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "AAAA" -> 28, "TYPE65280" -> 65280 (RFC 3597 §5); nullopt when unknown.
std::optional<std::uint16_t> rrtype_from_text(std::string_view text);
// 28 -> "AAAA", 65280 -> "TYPE65280".
std::string rrtype_to_text(std::uint16_t type);
// Types whose presentation format ldns, knotd and nsd print and read alike (A, MX, TXT, SVCB,
// ...). Other types are written and checked as RFC 3597 data.
bool is_portable_type(std::uint16_t type);
// Types that may appear as data in a zone (not OPT, meta-types or query-only types).
bool is_data_type(std::uint16_t type);

// Parses the presentation RDATA of `type` into uncompressed wire form. Relative names are
// completed with `origin`. Accepts RFC 3597 "\# len hex" for every type (checked against the
// fields of a portable type, opaque for the others). The whole content must parse: integers in
// their range, no ';' comment, no NUL byte. Throws ContentError.
std::string rdata_from_text(std::uint16_t type, std::string_view content, const Name& origin);
// RFC 3597 §5 generic form of wire RDATA: "\# 0", "\# 4 0a000001".
std::string rdata_to_generic(std::string_view wire);

// A record's type and RDATA as a master-file line writes them so that ldns, knotd and nsd read
// back the same octets: a portable type by its name and presentation form (names absolute,
// escaped by name_to_master_text), anything else, and empty RDATA, as "TYPEnnn" and
// rdata_to_generic (RFC 3597 §5). Throws ContentError on malformed wire data.
struct MasterText {
    std::string type;
    std::string rdata;
};
MasterText to_master_text(std::uint16_t type, std::string_view wire);
// The RDATA half of to_master_text.
inline std::string rdata_to_text(std::uint16_t type, std::string_view wire)
{
    return to_master_text(type, wire).rdata;
}

} // namespace nuage::dns

#include "zonestore/dns/rdata_guard.hpp"

#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/ttl_text.hpp"

#include <algorithm>
#include <span>

namespace nuage::dns::guard {

namespace {

bool is_separator(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '(' || c == ')';
}

bool all_digits(std::string_view s)
{
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = static_cast<char>(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// ldns reads numbers with strtol and a cast (str2host.c): refuse what it would wrap. A token
// that is not a number is a mnemonic ldns read (RFC 4034 algorithm, RFC 4398 certificate
// type names).
void check_unsigned(std::string_view token, std::uint64_t max)
{
    bool signed_number =
        token.size() > 1 && (token[0] == '-' || token[0] == '+') && all_digits(token.substr(1));
    if (!signed_number && !all_digits(token)) {
        return;
    }
    bool fits = !signed_number && token.size() <= 10 && std::stoull(std::string(token)) <= max;
    if (!fits) {
        throw ContentError(std::string(token) + " is out of range (0 to " + std::to_string(max) +
                           ")");
    }
}

// RFC 1035 §5.1 leaves a first label "@" to mean the origin; ldns also replaces "\@" and
// "\064", which knotd and nsd read as the one-octet label "@".
void keep_escaped_at(ldns_rr* rr, std::size_t index, std::string_view token, const ldns_rdf* origin)
{
    if (!token.starts_with("\\@") && !token.starts_with("\\064")) {
        return;
    }
    std::string text(token);
    ldns_rdf* raw = nullptr;
    if (ldns_str2rdf_dname(&raw, text.c_str()) != LDNS_STATUS_OK || !raw) {
        throw ContentError(std::string(token) + " is not a valid domain name");
    }
    RdfPtr name(raw);
    if (origin && !ldns_dname_str_absolute(text.c_str()) &&
        ldns_dname_cat(name.get(), origin) != LDNS_STATUS_OK) {
        throw ContentError(std::string(token) + " is longer than 255 octets");
    }
    ldns_rdf_deep_free(ldns_rr_set_rdf(rr, name.release(), index));
}

// RFC 9460 §7.2: port=N is 16 bits, which ldns wraps too.
void check_svc_port(std::span<const std::string_view> params)
{
    for (std::string_view p : params) {
        for (std::string_view key : {"port=", "key3="}) {
            if (p.starts_with(key)) {
                std::string_view v = p.substr(key.size());
                if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
                    v = v.substr(1, v.size() - 2);
                }
                check_unsigned(v, 65535);
            }
        }
    }
}

} // namespace

std::vector<std::string_view> split_fields(std::string_view s)
{
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_separator(s[i])) {
            ++i;
            continue;
        }
        std::size_t start = i;
        bool quoted = false;
        for (; i < s.size() && (quoted || !is_separator(s[i])); ++i) {
            if (s[i] == '\\') {
                ++i;
            } else if (s[i] == '"') {
                quoted = !quoted;
            } else if (s[i] == ';' && !quoted) {
                // In a master file ';' starts a comment, and ldns drops the rest of the line:
                // content would lose its end silently.
                throw ContentError("';' outside quotes: content holds no comment (write \\; "
                                   "for the character)");
            }
        }
        if (quoted) {
            throw ContentError("a quote is never closed");
        }
        out.push_back(s.substr(start, std::min(i, s.size()) - start));
    }
    return out;
}

std::string generic_rdata(const std::vector<std::string_view>& fields)
{
    if (fields.size() < 2 || !all_digits(fields[1]) || fields[1].size() > 5 ||
        std::stoul(std::string(fields[1])) > 65535) {
        throw ContentError("\\# takes the RDATA length, 0 to 65535, then its octets in hex "
                           "(RFC 3597 §5)");
    }
    std::size_t length = std::stoul(std::string(fields[1]));
    std::string hex;
    for (std::size_t i = 2; i < fields.size(); ++i) {
        hex += fields[i];
    }
    std::string wire;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
        if (hi < 0 || lo < 0) {
            break;
        }
        wire += static_cast<char>(hi * 16 + lo);
    }
    if (hex.size() != 2 * length || wire.size() != length) {
        throw ContentError("\\# " + std::to_string(length) + " announces " +
                           std::to_string(length) + " octets; the hex after it spells " +
                           (wire.size() * 2 == hex.size() ? std::to_string(wire.size())
                                                          : std::string("something else")) +
                           " (RFC 3597 §5)");
    }
    return wire;
}

void check_fields(ldns_rr* rr, const std::vector<std::string_view>& fields, const ldns_rdf* origin)
{
    std::size_t n = std::min(ldns_rr_rd_count(rr), fields.size());
    for (std::size_t i = 0; i < n; ++i) {
        std::string_view token = fields[i];
        switch (ldns_rdf_get_type(ldns_rr_rdf(rr, i))) {
        case LDNS_RDF_TYPE_INT8:
        case LDNS_RDF_TYPE_ALG:
        case LDNS_RDF_TYPE_CERTIFICATE_USAGE: // TLSA's, with RFC 7218 mnemonics
        case LDNS_RDF_TYPE_SELECTOR:
        case LDNS_RDF_TYPE_MATCHING_TYPE:
            check_unsigned(token, 255);
            break;
        case LDNS_RDF_TYPE_INT16:
        case LDNS_RDF_TYPE_CERT_ALG:
            check_unsigned(token, 65535);
            break;
        case LDNS_RDF_TYPE_INT32:
            check_unsigned(token, 4294967295);
            break;
        case LDNS_RDF_TYPE_PERIOD: { // SOA timers: ldns wraps them past 32 bits too
            std::string why;
            if (!parse_ttl_text(token, &why)) {
                throw ContentError("time value " + why);
            }
            break;
        }
        case LDNS_RDF_TYPE_DNAME:
            keep_escaped_at(rr, i, token, origin);
            break;
        case LDNS_RDF_TYPE_SVCPARAMS:
            check_svc_port(std::span(fields).subspan(i));
            return;
        case LDNS_RDF_TYPE_A:
        case LDNS_RDF_TYPE_AAAA:
        case LDNS_RDF_TYPE_STR:
        case LDNS_RDF_TYPE_TYPE:
        case LDNS_RDF_TYPE_CLASS:
        case LDNS_RDF_TYPE_TIME:
        case LDNS_RDF_TYPE_TAG:
        case LDNS_RDF_TYPE_ILNP64:
        case LDNS_RDF_TYPE_EUI48:
        case LDNS_RDF_TYPE_EUI64:
            break; // one token each, nothing ldns gets wrong
        default:
            return; // a field that may take several tokens: the ones after are ldns's alone
        }
    }
}

} // namespace nuage::dns::guard

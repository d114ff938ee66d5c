#include "dnsd/flatten/wire.hpp"

#include "zonestore/dns/ldns_handles.hpp"
#include "zonestore/dns/wire.hpp"

#include <algorithm>
#include <cstring>
#include <ldns/ldns.h>
#include <openssl/rand.h>
#include <stdexcept>

namespace nuage::flatten {

namespace {

constexpr std::uint16_t kClassIn = 1, kTypeCname = 5, kTypeSoa = 6, kTypeOpt = 41;
constexpr std::uint16_t kEdnsPayload = 1232;

void random_bytes(std::uint8_t* p, std::size_t n)
{
    if (RAND_bytes(p, static_cast<int>(n)) != 1) {
        throw std::runtime_error("no randomness from OpenSSL (RAND_bytes)");
    }
}

// RFC 2181 §8: a TTL with the top bit set is taken as 0.
std::uint32_t ttl_of(const ldns_rr* rr)
{
    std::uint32_t t = ldns_rr_ttl(rr);
    return t & 0x80000000u ? 0 : t;
}

std::optional<dns::Name> name_of(const ldns_rdf* rdf)
{
    if (!rdf || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME) {
        return std::nullopt;
    }
    return dns::Name::from_wire(
        {reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf)});
}

// The checks that need no parse: is this message the response to `q` at all? Anything else
// may be a forgery or a late answer (RFC 5452 §9.1): the caller keeps waiting over UDP.
std::string header_mismatch(std::span<const std::uint8_t> m, const Question& q)
{
    if (m.size() < dns::kHeaderSize + q.qname.size() + 4) {
        return "shorter than a header and the question";
    }
    if (dns::read_u16(m.data()) != q.id) {
        return "wrong ID";
    }
    if (!(m[2] & 0x80) || ((m[2] >> 3) & 0x0f) != 0) {
        return "not a response to a QUERY";
    }
    if (dns::read_u16(m.data() + 4) != 1) {
        return "QDCOUNT is not 1";
    }
    // 0x20: the question must come back byte for byte, case included.
    const std::uint8_t* qn = m.data() + dns::kHeaderSize;
    if (!std::equal(q.qname.begin(), q.qname.end(), qn,
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; })) {
        return "the question's name or case differs";
    }
    const std::uint8_t* tail = qn + q.qname.size();
    if (dns::read_u16(tail) != q.qtype || dns::read_u16(tail + 2) != kClassIn) {
        return "the question's type or class differs";
    }
    return {};
}

UpstreamAnswer failure(std::string why)
{
    UpstreamAnswer a;
    a.kind = UpstreamAnswer::Kind::Failure;
    a.why = std::move(why);
    return a;
}

struct Chain {
    dns::Name name;
    std::uint32_t ttl = UINT32_MAX;
    std::size_t cnames = 0;
    std::vector<dns::Name> seen;
};

// Follows the CNAMEs of the answer section from the question (in-bailiwick of the chain only).
std::string follow_cnames(const ldns_rr_list* answer, Chain& c, std::size_t max_cnames)
{
    for (bool moved = true; moved;) {
        moved = false;
        for (std::size_t i = 0; i < ldns_rr_list_rr_count(answer); ++i) {
            const ldns_rr* rr = ldns_rr_list_rr(answer, i);
            if (ldns_rr_get_type(rr) != kTypeCname || ldns_rr_get_class(rr) != kClassIn) {
                continue;
            }
            auto owner = name_of(ldns_rr_owner(rr));
            if (!owner || !(*owner == c.name)) {
                continue;
            }
            auto target = name_of(ldns_rr_rdf(rr, 0));
            if (!target) {
                return "a CNAME without a target name";
            }
            if (++c.cnames > max_cnames) {
                return "more than " + std::to_string(max_cnames) + " CNAMEs";
            }
            if (std::find(c.seen.begin(), c.seen.end(), *target) != c.seen.end()) {
                return "a CNAME loop at " + target->to_text();
            }
            c.seen.push_back(*target);
            c.ttl = std::min(c.ttl, ttl_of(rr));
            c.name = std::move(*target);
            moved = true;
            break;
        }
    }
    return {};
}

// The negative TTL of RFC 2308 §5 from an SOA that is at or above the final name, or nullopt.
std::optional<std::uint32_t> negative_ttl(const ldns_rr_list* authority, const dns::Name& name)
{
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(authority); ++i) {
        const ldns_rr* rr = ldns_rr_list_rr(authority, i);
        auto owner = name_of(ldns_rr_owner(rr));
        if (ldns_rr_get_type(rr) != kTypeSoa || !owner || !name.is_subdomain_of(*owner) ||
            ldns_rr_rd_count(rr) != 7) {
            continue;
        }
        std::uint32_t minimum = ldns_rdf2native_int32(ldns_rr_rdf(rr, 6));
        return std::min(ttl_of(rr), minimum);
    }
    return std::nullopt;
}

UpstreamAnswer read_parsed(const ldns_pkt* pkt, const Question& q, std::size_t max_cnames)
{
    ldns_pkt_rcode rc = ldns_pkt_get_rcode(pkt);
    if (rc != LDNS_RCODE_NOERROR && rc != LDNS_RCODE_NXDOMAIN) {
        return failure("RCODE " + std::to_string(static_cast<int>(rc)));
    }
    Chain c{*dns::Name::from_wire(q.qname), UINT32_MAX, 0, {}};
    c.seen.push_back(c.name);
    const ldns_rr_list* answer = ldns_pkt_answer(pkt);
    if (auto why = follow_cnames(answer, c, max_cnames); !why.empty()) {
        return failure(why);
    }
    UpstreamAnswer a;
    a.final_name = c.name;
    a.cnames = c.cnames;
    a.chain.assign(c.seen.begin() + 1, c.seen.end());
    std::size_t want_len = q.qtype == kTypeA ? 4 : 16;
    std::uint32_t ttl = c.ttl;
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(answer); ++i) {
        const ldns_rr* rr = ldns_rr_list_rr(answer, i);
        auto owner = name_of(ldns_rr_owner(rr));
        if (ldns_rr_get_type(rr) != q.qtype || ldns_rr_get_class(rr) != kClassIn || !owner ||
            !(*owner == c.name)) {
            continue; // off the chain: never trusted (RFC 5452 §6)
        }
        const ldns_rdf* rd = ldns_rr_rdf(rr, 0);
        if (ldns_rr_rd_count(rr) != 1 || ldns_rdf_size(rd) != want_len) {
            return failure("a malformed address record");
        }
        a.rdatas.emplace_back(reinterpret_cast<const char*>(ldns_rdf_data(rd)), want_len);
        ttl = std::min(ttl, ttl_of(rr));
    }
    if (!a.rdatas.empty()) {
        std::sort(a.rdatas.begin(), a.rdatas.end());
        a.rdatas.erase(std::unique(a.rdatas.begin(), a.rdatas.end()), a.rdatas.end());
        a.kind = UpstreamAnswer::Kind::Data;
        a.ttl = ttl;
        return a;
    }
    auto neg = negative_ttl(ldns_pkt_authority(pkt), c.name);
    if (rc == LDNS_RCODE_NXDOMAIN || neg) {
        a.kind = UpstreamAnswer::Kind::NoData;
        a.ttl = std::min(ttl, neg.value_or(kNoSoaNegativeTtl));
        return a;
    }
    if (c.cnames > 0) {
        // An authoritative upstream stops at its zone's edge: ask for the rest.
        a.kind = UpstreamAnswer::Kind::Follow;
        a.ttl = ttl;
        return a;
    }
    if (!ldns_pkt_aa(pkt) && !ldns_pkt_ra(pkt)) {
        return failure("neither an answer nor authoritative (a referral?)");
    }
    a.kind = UpstreamAnswer::Kind::NoData; // NODATA without an SOA
    a.ttl = std::min(ttl, kNoSoaNegativeTtl);
    return a;
}

} // namespace

Question random_question(const dns::Name& name, std::uint16_t qtype)
{
    Question q;
    q.qtype = qtype;
    q.qname = name.wire();
    std::uint8_t id[2];
    random_bytes(id, sizeof id);
    q.id = dns::read_u16(id);
    std::vector<std::uint8_t> bits(q.qname.size());
    random_bytes(bits.data(), bits.size());
    std::size_t i = 0;
    while (i < q.qname.size() && q.qname[i] != 0) {
        std::size_t len = static_cast<std::uint8_t>(q.qname[i]);
        for (std::size_t j = i + 1; j <= i + len; ++j) {
            char ch = q.qname[j];
            if (ch >= 'a' && ch <= 'z' && (bits[j] & 1)) {
                q.qname[j] = static_cast<char>(ch - 'a' + 'A');
            }
        }
        i += 1 + len;
    }
    return q;
}

std::vector<std::uint8_t> make_query(const Question& q)
{
    constexpr std::size_t kOptSize = 11;
    std::vector<std::uint8_t> m(dns::kHeaderSize + q.qname.size() + 4 + kOptSize, 0);
    std::uint8_t* p = m.data();
    dns::write_u16(p, q.id);
    p[2] = 0x01;               // RD
    dns::write_u16(p + 4, 1);  // QDCOUNT
    dns::write_u16(p + 10, 1); // ARCOUNT: the OPT
    p += dns::kHeaderSize;
    std::memcpy(p, q.qname.data(), q.qname.size());
    p += q.qname.size();
    dns::write_u16(p, q.qtype);
    dns::write_u16(p + 2, kClassIn);
    // OPT (RFC 6891 §6.1.2): root owner, type, payload size as class, TTL 0, no options.
    dns::write_u16(p + 5, kTypeOpt);
    dns::write_u16(p + 7, kEdnsPayload);
    return m;
}

UpstreamAnswer read_answer(std::span<const std::uint8_t> msg, const Question& q,
                           std::size_t max_cnames)
{
    if (std::string why = header_mismatch(msg, q); !why.empty()) {
        UpstreamAnswer a;
        a.why = std::move(why);
        return a; // Mismatch
    }
    if (msg[2] & 0x02) {
        UpstreamAnswer a;
        a.kind = UpstreamAnswer::Kind::Truncated;
        return a;
    }
    ldns_pkt* raw = nullptr;
    if (ldns_wire2pkt(&raw, msg.data(), msg.size()) != LDNS_STATUS_OK) {
        return failure("a malformed message");
    }
    std::unique_ptr<ldns_pkt, decltype(&ldns_pkt_free)> pkt(raw, &ldns_pkt_free);
    return read_parsed(pkt.get(), q, max_cnames);
}

} // namespace nuage::flatten

// wire.hpp -- the stub resolver's messages (DESIGN §2 "hardened like a resolver's"): a query
// with a random ID and the name in random 0x20 case, and the reading of an answer, checked
// against its question (ID, QR, opcode, the question byte for byte with its case, class) and
// reduced to what flattening needs: the final addresses of the CNAME chain starting at the
// question, records off that chain ignored (RFC 5452 §6, RFC 2181 §5.4.1). Not the query path:
// ldns decodes the sections.
#pragma once

#include "zonestore/dns/name.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nuage::flatten {

inline constexpr std::uint16_t kTypeA = 1, kTypeAAAA = 28;
// CNAMEs a flattened name's target may go through, in the snapshot and upstream (DESIGN §2).
inline constexpr std::size_t kMaxFlattenChain = 8;
// A negative answer without an SOA to take its TTL from (RFC 2308 §5) is kept this long.
inline constexpr std::uint32_t kNoSoaNegativeTtl = 30;

struct Question {
    std::uint16_t id = 0;
    std::string qname; // uncompressed wire, in the 0x20 case sent
    std::uint16_t qtype = kTypeA;
};

// A question for `name` with a random ID (RFC 5452 §9.2) and each letter's case random
// (draft-vixie-dnsext-dns0x20), from OpenSSL's CSPRNG.
Question random_question(const dns::Name& name, std::uint16_t qtype);

// The query: RD set (upstreams are resolvers), EDNS(0) with a 1232-octet payload (RFC 6891).
std::vector<std::uint8_t> make_query(const Question& q);

struct UpstreamAnswer {
    enum class Kind {
        Mismatch,  // not an answer to this question (forged, late or garbled): ignored on UDP
        Truncated, // TC: ask the same upstream over TCP (RFC 7766 §5)
        Failure,   // a bad RCODE, a malformed or lame answer, a CNAME loop or too long a chain
        Data,      // the addresses of `final_name`
        NoData,    // NXDOMAIN or NODATA at `final_name` (RFC 6604 §3: the last name's rcode)
        Follow,    // the chain leaves the answer at `final_name`: ask again for that name
    };
    Kind kind = Kind::Mismatch;
    std::vector<std::string> rdatas; // Data: wire RDATA, sorted, no duplicates
    std::uint32_t ttl = 0;           // the smallest TTL over the chain and the data
    dns::Name final_name;
    std::size_t cnames = 0; // CNAMEs followed in this answer
    std::vector<dns::Name> chain; // their targets, in order (the last is final_name)
    std::string why;        // Mismatch and Failure: for the log
};

// Reads `msg`, the response to `q`, following at most `max_cnames` CNAMEs from the question.
UpstreamAnswer read_answer(std::span<const std::uint8_t> msg, const Question& q,
                           std::size_t max_cnames);

} // namespace nuage::flatten

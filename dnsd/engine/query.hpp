// query.hpp -- QueryView: a non-owning, validated view of one received DNS message (header,
// the question, the OPT record), plus the lowercased query name the lookup works on.
// Parsing never allocates and never trusts a length it has not checked (RFC 1035 §4.1).
#pragma once

#include "zonestore/dns/wire.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace nuage::engine {

namespace rcode {
inline constexpr std::uint16_t kNoError = 0, kFormErr = 1, kServFail = 2, kNxDomain = 3,
                               kNotImp = 4, kRefused = 5, kNotAuth = 9, kBadVers = 16;
}

namespace opcode {
inline constexpr std::uint8_t kQuery = 0, kNotify = 4, kUpdate = 5;
}

// What the parse found, in the order the checks run. Everything but Drop gets an answer.
enum class ParseStatus : std::uint8_t {
    Ok,      // one question, a well-formed message
    Drop,    // shorter than a header, or a response (QR set): never answered
    FormErr, // malformed: FORMERR (question and OPT echoed only if they parsed)
};

struct EdnsInfo {
    bool present = false;
    std::uint8_t version = 0;
    bool dnssec_ok = false;      // DO bit (RFC 3225 §3): copied into the response
    std::uint16_t payload = 512; // the requestor's UDP payload size, as sent
};

// A TSIG record (RFC 8945 §4.2), the last of the message: where its owner (the key name,
// maybe compressed) and its RDATA are in the query.
struct TsigInfo {
    bool present = false;
    std::size_t owner_pos = 0;
    std::size_t rdata_pos = 0;
    std::size_t algorithm_len = 0; // the algorithm name at the start of the RDATA
};

struct QueryView {
    const std::uint8_t* wire = nullptr;
    std::size_t size = 0;

    std::uint16_t id = 0;
    std::uint8_t opcode = 0;
    bool rd = false;
    std::uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;

    // The question, when exactly one parsed. `qname` points into `wire` (the query's own case);
    // `lower` holds the same name lowercased (RFC 4343), which every lookup uses.
    bool has_question = false;
    const std::uint8_t* qname = nullptr;
    std::uint8_t qname_len = 0;
    std::uint16_t qtype = 0, qclass = 0;
    std::uint8_t lower[dns::kMaxNameWire]; // qname_len bytes valid

    // Set only when every record of the message parsed: a FORMERR caused by a broken record
    // or trailing bytes does not echo an OPT (as Knot DNS 3.2 does).
    EdnsInfo edns;
    TsigInfo tsig;
};

// Parses `msg` into `q`. Checks, in order: header size and QR (Drop); QDCOUNT <= 1 and the
// question (names without compression, labels <= 63, name <= 255 octets); every record the
// counts announce (names may be compressed, pointing backwards only); OPT only in the
// additional section, at most once, with the root owner and well-formed options (RFC 6891
// §6.1.1); TSIG only as the last record, of class ANY, its RDATA well-formed (RFC 8945 §5.2);
// no trailing bytes. Semantic checks (QDCOUNT 0, opcode, class, ...) are left to the
// caller, which can then still echo the OPT.
ParseStatus parse_query(std::span<const std::uint8_t> msg, QueryView& q) noexcept;

// Copies the name at `pos` of a message parse_query accepted (pointers followed) into `out`,
// uncompressed; returns its length.
std::size_t expand_name(const QueryView& q, std::size_t pos,
                        std::uint8_t (&out)[dns::kMaxNameWire]) noexcept;

} // namespace nuage::engine

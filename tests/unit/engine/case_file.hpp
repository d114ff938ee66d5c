// case_file.hpp -- test support: the golden engine cases of tests/engine_cases/*.txt.
// A file holds zones (zone ORIGIN ... endzone) and cases (case LABEL ... end): a query,
// given as options or raw hex, and the expected response. The format is described in
// tests/engine_cases/README.md. Parsing and query building use ldns (tests only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nuage::test {

struct ZoneText {
    std::string origin;
    std::string text;
};

struct ExpectedEdns {
    bool present = false;
    std::uint16_t payload = 1232;
    bool dnssec_ok = false;
    int ede = -1; // the one EDNS option expected: Extended DNS Error with this INFO-CODE
};

struct EngineCase {
    std::string file;
    int line = 0;
    std::string label;

    // The query: built from these fields, or the bytes of `raw` lines when there are any
    // (possibly none at all: the empty message).
    bool has_raw = false;
    std::vector<std::uint8_t> raw;
    std::string qname;
    std::string qtype = "A";
    std::string qclass = "IN";
    std::uint16_t id = 0x2a2a;
    std::uint8_t opcode = 0;
    std::uint16_t header_bits = 0; // RD, CD, AD, Z, TC, RA as given (+rd, +cd, ...)
    bool edns = false;
    std::uint16_t edns_payload = 1232;
    std::uint8_t edns_version = 0;
    std::uint16_t edns_flags = 0; // +do sets 0x8000
    bool tcp = false;

    // The expected response.
    bool drop = false;
    std::string rcode;                       // NOERROR, NXDOMAIN, ... BADVERS
    std::vector<std::string> flags;          // exactly these header bits: qr aa tc rd ra ad cd
    bool question_echoed = true;             // "question none": QDCOUNT 0
    std::optional<ExpectedEdns> edns_expect; // default: an OPT iff the query had one
    std::size_t max_size = 0;                // 0: no bound given
    std::vector<std::string> sections[3];    // answer, authority, additional (RR lines)
};

struct CaseFile {
    std::string path;
    std::vector<ZoneText> zones;
    std::vector<EngineCase> cases;
};

// Reads one case file; throws std::runtime_error "file:line: reason" on a syntax error.
CaseFile read_case_file(const std::string& path);

// The query bytes of a case (wire format, the name's case kept).
std::vector<std::uint8_t> build_query(const EngineCase& c);

} // namespace nuage::test

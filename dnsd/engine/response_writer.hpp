// response_writer.hpp -- writes a response into a caller-owned buffer: header, the question in
// the query's case, whole RRsets with name compression (owners and the names inside the RDATA
// of the RFC 1035 types only, RFC 3597 §4), and the OPT record (RFC 6891). An RRset that does
// not fit is left out whole; the caller decides whether that sets TC (RFC 2181 §9).
#pragma once

#include "dnsd/engine/answer_plan.hpp"
#include "dnsd/engine/name_compressor.hpp"
#include "dnsd/engine/query.hpp"

#include <cstddef>
#include <cstdint>

namespace nuage::engine {

// The UDP payload size we advertise, and the most we send (DNS flag day 2020).
inline constexpr std::uint16_t kOurPayload = 1232;
inline constexpr std::size_t kOptSize = 11; // root owner, fixed fields, no options

enum class Section : std::uint8_t { Answer = 0, Authority = 1, Additional = 2 };

// Extended DNS Error info codes (RFC 8914 §4) the engine sends, or none.
inline constexpr std::uint16_t kNoEde = 0xFFFF;
inline constexpr std::uint16_t kEdeNotAuthoritative = 20;

class ResponseWriter {
public:
    // `out` holds `limit` bytes at least: the most this response may use, OPT included.
    ResponseWriter(std::uint8_t* out, std::size_t limit) noexcept;

    // Starts the response to `q`: ID, opcode and RD echoed, QR set, everything else clear
    // (RA never: we do not recurse; AD and CD clear as Knot DNS and NSD answer). The question
    // is copied verbatim, so its case is the query's (0x20). Room for an OPT is kept when
    // `q.edns.present`.
    void begin(const QueryView& q, bool with_question) noexcept;

    void set_aa() noexcept { out_[2] |= 0x04; }
    void set_tc() noexcept { out_[2] |= 0x02; }
    bool truncated() const noexcept { return (out_[2] & 0x02) != 0; }

    // Writes every RR of `r` in `section`, or nothing when they do not all fit.
    bool put(Section section, const PlanRRset& r) noexcept;

    // Sets the rcode (its upper bits go into the OPT, RFC 6891 §6.1.3), writes the OPT when the
    // query had one (DO copied, an Extended DNS Error option when `ede` is a code and it
    // fits), fills in the counts. Returns the response length.
    std::size_t finish(std::uint16_t rcode, const EdnsInfo& edns,
                       std::uint16_t ede = kNoEde) noexcept;

    // finish(), then an unsigned TSIG record after the OPT carrying `tsig_error` for the
    // query's TSIG (RFC 8945 §5.2: key name, algorithm, time signed, fudge and original ID
    // echoed, no MAC), when it fits.
    std::size_t finish_tsig_error(std::uint16_t rcode, const QueryView& q,
                                  std::uint16_t tsig_error) noexcept;

private:
    // The owner of one RR: written (compressed) for the first RR of an RRset, whose offset is
    // kept in `first_at`, and as a pointer to it for the others.
    bool put_owner(const std::uint8_t* owner, std::size_t& first_at) noexcept;
    bool put_rr(std::uint16_t type, std::uint32_t ttl, const std::uint8_t* rdata,
                std::size_t rdlen) noexcept;
    bool put_rdata(std::uint16_t type, const std::uint8_t* rd, std::size_t len) noexcept;
    bool put_name(const std::uint8_t* name, std::size_t len) noexcept;
    bool put_bytes(const std::uint8_t* p, std::size_t len) noexcept;

    std::uint8_t* out_;
    std::size_t limit_; // for records: the OPT's room already taken off
    std::size_t total_limit_;
    std::size_t pos_ = 0;
    std::uint16_t counts_[3] = {0, 0, 0};
    NameCompressor names_;
};

} // namespace nuage::engine

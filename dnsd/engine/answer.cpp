// answer.cpp -- the engine's entry point: parse -> checks -> resolve -> write, then the
// additional section (additional.cpp). Error answers and their precedence follow Knot DNS 3.2 where
// the RFCs leave the choice open (see the comments at each check).
#include "dnsd/engine/answer.hpp"

#include "dnsd/engine/additional.hpp"
#include "dnsd/engine/lookup.hpp"
#include "dnsd/engine/query.hpp"
#include "dnsd/engine/response_writer.hpp"

#include <algorithm>

namespace nuage::engine {

namespace {

constexpr std::uint16_t kIXFR = 251, kAXFR = 252;
constexpr std::uint16_t kClassIn = 1, kClassAny = 255;
constexpr std::uint16_t kProceed = 0xFFFF;
constexpr std::uint16_t kNeedsZone = 0xFFFE; // answered from the catalog: REFUSED or NOTAUTH
constexpr std::size_t kMinOut = 512;
constexpr std::uint16_t kTsigBadKey = 17;

// RFC 6891 §6.2.5: a payload under 512 is treated as 512; we never send more than 1232 over
// UDP whatever the client offers (DNS flag day 2020). TCP: one message of up to 65535.
std::size_t response_limit(const QueryView& q, Transport t, std::size_t out_size) noexcept
{
    std::size_t limit = kMaxMessage;
    if (t == Transport::Udp) {
        limit = q.edns.present ? std::min<std::size_t>(std::max<std::size_t>(q.edns.payload, 512),
                                                       kMaxUdpPayload)
                               : 512;
    }
    return std::min(limit, out_size);
}

// Checks on a well-formed message, before any lookup: the error rcode, kNeedsZone, or
// kProceed. Records in the answer and authority sections of a QUERY are not looked at (as Knot
// DNS; RFC 1035 §4.1.1: the question is what is interpreted).
std::uint16_t precheck(const QueryView& q, Transport t) noexcept
{
    if (q.edns.present && q.edns.version > 0) {
        return rcode::kBadVers; // RFC 6891 §6.1.3; before anything else, as Knot DNS
    }
    if (q.qdcount == 0) {
        return rcode::kFormErr; // RFC 9619 §4
    }
    if (q.opcode == opcode::kNotify) {
        return kNeedsZone;
    }
    if (q.opcode != opcode::kQuery) {
        return rcode::kNotImp; // RFC 1035 §4.1.1; UPDATE too (RFC 2136 §3.8: not implemented)
    }
    if (q.qclass != kClassIn && q.qclass != kClassAny) {
        return rcode::kRefused; // CH, HS, NONE, ...: we serve no such zone (Knot DNS)
    }
    if (q.qtype == kAXFR && t == Transport::Udp) {
        return rcode::kNotImp; // RFC 5936 §4.2: no AXFR over UDP
    }
    if (q.qtype == kAXFR || q.qtype == kIXFR) {
        return kNeedsZone;
    }
    return kProceed;
}

// NOTIFY, AXFR and IXFR are not served yet (zone transfers come later): REFUSED by policy for
// a zone we serve (RFC 1035 §4.1.1, RFC 1996 §3.10), NOTAUTH for any other name (RFC 5936
// §2.2.1, RFC 2136 §2.2). The name must be a zone apex, as Knot DNS matches it.
std::uint16_t zone_policy(const snapshot::Catalog& catalog, const QueryView& q) noexcept
{
    const snapshot::ZoneData* z = catalog.find_zone(q.lower, q.qname_len);
    return z && z->origin.size() == q.qname_len ? rcode::kRefused : rcode::kNotAuth;
}

std::size_t error_response(ResponseWriter& w, const QueryView& q, std::uint16_t rc,
                           std::uint16_t ede = kNoEde) noexcept
{
    w.begin(q, true);
    return w.finish(rc, q.edns, ede);
}

std::size_t write_plan(ResponseWriter& w, const QueryView& q, const AnswerPlan& plan) noexcept
{
    w.begin(q, true);
    if (plan.aa) {
        w.set_aa();
    }
    // The answer and authority sections are required: the first RRset that does not fit sets
    // TC and ends the response there, keeping what fit (as Knot DNS and NSD do). The SOA of a
    // negative answer counts as required (RFC 2308 §3: it MUST be there to be cached).
    for (std::size_t i = 0; i < plan.answer_count; ++i) {
        if (!w.put(Section::Answer, plan.answer[i])) {
            w.set_tc();
            return w.finish(plan.rcode, q.edns);
        }
    }
    for (std::size_t i = 0; i < plan.authority_count; ++i) {
        if (!w.put(Section::Authority, plan.authority[i])) {
            w.set_tc();
            return w.finish(plan.rcode, q.edns);
        }
    }
    write_additional(w, plan);
    return w.finish(plan.rcode, q.edns);
}

} // namespace

std::size_t answer(const snapshot::Catalog& catalog, std::span<const std::uint8_t> query,
                   std::span<std::uint8_t> out, Transport transport) noexcept
{
    QueryView q;
    ParseStatus status = parse_query(query, q);
    if (status == ParseStatus::Drop || out.size() < kMinOut) {
        return 0;
    }
    ResponseWriter w(out.data(), response_limit(q, transport, out.size()));
    if (status == ParseStatus::FormErr) {
        return error_response(w, q, rcode::kFormErr);
    }
    if (q.tsig.present) {
        // RFC 8945 §5.2.1: a key the server does not know is NOTAUTH with TSIG error BADKEY,
        // unsigned. Nuage holds no TSIG keys yet (transfers come later), so every key is one.
        w.begin(q, true);
        return w.finish_tsig_error(rcode::kNotAuth, q, kTsigBadKey);
    }
    std::uint16_t rc = precheck(q, transport);
    if (rc == kNeedsZone) {
        rc = zone_policy(catalog, q);
    }
    if (rc != kProceed) {
        return error_response(w, q, rc);
    }
    AnswerPlan plan;
    resolve(catalog, q, plan);
    if (plan.refused) {
        // RFC 1035 §4.1.1, AA and RA clear, with the Extended DNS Error "Not Authoritative"
        // (RFC 8914 §4.21) as Knot DNS and NSD both add.
        return error_response(w, q, rcode::kRefused, kEdeNotAuthoritative);
    }
    if (plan.rcode == rcode::kServFail) {
        // A flattened name whose target's addresses are not known (DESIGN §2 "CNAME
        // flattening"): no partial answer, never a guess (RFC 1035 §4.1.1).
        return error_response(w, q, rcode::kServFail);
    }
    if (q.qclass == kClassAny) {
        // RFC 1035 §6.2: answers to QCLASS=* are never authoritative, so no AA and no SOA for
        // negative caching either (NSD; Knot DNS answers as for IN).
        plan.aa = false;
        if (plan.authority_count && !plan.authority[0].referral) {
            plan.authority_count = 0;
        }
    }
    return write_plan(w, q, plan);
}

} // namespace nuage::engine

// answer.cpp -- the engine's entry point: parse -> checks -> resolve -> write, then the
// additional section. Error answers and their precedence follow Knot DNS 3.2 where the RFCs
// leave the choice open (see the comments at each check).
#include "dnsd/engine/answer.hpp"

#include "dnsd/engine/lookup.hpp"
#include "dnsd/engine/query.hpp"
#include "dnsd/engine/response_writer.hpp"

#include <algorithm>

namespace nuage::engine {

namespace {

constexpr std::uint16_t kA = 1, kNS = 2, kMX = 15, kAAAA = 28, kSRV = 33, kSVCB = 64, kHTTPS = 65,
                        kIXFR = 251, kAXFR = 252;
constexpr std::uint16_t kClassIn = 1, kClassAny = 255;
constexpr std::uint16_t kProceed = 0xFFFF;
constexpr std::size_t kMaxAdditional = 64;
constexpr std::size_t kMinOut = 512;

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

// Checks on a well-formed message, before any lookup. Returns the error rcode, or kProceed.
std::uint16_t precheck(const QueryView& q, Transport t) noexcept
{
    if (q.edns.present && q.edns.version > 0) {
        return rcode::kBadVers; // RFC 6891 §6.1.3; before anything else, as Knot DNS
    }
    if (q.qdcount == 0) {
        return rcode::kFormErr;
    }
    if (q.opcode == opcode::kNotify || q.opcode == opcode::kUpdate) {
        return rcode::kNotAuth; // no primary or update ACL allows them (Knot DNS: NOTAUTH)
    }
    if (q.opcode != opcode::kQuery) {
        return rcode::kNotImp; // RFC 1035 §4.1.1
    }
    if (q.ancount != 0 || q.nscount != 0) {
        return rcode::kFormErr; // a QUERY carries no answer or authority records (as NSD)
    }
    if (q.qclass != kClassIn && q.qclass != kClassAny) {
        return rcode::kRefused; // CH, HS, NONE, ...: we serve no such zone (Knot, NSD)
    }
    if (q.qtype == kAXFR) {
        // RFC 5936 §4.2: no AXFR over UDP. Over TCP, transfers are not allowed yet: NOTAUTH,
        // as Knot DNS answers a client no ACL permits.
        return t == Transport::Udp ? rcode::kNotImp : rcode::kNotAuth;
    }
    if (q.qtype == kIXFR) {
        return rcode::kNotAuth;
    }
    if (q.qtype == 0) {
        return rcode::kNotImp; // RFC 6895 §3.1: type 0 is reserved (Knot DNS: NOTIMP)
    }
    return kProceed;
}

std::size_t error_response(ResponseWriter& w, const QueryView& q, std::uint16_t rc) noexcept
{
    w.begin(q, true);
    return w.finish(rc, q.edns);
}

bool needs_additional(std::uint16_t type) noexcept
{
    return type == kNS || type == kMX || type == kSRV || type == kSVCB || type == kHTTPS;
}

// The domain name inside one RR's RDATA that additional data is looked up for.
const std::uint8_t* rdata_target(std::uint16_t type, const std::uint8_t* rd, std::size_t len,
                                 std::size_t& tlen) noexcept
{
    std::size_t skip = type == kNS ? 0 : type == kSRV ? 6 : 2; // MX, SVCB, HTTPS: 2
    if (len <= skip) {
        return nullptr;
    }
    tlen = dns::name_wire_length(rd + skip, rd + len);
    return tlen > 1 ? rd + skip : nullptr; // the root ("." in SRV, SVCB) has no address
}

// Builds the additional section: A then AAAA for each target, in RDATA order, each RRset once
// (Knot DNS). Required glue (names at or below a referral's cut, RFC 9471 §3) sets TC when it
// does not fit; other additional data is simply left out (RFC 2181 §9).
class Additional {
public:
    Additional(ResponseWriter& w, const AnswerPlan& plan) noexcept : w_(w)
    {
        for (std::size_t i = 0; i < plan.answer_count; ++i) {
            remember(plan.answer[i].rrset, plan.answer[i].owner);
        }
        for (std::size_t i = 0; i < plan.authority_count; ++i) {
            remember(plan.authority[i].rrset, plan.authority[i].owner);
        }
    }

    // Returns false when the last record tried did not fit: Knot DNS stops there.
    bool add_for(const PlanRRset& r) noexcept
    {
        if (!needs_additional(r.rrset->type) || !r.zone) {
            return true;
        }
        bool ok = true;
        if (r.referral) {
            ok = pass(r, true);
        }
        return pass(r, false) && ok;
    }

private:
    // An RRset is written once per owner: the same wildcard RRset may serve two targets.
    void remember(const snapshot::RRset* s, const std::uint8_t* owner) noexcept
    {
        if (count_ < std::size(written_)) {
            written_[count_++] = {s, owner};
        }
    }

    bool contains(const snapshot::RRset* s, const std::uint8_t* owner) const noexcept
    {
        for (std::size_t i = 0; i < count_; ++i) {
            if (written_[i].rrset == s && same_owner(written_[i].owner, owner)) {
                return true;
            }
        }
        return false;
    }

    // Null stands for the query name: counted as the same, to stay on the safe side.
    static bool same_owner(const std::uint8_t* a, const std::uint8_t* b) noexcept
    {
        if (a == b || !a || !b) {
            return true;
        }
        std::size_t alen = dns::name_wire_length(a, a + dns::kMaxNameWire);
        std::size_t blen = dns::name_wire_length(b, b + dns::kMaxNameWire);
        return dns::names_equal_ci(a, alen, b, blen);
    }

    bool mandatory(const PlanRRset& r, const std::uint8_t* target, std::size_t tlen) const noexcept
    {
        if (!r.referral || !r.owner) {
            return false;
        }
        std::size_t olen = dns::name_wire_length(r.owner, r.owner + dns::kMaxNameWire);
        return olen != 0 && dns::is_subdomain_ci(target, tlen, r.owner, olen);
    }

    // One pass over the RDATA: the required glue first, then the rest (Knot DNS order).
    bool pass(const PlanRRset& r, bool required_pass) noexcept
    {
        bool last_ok = true;
        r.rrset->for_each([&](const std::uint8_t* rd, std::uint16_t len) {
            std::size_t tlen = 0;
            const std::uint8_t* target = rdata_target(r.rrset->type, rd, len, tlen);
            if (!target || mandatory(r, target, tlen) != required_pass) {
                return;
            }
            const snapshot::Node* node = find_additional_node(*r.zone, target, tlen);
            if (node) {
                last_ok = put_addresses(*node, target, *r.zone, required_pass);
            }
        });
        return last_ok;
    }

    bool put_addresses(const snapshot::Node& node, const std::uint8_t* owner,
                       const snapshot::ZoneData& zone, bool required) noexcept
    {
        for (std::uint16_t type : {kA, kAAAA}) {
            const snapshot::RRset* s = node.find(type);
            if (!s || contains(s, owner)) {
                continue;
            }
            if (count_ >= kMaxAdditional ||
                !w_.put(Section::Additional, {s, owner, s->ttl, &zone, false})) {
                if (required) {
                    w_.set_tc();
                }
                return false;
            }
            remember(s, owner);
        }
        return true;
    }

    ResponseWriter& w_;
    struct Written {
        const snapshot::RRset* rrset;
        const std::uint8_t* owner;
    };
    Written written_[kMaxAdditional + kMaxCnameChain + 2]; // the first count_ are used
    std::size_t count_ = 0;
};

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
    Additional additional(w, plan);
    bool go_on = true;
    for (std::size_t i = 0; go_on && i < plan.answer_count; ++i) {
        go_on = additional.add_for(plan.answer[i]);
    }
    for (std::size_t i = 0; go_on && i < plan.authority_count; ++i) {
        go_on = additional.add_for(plan.authority[i]);
    }
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
    std::uint16_t rc = precheck(q, transport);
    if (rc != kProceed) {
        return error_response(w, q, rc);
    }
    AnswerPlan plan;
    resolve(catalog, q, plan);
    if (plan.refused) {
        return error_response(w, q, rcode::kRefused); // RFC 1035 §4.1.1; AA and RA clear
    }
    return write_plan(w, q, plan);
}

} // namespace nuage::engine

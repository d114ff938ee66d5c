// answer_plan.hpp -- what the lookup decided, before a byte is written: the rcode, AA and the
// RRsets of the answer and authority sections, as pointers into the snapshot (NSD's
// answer_type). Fixed-size: building a plan never allocates. The additional section is not
// planned: the writer derives it from these RRsets (RFC 1034 §4.3.2 step 6).
#pragma once

#include "zonestore/snapshot/rrset.hpp"
#include "zonestore/snapshot/zone_data.hpp"

#include <cstdint>

namespace nuage::engine {

// CNAMEs followed at most, per answer (RFC 1034 §4.3.2 step 3a gives no bound; we stop here).
inline constexpr std::size_t kMaxCnameChain = 16;

// One RRset to write. `owner` is an uncompressed wire name in snapshot memory (a node's owner
// or a name inside a CNAME's RDATA), or null when the owner is the query name itself, written
// as a pointer to the question so that it keeps the query's case.
// An aggregate without member initializers, so that the plan's fixed arrays cost nothing to
// construct; only the first `count` entries of each array are ever read.
struct PlanRRset {
    const snapshot::RRset* rrset;
    const std::uint8_t* owner;
    std::uint32_t ttl;
    // The zone the RRset belongs to: its additional records are looked up there only.
    const snapshot::ZoneData* zone;
    // NS of a referral: glue below this cut is required (TC when it does not fit; RFC 9471).
    bool referral;
};

struct AnswerPlan {
    std::uint16_t rcode = 0;
    bool aa = false;
    bool refused = false; // the query name is in no served zone (REFUSED, RA clear)

    PlanRRset answer[kMaxCnameChain + 1];
    std::uint8_t answer_count = 0;
    PlanRRset authority[1]; // the SOA of a negative answer, or the NS of a referral
    std::uint8_t authority_count = 0;

    void add_answer(const PlanRRset& r) noexcept
    {
        if (answer_count < kMaxCnameChain + 1) {
            answer[answer_count++] = r;
        }
    }
    void set_authority(const PlanRRset& r) noexcept
    {
        authority[0] = r;
        authority_count = 1;
    }
};

} // namespace nuage::engine

#include "dnsd/engine/additional.hpp"

#include "dnsd/engine/lookup.hpp"

namespace nuage::engine {

namespace {

constexpr std::uint16_t kA = 1, kNS = 2, kMX = 15, kAAAA = 28, kSRV = 33, kSVCB = 64, kHTTPS = 65;
constexpr std::size_t kMaxAdditional = 64;

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
                last_ok = put_addresses(*node, target, *r.zone, r.rrset->type, required_pass);
            }
        });
        return last_ok;
    }

    // A, AAAA, and for an SVCB or HTTPS RRset the target's RRset of that type (RFC 9460
    // §4.1, as Knot DNS 3.2 adds it).
    bool put_addresses(const snapshot::Node& node, const std::uint8_t* owner,
                       const snapshot::ZoneData& zone, std::uint16_t for_type,
                       bool required) noexcept
    {
        bool svcb = for_type == kSVCB || for_type == kHTTPS;
        std::uint16_t types[3] = {kA, kAAAA, for_type};
        for (std::size_t i = 0; i < (svcb ? 3u : 2u); ++i) {
            const snapshot::RRset* s = node.find(types[i]);
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

} // namespace

void write_additional(ResponseWriter& w, const AnswerPlan& plan) noexcept
{
    Additional additional(w, plan);
    bool go_on = true;
    for (std::size_t i = 0; go_on && i < plan.answer_count; ++i) {
        go_on = additional.add_for(plan.answer[i]);
    }
    for (std::size_t i = 0; go_on && i < plan.authority_count; ++i) {
        go_on = additional.add_for(plan.authority[i]);
    }
}

} // namespace nuage::engine

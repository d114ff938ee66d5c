#include "dnsd/engine/response_writer.hpp"

#include <cstdint>
#include <cstring>

namespace nuage::engine {

namespace {

constexpr std::uint16_t kQnamePointer = 0xC000 | dns::kHeaderSize;
constexpr std::uint16_t kClassIn = 1, kTypeOpt = 41, kTypeTsig = 250, kClassAny = 255;
constexpr std::size_t kMaxPointer = 0x3FFF;
constexpr std::uint16_t kOptionEde = 15;
constexpr std::size_t kEdeSize = 6; // option code, length, INFO-CODE

// How the RDATA of a type holds names that may be compressed on output: RFC 1035 §3.3 types
// only (RFC 3597 §4). `prefix` octets come before the first name; `names` names follow.
struct NameLayout {
    std::uint8_t prefix;
    std::uint8_t names;
};

NameLayout compressible_layout(std::uint16_t type) noexcept
{
    switch (type) {
    case 2:  // NS
    case 3:  // MD
    case 4:  // MF
    case 5:  // CNAME
    case 7:  // MB
    case 8:  // MG
    case 9:  // MR
    case 12: // PTR
        return {0, 1};
    case 6:  // SOA: MNAME RNAME, then 20 octets
    case 14: // MINFO: RMAILBX EMAILBX
        return {0, 2};
    case 15: // MX: PREFERENCE EXCHANGE
        return {2, 1};
    default:
        return {0, 0};
    }
}

} // namespace

ResponseWriter::ResponseWriter(std::uint8_t* out, std::size_t limit) noexcept
    : out_(out), limit_(limit), total_limit_(limit)
{
}

void ResponseWriter::begin(const QueryView& q, bool with_question) noexcept
{
    names_.reset();
    limit_ = total_limit_;
    dns::write_u16(out_, q.id);
    out_[2] = static_cast<std::uint8_t>(0x80 | (q.opcode << 3) | (q.rd ? 0x01 : 0));
    out_[3] = 0;
    std::memset(out_ + 4, 0, 8);
    pos_ = dns::kHeaderSize;
    if (q.edns.present) {
        limit_ = limit_ > kOptSize ? limit_ - kOptSize : 0;
    }
    if (with_question && q.has_question) {
        std::memcpy(out_ + pos_, q.qname, q.qname_len);
        names_.remember(out_, pos_, q.qname_len);
        pos_ += q.qname_len;
        dns::write_u16(out_ + pos_, q.qtype);
        dns::write_u16(out_ + pos_ + 2, q.qclass);
        pos_ += 4;
        dns::write_u16(out_ + 4, 1);
    }
}

bool ResponseWriter::put_bytes(const std::uint8_t* p, std::size_t len) noexcept
{
    if (pos_ + len > limit_) {
        return false;
    }
    std::memcpy(out_ + pos_, p, len);
    pos_ += len;
    return true;
}

bool ResponseWriter::put_name(const std::uint8_t* name, std::size_t len) noexcept
{
    std::size_t next = names_.write(out_, pos_, limit_, name, len);
    if (next == 0) {
        return false;
    }
    pos_ = next;
    return true;
}

bool ResponseWriter::put_rdata(std::uint16_t type, const std::uint8_t* rd, std::size_t len) noexcept
{
    NameLayout layout = compressible_layout(type);
    std::size_t at = layout.prefix;
    std::size_t name_lens[2] = {0, 0};
    for (std::size_t k = 0; k < layout.names; ++k) {
        name_lens[k] = at < len ? dns::name_wire_length(rd + at, rd + len) : 0;
        if (name_lens[k] == 0) {
            return put_bytes(rd, len); // not the expected layout: send it as it is
        }
        at += name_lens[k];
    }
    if (layout.names == 0) {
        return put_bytes(rd, len);
    }
    if (!put_bytes(rd, layout.prefix)) {
        return false;
    }
    at = layout.prefix;
    for (std::size_t k = 0; k < layout.names; ++k) {
        if (!put_name(rd + at, name_lens[k])) {
            return false;
        }
        at += name_lens[k];
    }
    return put_bytes(rd + at, len - at);
}

bool ResponseWriter::put_owner(const std::uint8_t* owner, std::size_t& first_at) noexcept
{
    std::uint8_t ptr[2];
    if (first_at <= kMaxPointer) {
        // The RRset's owner is already in the message: one pointer for every further RR.
        bool is_ptr = (out_[first_at] & 0xC0) == 0xC0;
        dns::write_u16(ptr, is_ptr ? dns::read_u16(out_ + first_at)
                                   : static_cast<std::uint16_t>(0xC000 | first_at));
        return put_bytes(ptr, 2);
    }
    first_at = pos_;
    if (!owner) {
        dns::write_u16(ptr, kQnamePointer);
        return put_bytes(ptr, 2);
    }
    std::size_t olen = dns::name_wire_length(owner, owner + dns::kMaxNameWire);
    return olen != 0 && put_name(owner, olen);
}

bool ResponseWriter::put_rr(std::uint16_t type, std::uint32_t ttl, const std::uint8_t* rdata,
                            std::size_t rdlen) noexcept
{
    if (pos_ + 10 > limit_) {
        return false;
    }
    std::uint8_t* fixed = out_ + pos_;
    dns::write_u16(fixed, type);
    dns::write_u16(fixed + 2, kClassIn);
    dns::write_u32(fixed + 4, ttl);
    pos_ += 10;
    std::size_t start = pos_;
    if (!put_rdata(type, rdata, rdlen)) {
        return false;
    }
    dns::write_u16(fixed + 8, static_cast<std::uint16_t>(pos_ - start));
    return true;
}

bool ResponseWriter::put(Section section, const PlanRRset& r) noexcept
{
    const snapshot::RRset& s = *r.rrset;
    std::size_t start = pos_;
    std::size_t mark = names_.mark();
    std::size_t owner_at = SIZE_MAX;
    const std::uint8_t* p = s.rdata.data();
    const std::uint8_t* end = p + s.rdata.size();
    for (std::uint16_t i = 0; i < s.count; ++i) {
        bool fits = end - p >= 2 && std::size_t(end - p - 2) >= dns::read_u16(p);
        std::size_t len = fits ? dns::read_u16(p) : 0;
        if (!fits || !put_owner(r.owner, owner_at) || !put_rr(s.type, r.ttl, p + 2, len)) {
            pos_ = start;
            names_.rollback(mark);
            return false;
        }
        p += 2 + len;
    }
    counts_[static_cast<int>(section)] += s.count;
    return true;
}

std::size_t ResponseWriter::finish(std::uint16_t rcode, const EdnsInfo& edns,
                                   std::uint16_t ede) noexcept
{
    out_[3] = static_cast<std::uint8_t>((out_[3] & 0xF0) | (rcode & 0x0F));
    dns::write_u16(out_ + 6, counts_[0]);
    dns::write_u16(out_ + 8, counts_[1]);
    std::uint16_t arcount = counts_[2];
    if (edns.present) {
        // The room for the bare OPT was kept in begin(); the EDE option only when it fits.
        bool with_ede = ede != kNoEde && pos_ + kOptSize + kEdeSize <= limit_ + kOptSize;
        std::uint8_t* o = out_ + pos_;
        o[0] = 0; // root owner
        dns::write_u16(o + 1, kTypeOpt);
        dns::write_u16(o + 3, kOurPayload);
        o[5] = static_cast<std::uint8_t>(rcode >> 4); // extended RCODE (BADVERS: 1)
        o[6] = 0;                                     // version 0
        o[7] = edns.dnssec_ok ? 0x80 : 0;             // DO echoed, other flags zero
        o[8] = 0;
        // Unknown options are not echoed (RFC 6891 §6.1.2).
        dns::write_u16(o + 9, with_ede ? kEdeSize : 0);
        pos_ += kOptSize;
        if (with_ede) {
            dns::write_u16(out_ + pos_, kOptionEde); // RFC 8914 §2: INFO-CODE, no EXTRA-TEXT
            dns::write_u16(out_ + pos_ + 2, 2);
            dns::write_u16(out_ + pos_ + 4, ede);
            pos_ += kEdeSize;
        }
        ++arcount;
    }
    dns::write_u16(out_ + 10, arcount);
    return pos_;
}

std::size_t ResponseWriter::finish_tsig_error(std::uint16_t rcode, const QueryView& q,
                                              std::uint16_t tsig_error) noexcept
{
    std::size_t len = finish(rcode, q.edns);
    std::uint8_t key[dns::kMaxNameWire];
    std::size_t key_len = expand_name(q, q.tsig.owner_pos, key);
    const std::uint8_t* rd = q.wire + q.tsig.rdata_pos;
    std::size_t alg = q.tsig.algorithm_len;
    std::size_t mac = dns::read_u16(rd + alg + 8);
    const std::uint8_t* original_id = rd + alg + 10 + mac;
    std::size_t rdlen = alg + 16; // name, time (6), fudge, MAC size 0, original ID, error, other 0
    if (len + key_len + 10 + rdlen > total_limit_) {
        return len; // the rcode alone says it
    }
    std::uint8_t* p = out_ + len;
    std::memcpy(p, key, key_len);
    p += key_len;
    dns::write_u16(p, kTypeTsig);
    dns::write_u16(p + 2, kClassAny);
    dns::write_u32(p + 4, 0);
    dns::write_u16(p + 8, static_cast<std::uint16_t>(rdlen));
    p += 10;
    std::memcpy(p, rd, alg + 8); // algorithm, time signed, fudge
    p += alg + 8;
    dns::write_u16(p, 0); // MAC size: the response is not signed
    std::memcpy(p + 2, original_id, 2);
    dns::write_u16(p + 4, tsig_error);
    dns::write_u16(p + 6, 0);
    pos_ = len + key_len + 10 + rdlen;
    dns::write_u16(out_ + 10, static_cast<std::uint16_t>(dns::read_u16(out_ + 10) + 1));
    return pos_;
}

} // namespace nuage::engine

#include "dnsd/engine/query.hpp"

#include <cstring>

namespace nuage::engine {

namespace {

constexpr std::uint16_t kTypeOpt = 41, kTypeTsig = 250;

// Offset just past the (possibly compressed) name at `pos`, or 0 when it is malformed: a
// reserved label type (0x40, 0x80: RFC 6891 §5 retired extended labels), a pointer that does
// not point backwards, a name over 255 octets, or bytes missing. Pointers must point before
// themselves, and every label adds to the length, so the walk always ends (no loop).
std::size_t skip_name(const std::uint8_t* msg, std::size_t size, std::size_t pos) noexcept
{
    std::size_t total = 0;
    std::size_t after = 0; // where the name ends in the message (after its first pointer)
    std::size_t p = pos;
    while (p < size) {
        std::uint8_t l = msg[p];
        if (l == 0) {
            return after != 0 ? after : p + 1;
        }
        if ((l & 0xC0) == 0xC0) {
            if (p + 1 >= size) {
                return 0;
            }
            std::size_t target = (std::size_t(l & 0x3F) << 8) | msg[p + 1];
            if (target >= p) {
                return 0;
            }
            if (after == 0) {
                after = p + 2;
            }
            p = target;
            continue;
        }
        if (l > dns::kMaxLabel) {
            return 0;
        }
        total += 1 + l;
        if (total >= dns::kMaxNameWire) {
            return 0;
        }
        p += 1 + l;
    }
    return 0;
}

// Is the name at `pos` the root, written plainly or through one pointer?
bool is_root_name(const std::uint8_t* msg, std::size_t size, std::size_t pos) noexcept
{
    if (msg[pos] == 0) {
        return true;
    }
    if ((msg[pos] & 0xC0) != 0xC0 || pos + 1 >= size) {
        return false;
    }
    std::size_t target = (std::size_t(msg[pos] & 0x3F) << 8) | msg[pos + 1];
    return target < size && msg[target] == 0;
}

// EDNS options must exactly fill the RDATA (RFC 6891 §6.1.2); their content is ignored.
bool options_well_formed(const std::uint8_t* p, std::size_t len) noexcept
{
    std::size_t i = 0;
    while (i < len) {
        if (len - i < 4) {
            return false;
        }
        std::size_t olen = dns::read_u16(p + i + 2);
        if (len - i - 4 < olen) {
            return false;
        }
        i += 4 + olen;
    }
    return true;
}

// RFC 8945 §4.2: Algorithm Name (uncompressed), Time Signed (48 bits), Fudge, MAC Size, MAC,
// Original ID, Error, Other Len, Other Data, exactly filling the RDATA. Returns the length of
// the algorithm name, or 0 when the RDATA is malformed.
std::size_t tsig_algorithm_len(const std::uint8_t* rd, std::size_t len) noexcept
{
    std::size_t alg = dns::name_wire_length(rd, rd + len);
    if (alg == 0 || len - alg < 10) {
        return 0;
    }
    std::size_t mac = dns::read_u16(rd + alg + 8);
    std::size_t fixed = alg + 10 + mac;
    if (len < fixed + 6) {
        return 0;
    }
    std::size_t other = dns::read_u16(rd + fixed + 4);
    return len == fixed + 6 + other ? alg : 0;
}

bool parse_question(const std::uint8_t* msg, std::size_t size, QueryView& q,
                    std::size_t& pos) noexcept
{
    std::size_t len = dns::name_wire_length(msg + pos, msg + size);
    if (len == 0 || size - pos - len < 4) {
        return false; // bad label, pointer (RFC 1035 §4.1.4 gives no prior name), or cut off
    }
    q.qname = msg + pos;
    q.qname_len = static_cast<std::uint8_t>(len);
    for (std::size_t i = 0; i < len; ++i) {
        q.lower[i] = dns::to_lower(msg[pos + i]);
    }
    q.qtype = dns::read_u16(msg + pos + len);
    q.qclass = dns::read_u16(msg + pos + len + 2);
    q.has_question = true;
    pos += len + 4;
    return true;
}

// Walks every record the counts announce. Only the OPT (RFC 6891 §6.1.1: in the additional
// section, once, owned by the root) and a TSIG (RFC 8945 §5.2: the very last record, class
// ANY) are looked at; other records are skipped unread.
bool parse_records(const std::uint8_t* msg, std::size_t size, const QueryView& q, std::size_t& pos,
                   EdnsInfo& edns, TsigInfo& tsig) noexcept
{
    std::size_t total = std::size_t(q.ancount) + q.nscount + q.arcount;
    std::size_t additional_from = std::size_t(q.ancount) + q.nscount;
    for (std::size_t i = 0; i < total; ++i) {
        std::size_t owner = pos;
        std::size_t after = skip_name(msg, size, pos);
        if (after == 0 || size - after < 10) {
            return false;
        }
        const std::uint8_t* rr = msg + after;
        std::size_t rdlen = dns::read_u16(rr + 8);
        if (size - after - 10 < rdlen) {
            return false;
        }
        if (dns::read_u16(rr) == kTypeOpt) {
            if (i < additional_from || edns.present || !is_root_name(msg, size, owner) ||
                !options_well_formed(rr + 10, rdlen)) {
                return false;
            }
            edns.present = true;
            edns.payload = dns::read_u16(rr + 2);
            edns.version = rr[5];
            edns.dnssec_ok = (rr[6] & 0x80) != 0;
        } else if (dns::read_u16(rr) == kTypeTsig) {
            std::size_t alg = tsig_algorithm_len(rr + 10, rdlen);
            // Any class is taken as ANY (RFC 8945 §4.2), as Knot DNS does.
            if (i + 1 != total || i < additional_from || alg == 0) {
                return false;
            }
            tsig = {true, owner, after + 10, alg};
        }
        pos = after + 10 + rdlen;
    }
    return true;
}

} // namespace

std::size_t expand_name(const QueryView& q, std::size_t pos,
                        std::uint8_t (&out)[dns::kMaxNameWire]) noexcept
{
    // parse_query checked the name: backward pointers only, labels <= 63, <= 255 octets.
    std::size_t n = 0;
    while (pos < q.size && n < dns::kMaxNameWire) {
        std::uint8_t l = q.wire[pos];
        if ((l & 0xC0) == 0xC0) {
            pos = (std::size_t(l & 0x3F) << 8) | q.wire[pos + 1];
            continue;
        }
        if (n + 1 + l > dns::kMaxNameWire) {
            break;
        }
        std::memcpy(out + n, q.wire + pos, 1 + std::size_t{l});
        n += 1 + l;
        if (l == 0) {
            return n;
        }
        pos += 1 + l;
    }
    out[0] = 0;
    return 1;
}

ParseStatus parse_query(std::span<const std::uint8_t> msg, QueryView& q) noexcept
{
    const std::uint8_t* m = msg.data();
    std::size_t size = msg.size();
    if (size < dns::kHeaderSize || (m[2] & 0x80) != 0) {
        return ParseStatus::Drop;
    }
    q.wire = m;
    q.size = size;
    q.id = dns::read_u16(m);
    q.opcode = static_cast<std::uint8_t>((m[2] >> 3) & 0x0F);
    q.rd = (m[2] & 0x01) != 0;
    q.qdcount = dns::read_u16(m + 4);
    q.ancount = dns::read_u16(m + 6);
    q.nscount = dns::read_u16(m + 8);
    q.arcount = dns::read_u16(m + 10);

    std::size_t pos = dns::kHeaderSize;
    if (q.qdcount > 1) {
        return ParseStatus::FormErr; // RFC 9619: one question only
    }
    if (q.qdcount == 1 && !parse_question(m, size, q, pos)) {
        return ParseStatus::FormErr;
    }
    EdnsInfo edns;
    TsigInfo tsig;
    if (!parse_records(m, size, q, pos, edns, tsig) || pos != size) {
        return ParseStatus::FormErr; // a broken record, or trailing garbage
    }
    q.edns = edns;
    q.tsig = tsig;
    return ParseStatus::Ok;
}

} // namespace nuage::engine

#include "zonestore/store/origin_exposure.hpp"

#include "zonestore/dns/name.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/wire.hpp"
#include "zonestore/store/store.hpp"
#include "zonestore/view/edge_hints.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <set>
#include <sstream>

namespace nuage::store {

namespace {

using namespace dns::rrtype;

bool is_proxiable(std::uint16_t t)
{
    return t == A || t == AAAA || t == CNAME;
}

std::string address_text(const std::string& wire)
{
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(wire.size() == 4 ? AF_INET : AF_INET6, wire.data(), buf, sizeof buf);
    return buf;
}

// Does `net` (4 or 16 octets) with prefix length `bits` cover `addr` (same family)?
bool covers(const std::string& net, int bits, const std::string& addr)
{
    if (net.size() != addr.size() || bits < 0 || bits > static_cast<int>(8 * addr.size())) {
        return false;
    }
    for (int i = 0; i < bits; ++i) {
        int byte = i / 8, shift = 7 - i % 8;
        if (((net[byte] >> shift) & 1) != ((addr[byte] >> shift) & 1)) {
            return false;
        }
    }
    return true;
}

// `addr` as the other family shows it: an IPv4 address as its IPv4-mapped IPv6 form
// (::ffff:a.b.c.d, RFC 4291 §2.5.5.2), and back; empty when there is none.
std::string other_form(const std::string& addr)
{
    static const std::string kMapped("\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
    if (addr.size() == 4) {
        return kMapped + addr;
    }
    if (addr.size() == 16 && addr.compare(0, 12, kMapped) == 0) {
        return addr.substr(12);
    }
    return {};
}

bool same_address(const std::string& a, const std::string& b)
{
    return a == b || (!a.empty() && other_form(a) == b);
}

// The reverse name of an address (RFC 1035 §3.5, RFC 3596 §2.5), lowercase wire form.
std::string reverse_name(const std::string& addr)
{
    std::string text;
    if (addr.size() == 4) {
        for (int i = 3; i >= 0; --i) {
            text += std::to_string(static_cast<std::uint8_t>(addr[i])) + ".";
        }
        text += "in-addr.arpa.";
    } else {
        static const char* kHex = "0123456789abcdef";
        for (int i = 15; i >= 0; --i) {
            auto b = static_cast<std::uint8_t>(addr[i]);
            text += std::string{kHex[b & 15], '.', kHex[b >> 4], '.'};
        }
        text += "ip6.arpa.";
    }
    return dns::Name::parse(text).wire();
}

// The TXT's character strings joined (RFC 7208 §3.3: an SPF record split across strings is
// read as one).
std::string txt_text(const std::string& rdata)
{
    std::string out;
    for (std::size_t i = 0; i < rdata.size();) {
        std::size_t len = static_cast<std::uint8_t>(rdata[i]);
        out.append(rdata, i + 1, len);
        i += 1 + len;
    }
    return out;
}

// RFC 7208 §5.6: ip4:<ip4-network>[/<prefix>] and ip6:..., with an optional qualifier.
void spf_exposures(const std::string& txt, const std::string& origin, std::vector<std::string>& how)
{
    std::istringstream in(txt);
    std::string term;
    while (in >> term) {
        std::string t = term;
        if (!t.empty() && std::string("+-~?").find(t[0]) != std::string::npos) {
            t.erase(0, 1);
        }
        for (char& c : t) {
            c = static_cast<char>(dns::to_lower(static_cast<std::uint8_t>(c)));
        }
        bool v4 = t.rfind("ip4:", 0) == 0, v6 = t.rfind("ip6:", 0) == 0;
        if (!v4 && !v6) {
            continue;
        }
        std::string spec = t.substr(4);
        std::size_t slash = spec.find('/');
        std::string addr = spec.substr(0, slash);
        int bits = v4 ? 32 : 128;
        if (slash != std::string::npos) {
            try {
                bits = std::stoi(spec.substr(slash + 1));
            } catch (const std::exception&) {
                continue;
            }
        }
        unsigned char buf[16];
        if (inet_pton(v4 ? AF_INET : AF_INET6, addr.c_str(), buf) != 1) {
            continue;
        }
        std::string net(reinterpret_cast<const char*>(buf), v4 ? 4 : 16);
        if (covers(net, bits, origin) || covers(net, bits, other_form(origin))) {
            how.push_back("SPF " + term);
        }
    }
}

// The hints of SVCB/HTTPS RDATA that hold `origin`.
void hint_exposures(const std::string& rdata, const std::string& origin,
                    std::vector<std::string>& how)
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(rdata.data());
    if (rdata.size() < 3) {
        return;
    }
    std::size_t i = 2 + dns::name_wire_length(p + 2, p + rdata.size());
    while (i > 2 && i + 4 <= rdata.size()) {
        std::uint16_t key = dns::read_u16(p + i);
        std::size_t len = dns::read_u16(p + i + 2);
        if (i + 4 + len > rdata.size()) {
            return;
        }
        std::size_t width = key == view::kSvcIpv4Hint ? 4 : key == view::kSvcIpv6Hint ? 16 : 0;
        for (std::size_t k = 0; width && k + width <= len; k += width) {
            if (same_address(origin, rdata.substr(i + 4 + k, width))) {
                how.push_back(key == view::kSvcIpv4Hint ? "ipv4hint" : "ipv6hint");
                break;
            }
        }
        i += 4 + len;
    }
}

// The address written out in free text (a TXT that is not SPF, or beside its mechanisms).
void text_exposures(const std::string& txt, const std::string& origin,
                    std::vector<std::string>& how)
{
    std::string addr = address_text(origin);
    for (std::size_t at = txt.find(addr); at != std::string::npos; at = txt.find(addr, at + 1)) {
        auto part_of_address = [&](std::size_t i) {
            return i < txt.size() && (std::isxdigit(static_cast<unsigned char>(txt[i])) ||
                                      txt[i] == '.' || txt[i] == ':');
        };
        if ((at == 0 || !part_of_address(at - 1)) && !part_of_address(at + addr.size())) {
            how.push_back("its text");
            return;
        }
    }
}

// How the DNS-only record `r` shows the origin address of the proxied `origin` (an A/AAAA).
std::vector<std::string> how_shown(const Record& origin, const Record& r, bool r_name_proxied)
{
    std::vector<std::string> how;
    if ((r.type == A || r.type == AAAA) && !r.proxied && same_address(origin.rdata, r.rdata)) {
        how.push_back(r.rdata == origin.rdata ? "the same address" : "the same address, mapped");
    } else if (r.type == TXT) {
        std::string text = txt_text(r.rdata);
        spf_exposures(text, origin.rdata, how);
        if (how.empty()) {
            text_exposures(text, origin.rdata, how);
        }
    } else if ((r.type == SVCB || r.type == HTTPS) && !r_name_proxied) {
        hint_exposures(r.rdata, origin.rdata, how);
    } else if (r.type == PTR && r.owner.wire() == reverse_name(origin.rdata)) {
        how.push_back("the reverse name of the address");
    }
    return how;
}

template <class Involved>
std::vector<Exposure> exposures_where(const std::vector<Record>& all, Involved involved)
{
    std::set<std::pair<std::int64_t, std::string>> proxied_names; // (zone, owner wire)
    for (const auto& r : all) {
        if (r.proxied && is_proxiable(r.type)) {
            proxied_names.insert({r.zone_id, r.owner.wire()});
        }
    }
    std::vector<Exposure> out;
    for (const auto& origin : all) {
        if (!origin.proxied || (origin.type != A && origin.type != AAAA)) {
            continue;
        }
        for (const auto& r : all) {
            if (!involved(origin) && !involved(r)) {
                continue;
            }
            bool r_proxied_name = proxied_names.count({r.zone_id, r.owner.wire()}) != 0;
            for (auto& h : how_shown(origin, r, r_proxied_name)) {
                out.push_back({origin, r, address_text(origin.rdata), std::move(h)});
            }
        }
    }
    return out;
}

std::vector<Record> every_record(Store& st)
{
    std::vector<Record> all;
    for (const auto& z : st.list_zones()) {
        auto recs = st.list_records(z.id, {});
        all.insert(all.end(), std::make_move_iterator(recs.begin()),
                   std::make_move_iterator(recs.end()));
    }
    return all;
}

} // namespace

std::vector<Exposure> exposures_of(const std::string& changed_id, const std::vector<Record>& all)
{
    return exposures_where(all, [&](const Record& r) { return r.id == changed_id; });
}

std::vector<Exposure> exposures_of(Store& st, const Record& changed)
{
    auto candidates = st.exposure_candidates(changed);
    if (std::none_of(candidates.begin(), candidates.end(),
                     [&](const Record& r) { return r.id == changed.id; })) {
        candidates.push_back(changed);
    }
    return exposures_of(changed.id, candidates);
}

std::vector<Exposure> exposures_in_zone(Store& st, std::int64_t zone_id)
{
    return exposures_where(every_record(st), [&](const Record& r) { return r.zone_id == zone_id; });
}

std::string describe(const Exposure& e)
{
    auto shown = [](const Record& r) {
        std::string content =
            r.priority ? std::to_string(*r.priority) + " " + r.content : r.content;
        return r.name + " " + dns::rrtype_to_text(r.type) + " " + content + " (" + r.id + ")";
    };
    return "the DNS-only record " + shown(e.exposing) + " shows " + e.address +
           ", the origin address of the proxied record " + shown(e.proxied) + " (" + e.how +
           "): the world can reach the origin without the edge";
}

} // namespace nuage::store

// Runs every golden case of tests/engine_cases/*.txt through engine::answer, with no sockets,
// and checks the response field by field: header bits, rcode (extended included), the
// question echoed byte for byte, each section as a set of RRs with TTLs, the OPT. Every call
// is also checked not to allocate.
#include "dnsd/engine/answer.hpp"
#include "tests/support/catalog_builder.hpp"
#include "tests/unit/engine/alloc_counter.hpp"
#include "tests/unit/engine/case_file.hpp"
#include "zonestore/dns/wire.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <ldns/ldns.h>
#include <map>
#include <sstream>

using namespace nuage;

namespace {

std::vector<test::CaseFile> load_all()
{
    std::vector<std::string> paths;
    for (const auto& e : std::filesystem::directory_iterator(NUAGE_ENGINE_CASES_DIR)) {
        if (e.path().extension() == ".txt") {
            paths.push_back(e.path().string());
        }
    }
    std::sort(paths.begin(), paths.end());
    std::vector<test::CaseFile> files;
    for (const auto& p : paths) {
        files.push_back(test::read_case_file(p));
    }
    return files;
}

snapshot::CatalogRef catalog_of(const test::CaseFile& f)
{
    std::vector<std::pair<std::string_view, std::string_view>> zones;
    for (const auto& z : f.zones) {
        zones.emplace_back(z.origin, z.text);
    }
    return test::catalog_from_zones(zones);
}

// ldns presentation, one space between fields; the owner keeps its case, the rest is
// lowercased (only owner case is part of the contract: RFC 4343 and 0x20).
std::string normalize(const std::string& text)
{
    std::istringstream in(text);
    std::string w, out;
    bool first = true;
    while (in >> w) {
        if (!first) {
            std::transform(w.begin(), w.end(), w.begin(),
                           [](unsigned char ch) { return std::tolower(ch); });
            out += ' ';
        }
        out += w;
        first = false;
    }
    return out;
}

std::string rr_text(const ldns_rr* rr)
{
    char* s = ldns_rr2str(rr);
    std::string out = s ? normalize(s) : "<unprintable>";
    free(s);
    return out;
}

std::string expected_text(const std::string& line)
{
    ldns_rr* rr = nullptr;
    if (ldns_rr_new_frm_str(&rr, line.c_str(), 3600, nullptr, nullptr) != LDNS_STATUS_OK) {
        return "<unparsable expectation: " + line + ">";
    }
    std::string out = rr_text(rr);
    ldns_rr_free(rr);
    return out;
}

std::vector<std::string> section_texts(const ldns_rr_list* list)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i) {
        out.push_back(rr_text(ldns_rr_list_rr(list, i)));
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string join(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v) {
        s += "\n      " + x;
    }
    return s.empty() ? " (empty)" : s;
}

const std::map<std::string, std::uint16_t> kRcodes = {
    {"NOERROR", 0}, {"FORMERR", 1}, {"SERVFAIL", 2}, {"NXDOMAIN", 3},
    {"NOTIMP", 4},  {"REFUSED", 5}, {"NOTAUTH", 9},  {"BADVERS", 16}};

std::vector<std::string> header_flags(const std::uint8_t* r)
{
    static const std::pair<const char*, std::uint16_t> bits[] = {
        {"qr", 0x8000}, {"aa", 0x0400}, {"tc", 0x0200}, {"rd", 0x0100},
        {"ra", 0x0080}, {"z", 0x0040},  {"ad", 0x0020}, {"cd", 0x0010}};
    std::uint16_t f = dns::read_u16(r + 2);
    std::vector<std::string> out;
    for (const auto& [n, b] : bits) {
        if (f & b) {
            out.push_back(n);
        }
    }
    return out;
}

// EDNS options as "CODE:VALUE" (the value as a number when it is 2 octets, else hex).
std::string option_text(const ldns_rdf* data)
{
    std::string out;
    const std::uint8_t* p = data ? ldns_rdf_data(data) : nullptr;
    std::size_t n = data ? ldns_rdf_size(data) : 0;
    for (std::size_t i = 0; i + 4 <= n;) {
        std::size_t len = dns::read_u16(p + i + 2);
        out += (out.empty() ? "" : ",") + std::to_string(dns::read_u16(p + i)) + ":";
        if (len == 2 && i + 6 <= n) {
            out += std::to_string(dns::read_u16(p + i + 4));
        } else {
            for (std::size_t k = 0; k < len && i + 4 + k < n; ++k) {
                static const char* hex = "0123456789abcdef";
                out += hex[p[i + 4 + k] >> 4];
                out += hex[p[i + 4 + k] & 15];
            }
        }
        i += 4 + len;
    }
    return out;
}

struct Checker {
    const test::EngineCase& c;
    std::vector<std::string> errors;

    void expect(bool ok, const std::string& what)
    {
        if (!ok) {
            errors.push_back(what);
        }
    }

    void header(const std::vector<std::uint8_t>& q, const std::uint8_t* r, std::size_t n)
    {
        expect(dns::read_u16(r) == dns::read_u16(q.data()), "ID not echoed");
        expect((r[2] & 0x78) == (q[2] & 0x78), "opcode not echoed");
        auto want = c.flags;
        auto got = header_flags(r);
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
        std::string g;
        for (const auto& x : got) {
            g += x + " ";
        }
        expect(want == got, "flags: got " + g);
        std::size_t qlen = dns::name_wire_length(q.data() + 12, q.data() + q.size());
        if (c.question_echoed) {
            bool same = qlen != 0 && n >= 16 + qlen && dns::read_u16(r + 4) == 1 &&
                        std::equal(q.begin() + 12, q.begin() + 16 + qlen, r + 12);
            expect(same, "question not echoed byte for byte");
        } else {
            expect(dns::read_u16(r + 4) == 0, "QDCOUNT should be 0");
        }
    }

    void body(const std::uint8_t* r, std::size_t n, bool query_edns)
    {
        ldns_pkt* pkt = nullptr;
        if (ldns_wire2pkt(&pkt, r, n) != LDNS_STATUS_OK) {
            expect(false, "response does not parse");
            return;
        }
        std::uint16_t rc = ldns_pkt_get_rcode(pkt) | (ldns_pkt_edns_extended_rcode(pkt) << 4);
        auto it = kRcodes.find(c.rcode);
        expect(it != kRcodes.end() && it->second == rc, "rcode " + std::to_string(rc));
        const ldns_rr_list* lists[3] = {ldns_pkt_answer(pkt), ldns_pkt_authority(pkt),
                                        ldns_pkt_additional(pkt)};
        static const char* names[3] = {"answer", "authority", "additional"};
        for (int s = 0; s < 3; ++s) {
            std::vector<std::string> want;
            for (const auto& line : c.sections[s]) {
                want.push_back(expected_text(line));
            }
            std::sort(want.begin(), want.end());
            auto got = section_texts(lists[s]);
            expect(want == got,
                   std::string(names[s]) + ": got" + join(got) + "\n    want" + join(want));
        }
        test::ExpectedEdns e;
        e.present = query_edns;
        e.dnssec_ok = (c.edns_flags & 0x8000) != 0;
        if (c.edns_expect) {
            e = *c.edns_expect;
        }
        bool has = ldns_pkt_edns(pkt) || ldns_pkt_edns_extended_rcode(pkt) != 0;
        expect(has == e.present, std::string("OPT ") + (has ? "present" : "absent"));
        if (has && e.present) {
            expect(ldns_pkt_edns_udp_size(pkt) == e.payload, "OPT payload");
            expect(ldns_pkt_edns_do(pkt) == e.dnssec_ok, "OPT DO bit");
            expect(ldns_pkt_edns_version(pkt) == 0, "OPT version");
            expect(ldns_pkt_edns_z(pkt) == (e.dnssec_ok ? 0x8000 : 0), "OPT flags");
            expect(option_text(ldns_pkt_edns_data(pkt)) ==
                       (e.ede < 0 ? "" : "15:" + std::to_string(e.ede)),
                   "OPT options: " + option_text(ldns_pkt_edns_data(pkt)));
        }
        ldns_pkt_free(pkt);
    }
};

// Over UDP a response never exceeds what the client can take (RFC 6891 §6.2.5, RFC 1035 §4.2.1).
std::size_t udp_bound(const test::EngineCase& c)
{
    if (c.has_raw) {
        return engine::kMaxUdpPayload;
    }
    if (!c.edns) {
        return 512;
    }
    return std::min<std::size_t>(std::max<std::size_t>(c.edns_payload, 512),
                                 engine::kMaxUdpPayload);
}

std::vector<std::string> run_case(const snapshot::Catalog& cat, const test::EngineCase& c)
{
    std::vector<std::uint8_t> q = test::build_query(c);
    std::vector<std::uint8_t> out(engine::kMaxMessage);
    auto transport = c.tcp ? engine::Transport::Tcp : engine::Transport::Udp;
    std::size_t before = test::allocation_count();
    std::size_t n = engine::answer(cat, q, out, transport);
    std::size_t allocs = test::allocation_count() - before;
    Checker ck{c, {}};
    ck.expect(allocs == 0, "answer() allocated " + std::to_string(allocs) + " times");
    if (c.drop || n == 0) {
        ck.expect(c.drop == (n == 0), c.drop ? "expected a drop" : "dropped");
        return ck.errors;
    }
    ck.expect(n >= 12, "shorter than a header");
    if (n < 12) {
        return ck.errors;
    }
    ck.header(q, out.data(), n);
    ck.body(out.data(), n, c.edns && !c.has_raw);
    if (!c.tcp) {
        ck.expect(n <= udp_bound(c), "UDP response of " + std::to_string(n) + " bytes");
    }
    if (c.max_size) {
        ck.expect(n <= c.max_size, "response of " + std::to_string(n) + " bytes");
    }
    return ck.errors;
}

} // namespace

TEST_CASE("golden engine cases")
{
    auto files = load_all();
    REQUIRE(!files.empty());
    std::size_t total = 0;
    for (const auto& f : files) {
        auto cat = catalog_of(f);
        for (const auto& c : f.cases) {
            auto errors = run_case(*cat, c);
            std::string msg = c.file + ":" + std::to_string(c.line) + ": " + c.label;
            for (const auto& e : errors) {
                msg += "\n    " + e;
            }
            CHECK_MESSAGE(errors.empty(), msg);
            ++total;
        }
    }
    MESSAGE("engine cases run: " << total);
}

TEST_CASE("answer() allocates nothing, over every golden query")
{
    auto files = load_all();
    std::vector<std::pair<snapshot::CatalogRef, std::vector<std::uint8_t>>> queries;
    std::vector<bool> tcp;
    for (const auto& f : files) {
        auto cat = catalog_of(f);
        for (const auto& c : f.cases) {
            queries.emplace_back(cat, test::build_query(c));
            tcp.push_back(c.tcp);
        }
    }
    std::vector<std::uint8_t> out(engine::kMaxMessage);
    auto run_all = [&] {
        for (std::size_t i = 0; i < queries.size(); ++i) {
            engine::answer(*queries[i].first, queries[i].second, out,
                           tcp[i] ? engine::Transport::Tcp : engine::Transport::Udp);
        }
    };
    run_all(); // warm-up
    std::size_t before = test::allocation_count();
    for (int round = 0; round < 3; ++round) {
        run_all();
    }
    CHECK(test::allocation_count() == before);
    CHECK(queries.size() > 100);
}

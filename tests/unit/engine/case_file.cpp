#include "tests/unit/engine/case_file.hpp"

#include "zonestore/dns/ldns_handles.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/wire.hpp"

#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nuage::test {

namespace {

std::string trim(const std::string& s)
{
    std::size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) {
        return "";
    }
    std::size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> words(const std::string& s)
{
    std::istringstream in(s);
    std::vector<std::string> out;
    std::string w;
    while (in >> w) {
        out.push_back(w);
    }
    return out;
}

[[noreturn]] void fail(const std::string& path, int line, const std::string& why)
{
    throw std::runtime_error(path + ":" + std::to_string(line) + ": " + why);
}

std::vector<std::uint8_t> parse_hex(const std::string& s, const std::string& path, int line)
{
    std::string digits;
    for (char ch : s) {
        if (std::isxdigit(static_cast<unsigned char>(ch))) {
            digits += ch;
        } else if (ch != ' ' && ch != '\t') {
            fail(path, line, "bad hex digit '" + std::string(1, ch) + "'");
        }
    }
    if (digits.size() % 2 != 0) {
        fail(path, line, "odd number of hex digits");
    }
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < digits.size(); i += 2) {
        out.push_back(static_cast<std::uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    }
    return out;
}

void parse_query_option(EngineCase& c, const std::string& opt, const std::string& path, int line)
{
    static const std::pair<const char*, std::uint16_t> bits[] = {
        {"+rd", 0x0100}, {"+tc", 0x0200}, {"+aa", 0x0400}, {"+ra", 0x0080},
        {"+z", 0x0040},  {"+ad", 0x0020}, {"+cd", 0x0010}};
    for (const auto& [name, bit] : bits) {
        if (opt == name) {
            c.header_bits |= bit;
            return;
        }
    }
    auto value = [&](const char* prefix) {
        return std::stoul(opt.substr(std::strlen(prefix)), nullptr, 0);
    };
    if (opt == "+edns") {
        c.edns = true;
    } else if (opt.rfind("+edns=", 0) == 0) {
        c.edns = true;
        c.edns_payload = static_cast<std::uint16_t>(value("+edns="));
    } else if (opt == "+do") {
        c.edns = true;
        c.edns_flags |= 0x8000;
    } else if (opt.rfind("+ednsver=", 0) == 0) {
        c.edns = true;
        c.edns_version = static_cast<std::uint8_t>(value("+ednsver="));
    } else if (opt.rfind("+ednsflags=", 0) == 0) {
        c.edns = true;
        c.edns_flags = static_cast<std::uint16_t>(value("+ednsflags="));
    } else if (opt.rfind("+opcode=", 0) == 0) {
        c.opcode = static_cast<std::uint8_t>(value("+opcode="));
    } else if (opt.rfind("+class=", 0) == 0) {
        c.qclass = opt.substr(7);
    } else if (opt.rfind("+id=", 0) == 0) {
        c.id = static_cast<std::uint16_t>(value("+id="));
    } else if (opt == "+tcp") {
        c.tcp = true;
    } else {
        fail(path, line, "unknown query option " + opt);
    }
}

// One keyword line inside a case block. Returns false on "end".
bool case_line(EngineCase& c, int& section, const std::string& t, const std::string& path, int line)
{
    std::vector<std::string> w = words(t);
    const std::string& k = w[0];
    std::string rest = trim(t.substr(k.size()));
    if (k == "end") {
        return false;
    } else if (k == "query") {
        if (w.size() < 3) {
            fail(path, line, "query NAME TYPE [options]");
        }
        c.qname = w[1];
        c.qtype = w[2];
        for (std::size_t i = 3; i < w.size(); ++i) {
            parse_query_option(c, w[i], path, line);
        }
    } else if (k == "raw") {
        c.has_raw = true;
        auto bytes = parse_hex(rest, path, line);
        c.raw.insert(c.raw.end(), bytes.begin(), bytes.end());
    } else if (k == "transport") {
        c.tcp = rest == "tcp";
    } else if (k == "drop") {
        c.drop = true;
    } else if (k == "rcode") {
        c.rcode = rest;
    } else if (k == "flags") {
        c.flags.assign(w.begin() + 1, w.end());
    } else if (k == "question") {
        c.question_echoed = rest != "none";
    } else if (k == "edns") {
        ExpectedEdns e;
        e.present = rest != "none";
        if (e.present) {
            e.payload = static_cast<std::uint16_t>(std::stoul(w.at(1)));
            for (std::size_t i = 2; i < w.size(); ++i) {
                if (w[i] == "do") {
                    e.dnssec_ok = true;
                } else if (w[i].rfind("ede=", 0) == 0) {
                    e.ede = std::stoi(w[i].substr(4));
                } else {
                    fail(path, line, "edns PAYLOAD [do] [ede=N]");
                }
            }
        }
        c.edns_expect = e;
    } else if (k == "maxsize") {
        c.max_size = std::stoul(rest);
    } else if (k == "answer" || k == "authority" || k == "additional") {
        section = k == "answer" ? 0 : k == "authority" ? 1 : 2;
    } else if (section >= 0) {
        c.sections[section].push_back(t);
    } else {
        fail(path, line, "unexpected line in case: " + t);
    }
    return true;
}

} // namespace

CaseFile read_case_file(const std::string& path)
{
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }
    CaseFile f;
    f.path = path;
    enum class State { Top, Zone, Case } state = State::Top;
    EngineCase current;
    int section = -1;
    std::string raw_line;
    for (int line = 1; std::getline(in, raw_line); ++line) {
        std::string t = trim(raw_line);
        if (state == State::Zone) {
            if (t == "endzone") {
                state = State::Top;
            } else {
                f.zones.back().text += raw_line + "\n";
            }
            continue;
        }
        if (t.empty() || t[0] == '#') {
            continue;
        }
        if (state == State::Top) {
            std::vector<std::string> w = words(t);
            if (w[0] == "zone" && w.size() == 2) {
                f.zones.push_back({w[1], ""});
                state = State::Zone;
            } else if (w[0] == "case") {
                current = EngineCase{};
                current.file = path;
                current.line = line;
                current.label = trim(t.substr(4));
                section = -1;
                state = State::Case;
            } else {
                fail(path, line, "expected 'zone ORIGIN' or 'case LABEL'");
            }
        } else if (!case_line(current, section, t, path, line)) {
            if (current.rcode.empty() && !current.drop) {
                fail(path, current.line, "case without rcode");
            }
            f.cases.push_back(current);
            state = State::Top;
        }
    }
    if (state != State::Top) {
        fail(path, 0, "unterminated zone or case at end of file");
    }
    return f;
}

std::vector<std::uint8_t> build_query(const EngineCase& c)
{
    if (c.has_raw) {
        return c.raw;
    }
    dns::RdfPtr name(ldns_dname_new_frm_str(c.qname.c_str()));
    if (!name) {
        throw std::runtime_error("bad query name " + c.qname);
    }
    auto type = dns::rrtype_from_text(c.qtype);
    if (!type && c.qtype.rfind("TYPE", 0) == 0) {
        type = static_cast<std::uint16_t>(std::stoul(c.qtype.substr(4))); // TYPE0 too
    }
    if (!type) {
        throw std::runtime_error("bad query type " + c.qtype);
    }
    std::uint16_t cls = 1;
    if (c.qclass == "CH") {
        cls = 3;
    } else if (c.qclass == "HS") {
        cls = 4;
    } else if (c.qclass == "NONE") {
        cls = 254;
    } else if (c.qclass == "ANY") {
        cls = 255;
    } else if (c.qclass.rfind("CLASS", 0) == 0) {
        cls = static_cast<std::uint16_t>(std::stoul(c.qclass.substr(5)));
    }
    std::vector<std::uint8_t> q(12, 0);
    dns::write_u16(q.data(), c.id);
    dns::write_u16(q.data() + 2, static_cast<std::uint16_t>(c.header_bits | (c.opcode << 11)));
    dns::write_u16(q.data() + 4, 1);
    dns::write_u16(q.data() + 10, c.edns ? 1 : 0);
    const std::uint8_t* nd = ldns_rdf_data(name.get());
    q.insert(q.end(), nd, nd + ldns_rdf_size(name.get()));
    std::uint8_t tail[4];
    dns::write_u16(tail, *type);
    dns::write_u16(tail + 2, cls);
    q.insert(q.end(), tail, tail + 4);
    if (c.edns) {
        std::uint8_t opt[11] = {0, 0, 41};
        dns::write_u16(opt + 3, c.edns_payload);
        opt[5] = 0;
        opt[6] = c.edns_version;
        dns::write_u16(opt + 7, c.edns_flags);
        q.insert(q.end(), opt, opt + 11);
    }
    return q;
}

} // namespace nuage::test

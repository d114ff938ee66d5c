#include "api/record_data.hpp"

#include "zonestore/dns/rdata.hpp"
#include "zonestore/store/record_rules.hpp"

#include <cctype>
#include <charconv>
#include <map>
#include <vector>

namespace nuage::api {

namespace {

using nlohmann::json;
using namespace dns::rrtype;

// How a field is spelled in content: a number, a bare word, a quoted string, or the rest of
// the content (keys, digests, SvcParams).
enum class Kind { Int, Word, Quoted, Rest };

struct Field {
    const char* name;
    Kind kind;
    std::uint32_t max = 0; // an Int's largest value: its width on the wire
};

constexpr std::uint32_t k8 = 255, k16 = 65535;

const std::vector<Field>* fields_of(std::uint16_t type)
{
    static const std::map<std::uint16_t, std::vector<Field>> kFields = {
        {SRV,
         {{"priority", Kind::Int, k16},
          {"weight", Kind::Int, k16},
          {"port", Kind::Int, k16},
          {"target", Kind::Word}}},
        {CAA, {{"flags", Kind::Int, k8}, {"tag", Kind::Word}, {"value", Kind::Quoted}}},
        {CERT,
         {{"type", Kind::Int, k16},
          {"key_tag", Kind::Int, k16},
          {"algorithm", Kind::Int, k8},
          {"certificate", Kind::Rest}}},
        {DS,
         {{"key_tag", Kind::Int, k16},
          {"algorithm", Kind::Int, k8},
          {"digest_type", Kind::Int, k8},
          {"digest", Kind::Rest}}},
        {DNSKEY,
         {{"flags", Kind::Int, k16},
          {"protocol", Kind::Int, k8},
          {"algorithm", Kind::Int, k8},
          {"public_key", Kind::Rest}}},
        {HTTPS, {{"priority", Kind::Int, k16}, {"target", Kind::Word}, {"value", Kind::Rest}}},
        {SVCB, {{"priority", Kind::Int, k16}, {"target", Kind::Word}, {"value", Kind::Rest}}},
        {NAPTR,
         {{"order", Kind::Int, k16},
          {"preference", Kind::Int, k16},
          {"flags", Kind::Quoted},
          {"service", Kind::Quoted},
          {"regex", Kind::Quoted},
          {"replacement", Kind::Word}}},
        {SSHFP,
         {{"algorithm", Kind::Int, k8}, {"type", Kind::Int, k8}, {"fingerprint", Kind::Rest}}},
        {TLSA,
         {{"usage", Kind::Int, k8},
          {"selector", Kind::Int, k8},
          {"matching_type", Kind::Int, k8},
          {"certificate", Kind::Rest}}},
        {53 /* SMIMEA */,
         {{"usage", Kind::Int, k8},
          {"selector", Kind::Int, k8},
          {"matching_type", Kind::Int, k8},
          {"certificate", Kind::Rest}}},
        {URI, {{"weight", Kind::Int, k16}, {"target", Kind::Quoted}}},
    };
    auto it = kFields.find(type);
    return it == kFields.end() ? nullptr : &it->second;
}

// RFC 4398 §2.1 mnemonics, which ldns prints for CERT's type.
std::optional<std::int64_t> cert_type_number(std::string_view s)
{
    static const std::map<std::string_view, std::int64_t> kTypes = {
        {"PKIX", 1}, {"SPKI", 2},   {"PGP", 3},     {"IPKIX", 4}, {"ISPKI", 5},
        {"IPGP", 6}, {"ACPKIX", 7}, {"IACPKIX", 8}, {"URI", 253}, {"OID", 254}};
    auto it = kTypes.find(s);
    return it == kTypes.end() ? std::nullopt : std::optional(it->second);
}

std::optional<std::int64_t> as_int(std::string_view s)
{
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size() ? std::optional(v) : std::nullopt;
}

// Splits content into `n` tokens, the last taking the rest; quotes keep spaces inside.
std::vector<std::string> split(std::string_view s, std::size_t n)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size() && out.size() + 1 < n) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
            ++i;
        }
        std::size_t start = i;
        bool quoted = false;
        for (; i < s.size() && (quoted || (s[i] != ' ' && s[i] != '\t')); ++i) {
            if (s[i] == '\\') {
                ++i;
            } else if (s[i] == '"') {
                quoted = !quoted;
            }
        }
        if (i > start) {
            out.emplace_back(s.substr(start, std::min(i, s.size()) - start));
        }
    }
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
        ++i;
    }
    if (i < s.size()) {
        out.emplace_back(s.substr(i));
    }
    return out;
}

std::string unquote(const std::string& s)
{
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
        std::string out;
        for (std::size_t i = 1; i + 1 < s.size(); ++i) {
            if (s[i] == '\\' && i + 2 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
                ++i;
            }
            out += s[i];
        }
        return out;
    }
    return s;
}

std::string quote(const std::string& s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

// LOC (RFC 1876 §3): "d [m [s]] N|S d [m [s]] E|W alt[m] [size[m] [hp[m] [vp[m]]]]".
json loc_to_data(const std::string& content)
{
    auto tokens = split(content, 64);
    json d = json::object();
    std::size_t i = 0;
    auto number = [](std::string t) {
        if (!t.empty() && t.back() == 'm') {
            t.pop_back();
        }
        try {
            double v = std::stod(t);
            // Whole numbers as integers: 52, not 52.0.
            return v == static_cast<double>(static_cast<std::int64_t>(v))
                       ? json(static_cast<std::int64_t>(v))
                       : json(v);
        } catch (const std::exception&) {
            return json(t);
        }
    };
    for (const char* axis : {"lat", "long"}) {
        std::string p = axis;
        const char* parts[] = {"_degrees", "_minutes", "_seconds"};
        int k = 0;
        for (; i < tokens.size() && k < 3 && tokens[i].find_first_of("NSEW") == std::string::npos;
             ++i, ++k) {
            d[p + parts[k]] = number(tokens[i]);
        }
        for (; k < 3; ++k) {
            d[p + parts[k]] = 0;
        }
        d[p + "_direction"] = i < tokens.size() ? tokens[i++] : "";
    }
    const char* tail[] = {"altitude", "size", "precision_horz", "precision_vert"};
    const double defaults[] = {0, 1, 10000, 10}; // RFC 1876 §3 defaults
    for (int k = 0; k < 4; ++k, ++i) {
        d[tail[k]] = i < tokens.size() ? number(tokens[i]) : json(defaults[k]);
    }
    return d;
}

std::string text_of(const json& v)
{
    if (v.is_number_integer() || v.is_number_unsigned()) {
        return std::to_string(v.get<std::int64_t>());
    }
    if (v.is_number_float()) {
        std::string s = v.dump();
        return s;
    }
    return v.get<std::string>();
}

json required(const json& data, const std::string& name, bool numeric)
{
    auto it = data.find(name);
    bool ok = it != data.end() &&
              (numeric ? it->is_number() || it->is_string() : it->is_string() || it->is_number());
    if (!ok) {
        store::refuse("data." + name, it == data.end()
                                          ? "is required"
                                          : (numeric ? "must be a number" : "must be a string"));
    }
    return *it;
}

// An integer field in its wire width: ldns would wrap 70000 into a 16-bit port. A string that
// is not a number is a mnemonic ("PKIX", "RSASHA256") that the content parser checks.
void check_int(const Field& f, const json& v)
{
    std::optional<std::int64_t> n;
    if (v.is_number_integer() || v.is_number_unsigned()) {
        n = v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(f.max)
                ? std::int64_t(f.max) + 1
                : v.get<std::int64_t>();
    } else if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        bool numeric = !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) ||
                                      s[0] == '-' || s[0] == '+');
        if (!numeric) {
            return;
        }
        n = as_int(s);
        if (!n || s[0] == '+') {
            n = -1; // not a plain decimal number
        }
    } else {
        n = -1; // a fraction
    }
    if (*n < 0 || *n > std::int64_t(f.max)) {
        store::refuse(std::string("data.") + f.name,
                      "must be an integer from 0 to " + std::to_string(f.max));
    }
}

std::string loc_from_data(const json& data)
{
    std::string out;
    for (const char* axis : {"lat", "long"}) {
        std::string p = axis;
        for (const char* part : {"_degrees", "_minutes", "_seconds"}) {
            out += text_of(required(data, p + part, true)) + " ";
        }
        out += text_of(required(data, p + "_direction", false)) + " ";
    }
    for (const char* k : {"altitude", "size", "precision_horz", "precision_vert"}) {
        out += text_of(required(data, k, true)) + "m ";
    }
    out.pop_back();
    return out;
}

} // namespace

bool has_data_form(std::uint16_t type)
{
    return type == LOC || fields_of(type) != nullptr;
}

json content_to_data(std::uint16_t type, const std::string& content)
{
    if (type == LOC) {
        return loc_to_data(content);
    }
    const auto* fields = fields_of(type);
    if (!fields) {
        return nullptr;
    }
    auto tokens = split(content, fields->size());
    if (tokens.size() != fields->size()) {
        return nullptr;
    }
    json d = json::object();
    for (std::size_t i = 0; i < fields->size(); ++i) {
        const Field& f = (*fields)[i];
        const std::string& t = tokens[i];
        if (f.kind == Kind::Int) {
            auto n = as_int(t);
            if (!n && type == CERT && i == 0) {
                n = cert_type_number(t);
            }
            d[f.name] = n ? json(*n) : json(t);
        } else if (f.kind == Kind::Quoted) {
            d[f.name] = unquote(t);
        } else {
            d[f.name] = t;
        }
    }
    return d;
}

std::string data_to_content(std::uint16_t type, const json& data)
{
    if (!data.is_object()) {
        store::refuse("data", "must be an object");
    }
    if (type == LOC) {
        return loc_from_data(data);
    }
    const auto* fields = fields_of(type);
    if (!fields) {
        store::refuse("data", dns::rrtype_to_text(type) + " records take content, not data");
    }
    std::string out;
    for (const Field& f : *fields) {
        json v = required(data, f.name, f.kind == Kind::Int);
        if (f.kind == Kind::Int) {
            check_int(f, v);
        }
        std::string text = text_of(v);
        if (f.kind == Kind::Rest && text.empty()) {
            continue; // e.g. an HTTPS record without SvcParams
        }
        out += (out.empty() ? "" : " ") + (f.kind == Kind::Quoted ? quote(text) : text);
    }
    return out;
}

} // namespace nuage::api

#include "zonestore/dns/name.hpp"

#include "zonestore/dns/ldns_handles.hpp"
#include "zonestore/dns/wire.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace nuage::dns {

Name::Name() : wire_(1, '\0') {}

std::optional<Name> Name::from_text(std::string_view text, const Name* origin, std::string* error)
{
    auto fail = [&](const char* why) -> std::optional<Name> {
        if (error) {
            *error = why;
        }
        return std::nullopt;
    };
    if (text.empty()) {
        return fail("empty name");
    }
    if (text == "@") {
        if (!origin) {
            return fail("'@' without an origin");
        }
        return *origin;
    }
    std::string s(text);
    ldns_rdf* raw = nullptr;
    if (ldns_str2rdf_dname(&raw, s.c_str()) != LDNS_STATUS_OK || !raw) {
        return fail("invalid domain name");
    }
    RdfPtr rdf(raw);
    std::string wire(reinterpret_cast<const char*>(ldns_rdf_data(rdf.get())),
                     ldns_rdf_size(rdf.get()));
    bool absolute = ldns_dname_str_absolute(s.c_str());
    if (!absolute) {
        if (!origin) {
            return fail("relative name without an origin");
        }
        wire.pop_back(); // drop the root label ldns appended
        wire += origin->wire_;
        if (wire.size() > kMaxNameWire) {
            return fail("name longer than 255 octets");
        }
    }
    auto n = from_wire(wire);
    if (!n) {
        return fail("invalid domain name");
    }
    return n;
}

Name Name::parse(std::string_view text, const Name* origin)
{
    std::string why;
    auto n = from_text(text, origin, &why);
    if (!n) {
        throw std::invalid_argument(why + ": '" + std::string(text) + "'");
    }
    return *n;
}

std::optional<Name> Name::from_wire(std::string_view wire)
{
    auto p = reinterpret_cast<const std::uint8_t*>(wire.data());
    if (name_wire_length(p, p + wire.size()) != wire.size()) {
        return std::nullopt;
    }
    std::string lower(wire);
    for (auto& c : lower) {
        c = static_cast<char>(to_lower(static_cast<std::uint8_t>(c)));
    }
    return Name(std::move(lower));
}

std::size_t Name::label_count() const
{
    return dns::label_count(data());
}

std::string Name::to_text() const
{
    if (is_root()) {
        return ".";
    }
    std::string out;
    const std::uint8_t* p = data();
    while (*p) {
        std::uint8_t len = *p++;
        for (std::uint8_t i = 0; i < len; ++i, ++p) {
            std::uint8_t c = *p;
            if (c == '.' || c == '\\' || c == '"' || c == '(' || c == ')' || c == ';' || c == '@' ||
                c == '$') {
                out += '\\';
                out += static_cast<char>(c);
            } else if (c < 0x21 || c > 0x7e) {
                std::array<char, 5> buf{};
                std::snprintf(buf.data(), buf.size(), "\\%03u", c);
                out += buf.data();
            } else {
                out += static_cast<char>(c);
            }
        }
        out += '.';
    }
    return out;
}

std::string name_to_master_text(std::string_view wire)
{
    if (wire.size() <= 1) {
        return ".";
    }
    std::string out;
    for (std::size_t i = 0; i < wire.size() && wire[i] != 0;) {
        auto len = static_cast<std::uint8_t>(wire[i++]);
        for (std::uint8_t k = 0; k < len && i < wire.size(); ++k, ++i) {
            auto c = static_cast<std::uint8_t>(wire[i]);
            bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '/' || c == '*';
            if (plain) {
                out += static_cast<char>(c);
            } else {
                std::array<char, 5> buf{};
                std::snprintf(buf.data(), buf.size(), "\\%03u", c);
                out += buf.data();
            }
        }
        out += '.';
    }
    return out;
}

std::string Name::to_text_no_dot() const
{
    std::string t = to_text();
    if (t.size() > 1) {
        t.pop_back();
    }
    return t;
}

Name Name::parent() const
{
    return Name(wire_.substr(1 + static_cast<std::uint8_t>(wire_[0])));
}

bool Name::is_subdomain_of(const Name& zone) const
{
    return is_subdomain_ci(data(), size(), zone.data(), zone.size());
}

std::string Name::relative_to(const Name& zone) const
{
    if (*this == zone) {
        return "@";
    }
    std::string full = to_text();
    std::string suffix = zone.is_root() ? "." : "." + zone.to_text();
    if (full.size() > suffix.size() && full.ends_with(suffix)) {
        return full.substr(0, full.size() - suffix.size());
    }
    return full;
}

Name Name::prepend_label(std::string_view label) const
{
    if (label.empty() || label.size() > kMaxLabel ||
        wire_.size() + 1 + label.size() > kMaxNameWire) {
        throw std::invalid_argument("invalid label");
    }
    std::string w;
    w += static_cast<char>(label.size());
    for (char c : label) {
        w += static_cast<char>(to_lower(static_cast<std::uint8_t>(c)));
    }
    w += wire_;
    return Name(std::move(w));
}

std::uint64_t Name::hash() const
{
    return name_hash(data(), size());
}

int canonical_compare(const std::uint8_t* a, const std::uint8_t* b)
{
    // Collect label offsets, then compare from the rightmost label.
    std::array<const std::uint8_t*, 128> la{}, lb{};
    std::size_t na = 0, nb = 0;
    for (const std::uint8_t* p = a; *p; p += 1 + *p) {
        la[na++] = p;
    }
    for (const std::uint8_t* p = b; *p; p += 1 + *p) {
        lb[nb++] = p;
    }
    while (na > 0 && nb > 0) {
        const std::uint8_t* x = la[--na];
        const std::uint8_t* y = lb[--nb];
        std::size_t n = std::min(x[0], y[0]);
        int c = std::memcmp(x + 1, y + 1, n);
        if (c != 0) {
            return c < 0 ? -1 : 1;
        }
        if (x[0] != y[0]) {
            return x[0] < y[0] ? -1 : 1;
        }
    }
    if (na == nb) {
        return 0;
    }
    return na < nb ? -1 : 1;
}

std::strong_ordering Name::operator<=>(const Name& o) const
{
    int c = canonical_compare(data(), o.data());
    return c < 0 ? std::strong_ordering::less
                 : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
}

} // namespace nuage::dns

#include "zonestore/store/host_name.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <idn2.h>

namespace nuage::store {

namespace {

bool is_ascii(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
}

bool ends_with_ci(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() &&
           std::equal(
               suffix.begin(), suffix.end(), s.end() - suffix.size(),
               [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); });
}

// One octet as a message shows it: never raw control characters in an error.
std::string describe(unsigned char c)
{
    if (c == ' ') {
        return "a space";
    }
    if (c < 0x20 || c >= 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\%03u", c);
        return std::string(c < 0x20 || c == 0x7f ? "a control character (" : "the octet (") + buf +
               ")";
    }
    return std::string("'") + static_cast<char>(c) + "'";
}

bool allowed(unsigned char c, bool slash)
{
    return std::isalnum(c) || c == '-' || c == '_' || (slash && c == '/');
}

} // namespace

std::string printable(std::string_view text)
{
    std::string out;
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\%03u", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::optional<std::string> idn_to_ascii(std::string_view text, std::string* why)
{
    std::string out;
    std::size_t start = 0;
    for (;;) {
        std::size_t dot = text.find('.', start);
        std::string_view label = text.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        // A NUL would cut the label short in libidn2: leave it for host_name_problem to refuse.
        if (is_ascii(label) || label.find('\0') != std::string_view::npos) {
            out += label;
        } else {
            std::string l(label);
            char* a = nullptr;
            // RFC 5891 through UTS #46 non-transitional mapping (what browsers and Cloudflare
            // do): "Bücher" -> "xn--bcher-kva".
            int rc = idn2_to_ascii_8z(l.c_str(), &a, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
            if (rc != IDN2_OK) {
                if (why) {
                    *why = "the label '" + l + "' is not a valid internationalized name (" +
                           idn2_strerror(rc) + ")";
                }
                return std::nullopt;
            }
            out += a;
            idn2_free(a);
        }
        if (dot == std::string_view::npos) {
            return out;
        }
        out += '.';
        start = dot + 1;
    }
}

std::optional<std::string> host_name_problem(std::string_view text, HostNameKind kind)
{
    if (text.empty()) {
        return "the name is empty";
    }
    bool slash = kind == HostNameKind::Zone && ends_with_ci(text, ".in-addr.arpa");
    std::size_t start = 0;
    for (std::size_t i = 0;; ++i) {
        std::size_t dot = text.find('.', start);
        std::string_view label = text.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty()) {
            return "it has an empty label (two dots in a row, or a leading dot)";
        }
        if (label.size() > 63) {
            return "the label '" + std::string(label.substr(0, 20)) +
                   "...' is longer than 63 characters";
        }
        if (label == "*") {
            if (kind == HostNameKind::Zone) {
                return "a zone's name cannot be a wildcard";
            }
            if (i > 0) {
                return "'*' is allowed only as the whole leftmost label (a wildcard)";
            }
        } else {
            auto bad = std::find_if(label.begin(), label.end(),
                                    [&](unsigned char c) { return !allowed(c, slash); });
            if (bad != label.end()) {
                return "it has " + describe(static_cast<unsigned char>(*bad)) +
                       ": a name holds letters, digits, hyphens and underscores" +
                       (kind == HostNameKind::Record ? ", with '*' as a whole leftmost label" : "");
            }
        }
        if (dot == std::string_view::npos) {
            return std::nullopt;
        }
        start = dot + 1;
    }
}

} // namespace nuage::store

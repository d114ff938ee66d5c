// host_name.hpp -- what a name typed by a user (a record's name, a zone's name) may be, before
// it becomes a dns::Name: letters, digits, hyphen and underscore, '*' as a whole leftmost
// label of a record name, labels of at most 63 octets and names of at most 253 characters.
// Non-ASCII labels are IDNs, turned into their A-labels (punycode, IDNA 2008 through libidn2)
// as Cloudflare does. Presentation escapes (\032, \.) are never taken from users.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nuage::store {

enum class HostNameKind {
    Record, // '*' allowed as the whole leftmost label
    Zone,   // no wildcard; '/' allowed below in-addr.arpa (RFC 2317 §4 classless zones)
};

// `text` (no trailing dot, no "@") with every non-ASCII label as its A-label. nullopt when a
// label is not a valid IDN; `why` says which and why.
std::optional<std::string> idn_to_ascii(std::string_view text, std::string* why);

// Why the ASCII name `text` (dot-separated labels, no trailing dot) is not a valid name of
// `kind`, or nullopt when it is. Lengths are checked by the caller on the whole name.
std::optional<std::string> host_name_problem(std::string_view text, HostNameKind kind);

// `text` for a message: control characters as \DDD (never raw in an error).
std::string printable(std::string_view text);

// The longest name in text form without the trailing dot (RFC 1035 §2.3.4: 255 octets of wire).
inline constexpr std::size_t kMaxHostNameText = 253;

} // namespace nuage::store

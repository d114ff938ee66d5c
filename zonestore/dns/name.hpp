// name.hpp -- an owned domain name in uncompressed wire form, lowercased (RFC 4343).
// The type every layer above the wire uses for owners and targets; text conversion goes
// through ldns so that escapes (\DDD, \.) follow RFC 1035 §5.1 exactly.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nuage::dns {

// An uncompressed wire name (case kept) as a master file spells it for every reader: letters,
// digits, '-', '_', '/' and '*' as they are, any other octet as \DDD (RFC 1035 §5.1). knotd
// refuses '#', '!', '@', '$' and the like unescaped, and nsd reads "\#" as RFC 3597's token.
std::string name_to_master_text(std::string_view wire);

class Name {
public:
    Name(); // the root

    // Parses presentation format; a relative name is completed with `origin`. Returns nullopt
    // on a syntax error, an over-long label or name. `error` (when given) says which.
    static std::optional<Name> from_text(std::string_view text, const Name* origin = nullptr,
                                         std::string* error = nullptr);
    // Same, throwing std::invalid_argument with the reason.
    static Name parse(std::string_view text, const Name* origin = nullptr);
    // Takes uncompressed wire bytes (lowercasing them). nullopt if malformed.
    static std::optional<Name> from_wire(std::string_view wire);

    const std::string& wire() const { return wire_; }
    const std::uint8_t* data() const { return reinterpret_cast<const std::uint8_t*>(wire_.data()); }
    std::size_t size() const { return wire_.size(); }
    std::size_t label_count() const;
    bool is_root() const { return wire_.size() == 1; }
    bool is_wildcard() const { return wire_.size() >= 2 && wire_[0] == 1 && wire_[1] == '*'; }

    // FQDN with the trailing dot, escaped as in RFC 1035 §5.1.
    std::string to_text() const;
    // Same without the trailing dot (the root stays "."): the API's and Cloudflare's spelling.
    std::string to_text_no_dot() const;
    // FQDN for a master file that knotd, nsd and ldns all read back: see name_to_master_text.
    std::string to_master_text() const { return name_to_master_text(wire_); }

    Name parent() const;                          // must not be called on the root
    bool is_subdomain_of(const Name& zone) const; // equal counts
    // `this` with the labels of `zone` removed, as text without a dot ("@" for the zone itself).
    std::string relative_to(const Name& zone) const;
    Name prepend_label(std::string_view label) const;

    std::uint64_t hash() const;

    bool operator==(const Name& o) const { return wire_ == o.wire_; }
    // Canonical DNS order (RFC 4034 §6.1): label by label from the right, as octet strings.
    std::strong_ordering operator<=>(const Name& o) const;

private:
    explicit Name(std::string wire) : wire_(std::move(wire)) {}
    std::string wire_;
};

struct NameHash {
    std::size_t operator()(const Name& n) const { return static_cast<std::size_t>(n.hash()); }
};

// Canonical order of two lowercase uncompressed wire names (RFC 4034 §6.1).
int canonical_compare(const std::uint8_t* a, const std::uint8_t* b);

} // namespace nuage::dns

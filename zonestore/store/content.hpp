// content.hpp -- record content as the API spells it <-> wire RDATA (DESIGN §2 "Records").
// Content is presentation format through ldns, with Cloudflare's spelling: names without the
// trailing dot (and always absolute), MX/URI priority in its own field, TXT accepted quoted or
// raw and shown raw when it is one plain string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nuage::store {

// Types whose priority is the record's `priority` field rather than part of `content`.
bool has_priority_field(std::uint16_t type);

// The wire RDATA of `content` for `type`. For MX and URI, `priority` comes first on the wire;
// when it is unset the content may carry it ("10 mail.example.com"). Throws ValidationError
// naming "content" (with the API's code for A, AAAA and CNAME) or "priority".
std::string content_to_rdata(std::uint16_t type, std::string_view content,
                             std::optional<std::int64_t> priority);

struct RenderedContent {
    std::string content;
    std::optional<std::uint16_t> priority;
};

// The API's content (and priority) for stored wire RDATA. Throws dns::ContentError when the
// RDATA is malformed for its type.
RenderedContent rdata_to_content(std::uint16_t type, std::string_view rdata);

// Are two RDATA of `type` the same record? Names inside compare case-insensitively for the
// types whose canonical form lowercases them (RFC 4034 §6.2); everything else octet by octet.
bool same_rdata(std::uint16_t type, std::string_view a, std::string_view b);

// The TXT character strings of a raw (unquoted) content: split at 255 octets (RFC 1035
// §3.3.14), one empty string for empty content.
std::string txt_raw_to_rdata(std::string_view content);

} // namespace nuage::store

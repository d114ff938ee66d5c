// rdata_guard.hpp -- what rdata.cpp checks around ldns's presentation parser, which wraps
// integers (70000 in a 16-bit field is stored as 4464), drops text after ';', reads a first
// label "@" as the origin even when escaped, and reinterprets RFC 3597 data through its own
// field list. Internal to zonestore/dns; callers use rdata.hpp.
#pragma once

#include "zonestore/dns/ldns_handles.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nuage::dns::guard {

// The fields of presentation RDATA as ldns splits them: blanks outside quotes separate,
// parentheses group, a backslash escapes the next character (RFC 1035 §5.1). Throws
// ContentError on a ';' outside quotes (content has no comments) or an unclosed quote.
std::vector<std::string_view> split_fields(std::string_view content);

// RFC 3597 §5 "\# length hex..." (fields[0] is "\#") as wire octets. Throws ContentError when
// the length is not 0..65535 or the hex does not spell exactly that many octets.
std::string generic_rdata(const std::vector<std::string_view>& fields);

// Checks ldns's parse `rr` against the fields it came from, for the leading fields that take
// one token each: integers in range and not negative, time values in 32 bits, escaped "@"
// labels kept as labels (fixed in `rr`). `origin` completes relative names. Throws
// ContentError quoting the field.
void check_fields(ldns_rr* rr, const std::vector<std::string_view>& fields, const ldns_rdf* origin);

} // namespace nuage::dns::guard

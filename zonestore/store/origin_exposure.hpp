// origin_exposure.hpp -- DNS-only records that would show the origin address of a proxied
// name (DESIGN §2 "Origin privacy"; issue 3 item 2): an A/AAAA with the same address (an IPv6
// record holding the IPv4-mapped form too), an SPF ip4:/ip6: mechanism in a TXT that covers
// it, the address written in a TXT's text, an address hint of an SVCB/HTTPS record at a name
// that is not proxied, a PTR at the address's reverse name. Nothing is refused (a mail server may
// well share the web origin's address): dnsctl and the API warn, naming both records.
#pragma once

#include "zonestore/store/model.hpp"

#include <string>
#include <vector>

namespace nuage::store {

class Store;

struct Exposure {
    Record proxied;      // the proxied A/AAAA whose origin address shows
    Record exposing;     // the DNS-only record that shows it
    std::string address; // the origin address, as text
    std::string how;     // "the same address", "SPF ip4:192.0.2.0/24", "ipv4hint", ...
};

// Every exposure among `all` (the records of every zone, as stored) in which the record with
// id `changed_id` takes part, on either side.
std::vector<Exposure> exposures_of(const std::string& changed_id, const std::vector<Record>& all);

// The same for `changed` as written, reading only the records that can take part from `st`.
std::vector<Exposure> exposures_of(Store& st, const Record& changed);

// Every exposure in which a record of zone `zone_id` takes part (after a zone import).
std::vector<Exposure> exposures_in_zone(Store& st, std::int64_t zone_id);

// One line: "mail.example.com TXT (DNS only) shows 192.0.2.10, the origin of the proxied
// www.example.com A 192.0.2.10 (SPF ip4:192.0.2.0/24)".
std::string describe(const Exposure& e);

} // namespace nuage::store

// zone_file.hpp -- reads a BIND master file (RFC 1035 §5) into records: zone_lexer.hpp splits
// it into entries, this reads owner, TTL, class and type, and rdata.hpp (ldns) the RDATA.
// $ORIGIN, $TTL, relative names, escapes, RFC 3597 "\#", TTL and class in either order and any
// RFC 2181 TTL are accepted; $INCLUDE and $GENERATE are refused (a zone is one file, written
// out). The first error stops the read: the caller gets nothing partial, and the message is
// "file:line: reason".
#pragma once

#include "zonestore/dns/name.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nuage::dns {

struct ZoneFileRecord {
    Name owner; // absolute, lowercase
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;
    std::string rdata;   // uncompressed wire
    int line = 0;        // 1-based line where the record ends
    std::string comment; // text after ';' on that line, trimmed ("" if none)
};

struct ZoneFileError : std::runtime_error {
    ZoneFileError(std::string file, int line, const std::string& reason, std::string field = {});
    std::string file;
    int line;
    std::string field; // "name", "ttl", "type", "content", or "" for the file's syntax
};

// `text` is the file's content, `file` its name for messages. Records of class IN only.
std::vector<ZoneFileRecord> read_zone_file(std::string_view text, const Name& origin,
                                           std::string_view file);

} // namespace nuage::dns

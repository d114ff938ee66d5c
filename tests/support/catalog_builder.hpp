// catalog_builder.hpp -- test support: zone text -> ZoneSource -> compiled Catalog, with no
// store and no sockets, so engine tests are tables of zone text and queries.
#pragma once

#include "zonestore/compile/zone_source.hpp"
#include "zonestore/snapshot/catalog.hpp"

#include <string_view>
#include <utility>
#include <vector>

namespace nuage::test {

// The zone's apex SOA and NS become its meta (as `dnsctl zone import` keeps them); the rest
// are its records. A line "$FLATTEN OWNER TARGET TTL" makes a flattened CNAME (its addresses
// unknown, unless the text gives the owner A/AAAA records). Throws on a syntax error.
compile::ZoneSource zone_source_from_text(std::string_view origin, std::string_view text,
                                          std::int64_t zone_id = 1);

// Compiles each (origin, text) pair; zone ids are 1, 2, ... in order.
snapshot::CatalogRef
catalog_from_zones(const std::vector<std::pair<std::string_view, std::string_view>>& zones);

}  // namespace nuage::test

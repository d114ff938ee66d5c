// record_json.hpp -- the record object of API.md §5, both ways: a stored Record as JSON (name
// FQDN without the trailing dot, priority, data, settings, meta, times with microseconds), and
// a request body as the store's RecordInput (POST and PUT: every field, omitted ones reset;
// PATCH: only the fields present change). Field types are checked here, naming the field;
// the values themselves are the store's to judge (DESIGN §2).
#pragma once

#include "api/context.hpp"
#include "zonestore/store/model.hpp"

#include <nlohmann/json.hpp>

namespace nuage::api {

json record_json(const store::Record& r, const store::Zone& zone, const ApiSettings& settings);

// A POST or PUT body. Throws store::ValidationError naming the field ("type", "ttl", ...).
store::RecordInput record_input(const json& body);

// A PATCH body applied over `old`: the fields absent from `body` keep their stored values
// (ddclient sends only {"content": ip} and needs ttl and proxied kept).
store::RecordInput record_patch(const store::Record& old, const json& body);

// Is this record a tunnel route that will not resolve publicly (a DNS-only CNAME to
// <id>.<tunnels domain>, DESIGN §2 "Tunnels")? The API warns in `messages`.
bool dns_only_tunnel_route(const store::Record& r, const ApiSettings& settings);

} // namespace nuage::api

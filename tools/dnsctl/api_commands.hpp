// api_commands.hpp -- dnsctl's verbs over the REST API (`dnsctl --api URL --token T ...`, DESIGN
// §4): the same verbs as the offline commands, mapped onto API.md's endpoints. Output is a
// readable table, or with --json the envelope's raw `result` (every page of a list joined).
// Failures are the ApiClient's exceptions, plus UsageError for what the API cannot do.
#pragma once

#include "tools/dnsctl/api_client.hpp"
#include "tools/dnsctl/record_flags.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace nuage::dnsctl::api {

struct Context {
    ApiClient& client;
    std::ostream& out;
    bool json = false;
};

// Record fields as the flags give them; unset fields are not sent (edit is a PATCH).
using RecordFields = RecordArgs;

struct RecordQuery {
    std::optional<std::string> name, type, content;
};

// A zone is named by its name ("example.com") or its 32-hex id.
void zone_create(Context& c, const std::string& name);
void zone_list(Context& c, const std::optional<std::string>& name,
               const std::optional<std::string>& status);
void zone_get(Context& c, const std::string& zone);
void zone_delete(Context& c, const std::string& zone);
void zone_set(Context& c, const std::string& zone, const std::string& key,
              const std::string& value);
void zone_activation_check(Context& c, const std::string& zone);
void zone_export(Context& c, const std::string& zone);
// Creates the zone when it does not exist, then imports the file's records into it (the API's
// import skips SOA and apex NS, as Cloudflare's does).
void zone_import(Context& c, const std::string& zone, const std::string& file, bool proxied);

// Prints the new record's id as the last line.
void record_add(Context& c, const std::string& zone, const std::string& name,
                const RecordFields& f);
void record_list(Context& c, const std::string& zone, const RecordQuery& q);
void record_get(Context& c, const std::string& zone, const std::string& id);
void record_edit(Context& c, const std::string& zone, const std::string& id, const RecordFields& f);
void record_delete(Context& c, const std::string& zone, const std::string& id);

// A tunnel is named by its UUID or its name. create prints the id as the last line.
void tunnel_create(Context& c, const std::string& name);
void tunnel_list(Context& c, bool include_deleted);
void tunnel_delete(Context& c, const std::string& tunnel);

void token_list(Context& c);
void token_revoke(Context& c, const std::string& id);
void token_verify(Context& c);

// The JSON body of a record create (all fields) or edit (only the given ones).
json record_body(const RecordFields& f, const std::optional<std::string>& name);
// One table line per record, as `record list` prints it (exposed for tests).
std::vector<std::string> record_row(const json& r);

} // namespace nuage::dnsctl::api

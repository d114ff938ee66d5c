// offline.hpp -- dnsctl's offline commands on a database file (DESIGN §4): what each command
// does with the Store, given parsed arguments. The CLI (cli.cpp) owns argv; these own the
// output. Errors are thrown (ValidationError, ImportError, NotFound, StoreError, UsageError)
// and turned into messages and exit codes by the CLI.
#pragma once

#include "tools/dnsctl/record_flags.hpp"
#include "zonestore/store/store.hpp"

#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nuage::dnsctl {

// Bad or missing arguments that CLI11 cannot see (exit code 2).
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What every offline command may need besides its own arguments.
struct Context {
    store::Store& store;
    std::ostream& out;
    std::optional<std::string> config_path; // --config
    std::ostream* err = nullptr;            // warnings (stderr); null: none printed
};

// With --config: gives the store dnsd's edge pools and tunnel domain, so that writes are
// checked as dnsd checks them (DESIGN §2) and `zone export --public` shows the edge.
void configure_store(Context& c);

void zone_import(Context& c, const std::string& origin, const std::string& file, bool replace);
void zone_export(Context& c, const std::string& origin, bool public_view);
void zone_create(Context& c, const std::string& name, const std::vector<std::string>& ns);
void zone_list(Context& c);
void zone_delete(Context& c, const std::string& zone);
void zone_set(Context& c, const std::string& zone, const std::string& key,
              const std::string& value);

// Prints the new record's id as the last line.
void record_add(Context& c, const std::string& zone, const std::string& name,
                const RecordArgs& args);
void record_list(Context& c, const std::string& zone, const std::optional<std::string>& name,
                 const std::optional<std::string>& type);
void record_edit(Context& c, const std::string& zone, const std::string& id,
                 const RecordArgs& args);
void record_delete(Context& c, const std::string& zone, const std::string& id);

void backup(Context& c, const std::string& dest);

// One record as `record list` prints it: id, name, TTL, type, content, flags; tab-separated.
std::string format_record(const store::Record& r);

} // namespace nuage::dnsctl

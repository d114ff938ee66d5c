#include "tools/dnsctl/cli.hpp"

#include "dnsd/config.hpp"
#include "tools/dnsctl/api_cli.hpp"
#include "tools/dnsctl/offline.hpp"
#include "tools/dnsctl/tokens.hpp"
#include "tools/dnsctl/tunnels.hpp"

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>

namespace nuage::dnsctl {

namespace {

constexpr int kRefused = 1;
constexpr int kUsage = 2;

struct Args {
    std::string db, config;
    std::string zone, name, file, key, value, id, type;
    std::vector<std::string> ns;
    bool replace = false, public_view = false;
};

void print_refusal(std::ostream& err, const store::ValidationError& e)
{
    if (const auto* ie = dynamic_cast<const store::ImportError*>(&e)) {
        err << "dnsctl: " << ie->what() << "\n";
        return;
    }
    for (const auto& f : e.errors) {
        err << "dnsctl: " << f.field << ": " << f.message << "\n";
    }
}

} // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err)
{
    if (wants_api(argc, argv)) {
        return run_api(argc, argv, out, err); // the same verbs over the REST API (api_cli.cpp)
    }
    CLI::App app{"dnsctl: Nuage's operator CLI (offline commands on a database file)", "dnsctl"};
    app.require_subcommand(1);
    app.footer("Over dnsd's REST API instead: dnsctl --api URL --token TOKEN ... "
               "(dnsctl --api URL --help lists its verbs)");
    Args a;
    app.add_option("--db", a.db, "the SQLite database file")->required();
    app.add_option("--config", a.config, "dnsd's TOML configuration ([zones] name_servers, pools)");
    std::function<void(Context&)> action;

    auto* zone = app.add_subcommand("zone", "zones: import, export, create, list, delete, set");
    zone->require_subcommand(1);
    auto* zimport = zone->add_subcommand("import", "import a BIND master file as a zone");
    zimport->add_option("ORIGIN", a.zone, "the zone's name")->required();
    zimport->add_option("ZONEFILE", a.file, "the master file")->required();
    zimport->add_flag("--replace", a.replace, "replace an existing zone's records");
    zimport->callback(
        [&] { action = [&](Context& c) { zone_import(c, a.zone, a.file, a.replace); }; });
    auto* zexport = zone->add_subcommand("export", "write the zone as a BIND master file");
    zexport->add_option("ORIGIN", a.zone, "the zone's name")->required();
    zexport->add_flag("--public", a.public_view, "what the world sees (no origin addresses)");
    zexport->callback([&] { action = [&](Context& c) { zone_export(c, a.zone, a.public_view); }; });
    auto* zcreate = zone->add_subcommand("create", "create an empty zone");
    zcreate->add_option("NAME", a.zone, "the zone's name")->required();
    zcreate->add_option("--ns", a.ns, "a name server (repeatable; default: the config's)");
    zcreate->callback([&] { action = [&](Context& c) { zone_create(c, a.zone, a.ns); }; });
    auto* zlist = zone->add_subcommand("list", "list zones, one a line, id first");
    zlist->callback([&] { action = [&](Context& c) { zone_list(c); }; });
    auto* zdelete = zone->add_subcommand("delete", "delete a zone and all its records");
    zdelete->add_option("ZONE", a.zone, "the zone's name")->required();
    zdelete->callback([&] { action = [&](Context& c) { zone_delete(c, a.zone); }; });
    auto* zset = zone->add_subcommand("set", "change a zone setting");
    zset->add_option("ZONE", a.zone, "the zone's name")->required();
    zset->add_option("KEY", a.key, "cname_flattening or edge_pool")
        ->required()
        ->check(CLI::IsMember({"cname_flattening", "edge_pool"}));
    zset->add_option("VALUE", a.value, "flatten_at_root|flatten_all, or a pool name")->required();
    zset->callback([&] { action = [&](Context& c) { zone_set(c, a.zone, a.key, a.value); }; });

    auto* record = app.add_subcommand("record", "records: add, list, edit, delete");
    record->require_subcommand(1);
    auto* radd = record->add_subcommand("add", "add a record; prints its id last");
    radd->add_option("ZONE", a.zone, "the zone's name")->required();
    radd->add_option("NAME", a.name, "www, @ or www.example.com")->required();
    RecordFlags add_flags(radd, RecordFlags::Verb::Add);
    radd->callback(
        [&] { action = [&](Context& c) { record_add(c, a.zone, a.name, add_flags.args()); }; });
    auto* rlist = record->add_subcommand("list", "list records, one a line, id first");
    rlist->add_option("ZONE", a.zone, "the zone's name")->required();
    auto* name_opt = rlist->add_option("--name", a.name, "only this name");
    auto* type_opt = rlist->add_option("--type", a.type, "only this type");
    rlist->callback([&] {
        action = [&](Context& c) {
            record_list(c, a.zone, name_opt->count() ? std::optional(a.name) : std::nullopt,
                        type_opt->count() ? std::optional(a.type) : std::nullopt);
        };
    });
    auto* redit = record->add_subcommand("edit", "change a record in one atomic step");
    redit->add_option("ZONE", a.zone, "the zone's name")->required();
    redit->add_option("RECORD_ID", a.id, "the record's id")->required();
    RecordFlags edit_flags(redit, RecordFlags::Verb::Edit);
    redit->callback(
        [&] { action = [&](Context& c) { record_edit(c, a.zone, a.id, edit_flags.args()); }; });
    auto* rdelete = record->add_subcommand("delete", "delete a record");
    rdelete->add_option("ZONE", a.zone, "the zone's name")->required();
    rdelete->add_option("RECORD_ID", a.id, "the record's id")->required();
    rdelete->callback([&] { action = [&](Context& c) { record_delete(c, a.zone, a.id); }; });

    auto* tunnel = app.add_subcommand("tunnel", "tunnels: create, list, delete");
    tunnel->require_subcommand(1);
    auto* tcreate = tunnel->add_subcommand("create", "create a tunnel; prints its id last");
    tcreate->add_option("NAME", a.name, "the tunnel's name")->required();
    auto* secret_opt =
        tcreate->add_option("--secret", a.value, "base64 of at least 32 bytes (default: random)");
    tcreate->callback([&] {
        action = [&](Context& c) {
            tunnel_create(c, a.name, secret_opt->count() ? std::optional(a.value) : std::nullopt);
        };
    });
    auto* tlist = tunnel->add_subcommand("list", "list tunnels, one a line, id first");
    tlist->add_flag("--deleted", a.replace, "include deleted tunnels");
    tlist->callback([&] { action = [&](Context& c) { tunnel_list(c, a.replace); }; });
    auto* tdelete = tunnel->add_subcommand("delete", "delete a tunnel (refused while routed)");
    tdelete->add_option("TUNNEL", a.id, "the tunnel's id or name")->required();
    tdelete->callback([&] { action = [&](Context& c) { tunnel_delete(c, a.id); }; });

    auto* token = app.add_subcommand("token", "API tokens: create, list, revoke");
    token->require_subcommand(1);
    std::vector<std::string> token_zones;
    bool token_read = false, token_edit = false;
    auto* kcreate = token->add_subcommand("create", "create an API token; prints its secret last");
    kcreate->add_option("--name", a.name, "what the token is for")->required();
    kcreate->add_option("--zone", token_zones, "a zone it may reach (repeatable; none: all)");
    auto* kread = kcreate->add_flag("--read", token_read, "read only");
    auto* kedit = kcreate->add_flag("--edit", token_edit, "read and edit");
    kread->excludes(kedit);
    kcreate->callback([&] {
        if (!token_read && !token_edit) {
            throw CLI::RequiredError("--read or --edit");
        }
        action = [&](Context& c) { token_create(c, a.name, token_zones, token_edit); };
    });
    auto* klist = token->add_subcommand("list", "list tokens (never their secrets), id first");
    klist->callback([&] { action = [&](Context& c) { token_list(c); }; });
    auto* krevoke = token->add_subcommand("revoke", "revoke a token");
    krevoke->add_option("TOKEN_ID", a.id, "the token's id")->required();
    krevoke->callback([&] { action = [&](Context& c) { token_revoke(c, a.id); }; });

    auto* bak = app.add_subcommand("backup", "copy the database (SQLite online backup)");
    bak->add_option("FILE", a.file, "the copy to write")->required();
    bak->callback([&] { action = [&](Context& c) { backup(c, a.file); }; });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e, out, err);
        return rc == 0 ? 0 : kUsage;
    }
    try {
        auto st = store::Store::open(a.db);
        Context c{*st, out, a.config.empty() ? std::nullopt : std::optional(a.config), &err};
        configure_store(c);
        action(c);
        return 0;
    } catch (const UsageError& e) {
        err << "dnsctl: " << e.what() << "\n";
        return kUsage;
    } catch (const store::ValidationError& e) {
        print_refusal(err, e);
    } catch (const config::ConfigError& e) {
        for (const auto& p : e.problems) {
            err << "dnsctl: " << p << "\n";
        }
    } catch (const std::exception& e) {
        err << "dnsctl: " << e.what() << "\n";
    }
    return kRefused;
}

} // namespace nuage::dnsctl

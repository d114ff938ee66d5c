#include "tools/dnsctl/api_cli.hpp"

#include "tools/dnsctl/api_commands.hpp"
#include "tools/dnsctl/offline.hpp"
#include "tools/dnsctl/record_flags.hpp"

#include <CLI/CLI.hpp>
#include <cstring>
#include <functional>
#include <optional>
#include <ostream>

namespace nuage::dnsctl {

namespace {

using Action = std::function<void(api::Context&)>;

struct Args {
    std::string url, token, cacert;
    bool json = false;
    std::string zone, name, file, key, value, id, type, content, status;
    std::vector<std::string> ns;
    bool proxied = false, replace = false, public_view = false, deleted = false;
    std::optional<RecordFlags> add_flags, edit_flags; // bound by record add and record edit
};

void add_zone_commands(CLI::App& app, Args& a, Action& action)
{
    auto* zone =
        app.add_subcommand("zone", "zones: create, list, get, delete, set, import, export");
    zone->require_subcommand(1);
    auto* create = zone->add_subcommand("create", "create a zone (status pending)");
    create->add_option("NAME", a.zone, "the zone's name")->required();
    auto* ns =
        create->add_option("--ns", a.ns, "offline only: the API assigns [zones] name_servers");
    create->callback([&a, &action, ns] {
        if (ns->count()) {
            throw UsageError("zone create --ns is offline only: over the API a zone gets the "
                             "configured [zones] name_servers");
        }
        action = [&a](api::Context& c) { api::zone_create(c, a.zone); };
    });
    auto* list = zone->add_subcommand("list", "list zones");
    auto* name = list->add_option("--name", a.name, "only this name");
    auto* status = list->add_option("--status", a.status, "pending or active");
    list->callback([&a, &action, name, status] {
        action = [&a, name, status](api::Context& c) {
            api::zone_list(c, name->count() ? std::optional(a.name) : std::nullopt,
                           status->count() ? std::optional(a.status) : std::nullopt);
        };
    });
    auto* get = zone->add_subcommand("get", "show one zone");
    get->add_option("ZONE", a.zone, "the zone's name or id")->required();
    get->callback([&] { action = [&a](api::Context& c) { api::zone_get(c, a.zone); }; });
    auto* del = zone->add_subcommand("delete", "delete a zone and all its records");
    del->add_option("ZONE", a.zone, "the zone's name or id")->required();
    del->callback([&] { action = [&a](api::Context& c) { api::zone_delete(c, a.zone); }; });
    auto* set = zone->add_subcommand("set", "change a zone setting");
    set->add_option("ZONE", a.zone, "the zone's name or id")->required();
    set->add_option("KEY", a.key, "cname_flattening")->required();
    set->add_option("VALUE", a.value, "flatten_at_root or flatten_all")->required();
    set->callback(
        [&] { action = [&a](api::Context& c) { api::zone_set(c, a.zone, a.key, a.value); }; });
    auto* check = zone->add_subcommand("activation-check", "re-run the delegation check now");
    check->add_option("ZONE", a.zone, "the zone's name or id")->required();
    check->callback(
        [&] { action = [&a](api::Context& c) { api::zone_activation_check(c, a.zone); }; });
    auto* exp = zone->add_subcommand("export", "the zone's records as a BIND master file");
    exp->add_option("ZONE", a.zone, "the zone's name or id")->required();
    exp->add_flag("--public", a.public_view, "offline only");
    exp->callback([&] {
        if (a.public_view) {
            throw UsageError("zone export --public is offline only (dnsctl --db FILE)");
        }
        action = [&a](api::Context& c) { api::zone_export(c, a.zone); };
    });
    auto* imp = zone->add_subcommand("import", "add a BIND master file's records to a zone "
                                               "(created if missing)");
    imp->add_option("ZONE", a.zone, "the zone's name")->required();
    imp->add_option("ZONEFILE", a.file, "the master file")->required();
    imp->add_flag("--proxied", a.proxied, "proxy the A/AAAA/CNAME records without a cf_tags mark");
    imp->add_flag("--replace", a.replace, "offline only");
    imp->callback([&] {
        if (a.replace) {
            throw UsageError("zone import --replace is offline only (dnsctl --db FILE): the "
                             "API's import adds records to the zone");
        }
        action = [&a](api::Context& c) { api::zone_import(c, a.zone, a.file, a.proxied); };
    });
}

void add_record_commands(CLI::App& app, Args& a, Action& action)
{
    auto* record = app.add_subcommand("record", "records: add, list, get, edit, delete");
    record->require_subcommand(1);
    auto* add = record->add_subcommand("add", "add a record; prints its id last");
    add->add_option("ZONE", a.zone, "the zone's name or id")->required();
    add->add_option("NAME", a.name, "www, @ or www.example.com")->required();
    const auto& add_flags = a.add_flags.emplace(add, RecordFlags::Verb::Add);
    add->callback([&a, &action, &add_flags] {
        action = [&a, &add_flags](api::Context& c) {
            api::record_add(c, a.zone, a.name, add_flags.args());
        };
    });
    auto* list = record->add_subcommand("list", "list records");
    list->add_option("ZONE", a.zone, "the zone's name or id")->required();
    auto* name = list->add_option("--name", a.name, "only this name");
    auto* type = list->add_option("--type", a.type, "only this type");
    auto* content = list->add_option("--content", a.content, "only this content");
    list->callback([&a, &action, name, type, content] {
        action = [&a, name, type, content](api::Context& c) {
            api::RecordQuery q;
            q.name = name->count() ? std::optional(a.name) : std::nullopt;
            q.type = type->count() ? std::optional(a.type) : std::nullopt;
            q.content = content->count() ? std::optional(a.content) : std::nullopt;
            api::record_list(c, a.zone, q);
        };
    });
    auto* get = record->add_subcommand("get", "show one record");
    get->add_option("ZONE", a.zone, "the zone's name or id")->required();
    get->add_option("RECORD_ID", a.id, "the record's id")->required();
    get->callback([&] { action = [&a](api::Context& c) { api::record_get(c, a.zone, a.id); }; });
    auto* edit = record->add_subcommand("edit", "change a record in one atomic step (PATCH)");
    edit->add_option("ZONE", a.zone, "the zone's name or id")->required();
    edit->add_option("RECORD_ID", a.id, "the record's id")->required();
    const auto& edit_flags = a.edit_flags.emplace(edit, RecordFlags::Verb::Edit);
    edit->callback([&a, &action, &edit_flags] {
        action = [&a, &edit_flags](api::Context& c) {
            api::record_edit(c, a.zone, a.id, edit_flags.args());
        };
    });
    auto* del = record->add_subcommand("delete", "delete a record");
    del->add_option("ZONE", a.zone, "the zone's name or id")->required();
    del->add_option("RECORD_ID", a.id, "the record's id")->required();
    del->callback([&] { action = [&a](api::Context& c) { api::record_delete(c, a.zone, a.id); }; });
}

void add_account_commands(CLI::App& app, Args& a, Action& action)
{
    auto* tunnel = app.add_subcommand("tunnel", "tunnels: create, list, delete");
    tunnel->require_subcommand(1);
    auto* create = tunnel->add_subcommand("create", "create a tunnel; prints its id last");
    create->add_option("NAME", a.name, "the tunnel's name")->required();
    create->callback([&] { action = [&a](api::Context& c) { api::tunnel_create(c, a.name); }; });
    auto* list = tunnel->add_subcommand("list", "list tunnels");
    list->add_flag("--deleted", a.deleted, "include deleted tunnels");
    list->callback([&] { action = [&a](api::Context& c) { api::tunnel_list(c, a.deleted); }; });
    auto* del = tunnel->add_subcommand("delete", "delete a tunnel");
    del->add_option("TUNNEL", a.id, "the tunnel's id or name")->required();
    del->callback([&] { action = [&a](api::Context& c) { api::tunnel_delete(c, a.id); }; });

    auto* token = app.add_subcommand("token", "tokens: list, revoke, verify");
    token->require_subcommand(1);
    auto* tcreate = token->add_subcommand("create", "offline only");
    // Parsed like the offline command, so that the refusal below is what the user sees.
    tcreate->add_option("--name", a.name);
    tcreate->add_option("--zone", a.ns);
    tcreate->add_flag("--read");
    tcreate->add_flag("--edit");
    tcreate->callback([] {
        throw UsageError("token create is offline only: dnsctl --db FILE token create --name "
                         "NAME [--zone ZONE]... (--read|--edit)");
    });
    auto* tlist = token->add_subcommand("list", "list tokens (never their secrets)");
    tlist->callback([&] { action = [](api::Context& c) { api::token_list(c); }; });
    auto* revoke = token->add_subcommand("revoke", "revoke a token");
    revoke->add_option("TOKEN_ID", a.id, "the token's id")->required();
    revoke->callback([&] { action = [&a](api::Context& c) { api::token_revoke(c, a.id); }; });
    auto* verify = token->add_subcommand("verify", "check the token given with --token");
    verify->callback([&] { action = [](api::Context& c) { api::token_verify(c); }; });
}

void print_errors(std::ostream& err, const ApiRefused& e)
{
    for (const auto& item : e.errors) {
        err << "dnsctl: ";
        if (item.code != 0) {
            err << "error " << item.code << ": ";
        }
        err << item.message << "\n";
    }
    if (e.status != 0 && e.status != 404) {
        err << "dnsctl: (HTTP " << e.status << ")\n";
    }
}

} // namespace

bool wants_api(int argc, const char* const* argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--api") == 0 || std::strncmp(argv[i], "--api=", 6) == 0) {
            return true;
        }
    }
    return false;
}

int run_api(int argc, const char* const* argv, std::ostream& out, std::ostream& err)
{
    CLI::App app{"dnsctl over Nuage's REST API (exit: 0 ok, 1 refused, 2 usage, 3 cannot "
                 "connect or credentials refused, 4 server fault)",
                 "dnsctl"};
    app.require_subcommand(1);
    app.fallthrough();
    Args a;
    app.add_option("--api", a.url, "base URL, e.g. http://127.0.0.1:8053/client/v4")->required();
    app.add_option("--token", a.token, "API token secret (or NUAGE_API_TOKEN)")
        ->envname("NUAGE_API_TOKEN");
    app.add_option("--cacert", a.cacert, "PEM file of the CA that signed the API's certificate")
        ->check(CLI::ExistingFile);
    app.add_flag("--json", a.json, "print the API's raw result JSON");
    Action action;
    add_zone_commands(app, a, action);
    add_record_commands(app, a, action);
    add_account_commands(app, a, action);

    try {
        app.parse(argc, argv);
        if (a.token.empty()) {
            throw UsageError("--token (or NUAGE_API_TOKEN) is required with --api");
        }
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e, out, err);
        return rc == 0 ? kApiOk : kApiUsage;
    } catch (const UsageError& e) {
        err << "dnsctl: " << e.what() << "\n";
        return kApiUsage;
    }
    try {
        ApiClient::Options options;
        options.url = a.url;
        options.token = a.token;
        options.cacert = a.cacert;
        // The API's warnings go to stderr, whatever the output format (stdout stays parseable).
        options.on_message = [&err](const ApiErrorItem& m) {
            err << "dnsctl: note";
            if (m.code != 0) {
                err << " " << m.code;
            }
            err << ": " << m.message << "\n";
        };
        ApiClient client(std::move(options));
        api::Context c{client, out, a.json};
        action(c);
        return kApiOk;
    } catch (const std::invalid_argument& e) {
        err << "dnsctl: " << e.what() << "\n";
        return kApiUsage;
    } catch (const UsageError& e) {
        err << "dnsctl: " << e.what() << "\n";
        return kApiUsage;
    } catch (const AuthRefused& e) {
        print_errors(err, e);
        return kApiUnreachable;
    } catch (const ApiRefused& e) {
        print_errors(err, e);
        return kApiRefused;
    } catch (const CannotReach& e) {
        err << "dnsctl: " << e.what() << "\n";
        return kApiUnreachable;
    } catch (const ServerFault& e) {
        err << "dnsctl: " << e.what() << "\n";
        return kApiServerFault;
    } catch (const std::exception& e) {
        err << "dnsctl: " << e.what() << "\n";
        return kApiRefused;
    }
}

} // namespace nuage::dnsctl

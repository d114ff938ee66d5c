#include "tools/dnsctl/api_commands.hpp"

#include "tools/dnsctl/api_table.hpp"
#include "tools/dnsctl/offline.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <ostream>
#include <sstream>

namespace nuage::dnsctl::api {

namespace {

constexpr int kRecordsPerPage = 1000;
constexpr int kZonesPerPage = 50; // API.md §4: the zone list's maximum

bool is_hex_id(const std::string& s, std::size_t len)
{
    return s.size() == len && std::all_of(s.begin(), s.end(), [](unsigned char c) {
               return std::isdigit(c) || (c >= 'a' && c <= 'f');
           });
}

bool is_uuid(const std::string& s)
{
    if (s.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) {
            return false;
        }
    }
    return true;
}

// "Example.COM." -> "example.com": the API's spelling of a name.
std::string api_name(std::string s)
{
    while (s.size() > 1 && s.back() == '.') {
        s.pop_back();
    }
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
}

// A name as the zone's records spell it ("www", "@", "www.example.com") -> the FQDN the API's
// name filter compares with.
std::string fqdn(const std::string& name, const std::string& origin)
{
    std::string n = api_name(name);
    if (n == "@") {
        return origin;
    }
    bool inside = n == origin ||
                  (n.size() > origin.size() &&
                   n.compare(n.size() - origin.size() - 1, std::string::npos, "." + origin) == 0);
    return inside ? n : n + "." + origin;
}

[[noreturn]] void not_found(const std::string& what)
{
    throw ApiRefused(404, {{0, what}});
}

// The zone object named by `text` (its id, or its name looked up with ?name=).
json find_zone(Context& c, const std::string& text)
{
    if (is_hex_id(text, 32)) {
        return c.client.call("GET", "/zones/" + text)["result"];
    }
    json found = c.client.call("GET", "/zones", {{"name", api_name(text)}})["result"];
    if (!found.is_array() || found.empty()) {
        not_found("no zone named " + api_name(text));
    }
    return found[0];
}

std::string zone_id(Context& c, const std::string& text)
{
    return is_hex_id(text, 32) ? text : find_zone(c, text)["id"].get<std::string>();
}

std::string account_id(Context& c)
{
    json accounts = c.client.call("GET", "/accounts")["result"];
    if (!accounts.is_array() || accounts.empty() || !accounts[0].contains("id")) {
        throw ServerFault("GET /accounts returned no account");
    }
    return accounts[0]["id"].get<std::string>();
}

void print_json(Context& c, const json& v)
{
    c.out << v.dump(2) << "\n";
}

void zone_table(Context& c, const json& zones)
{
    Table t({"ID", "NAME", "STATUS", "NAME_SERVERS"});
    for (const auto& z : zones) {
        t.add({field(z, "id"), field(z, "name"), field(z, "status"), field(z, "name_servers")});
    }
    t.print(c.out);
}

void record_table(Context& c, const json& records)
{
    Table t({"ID", "NAME", "TYPE", "CONTENT", "TTL", "PROXIED"});
    for (const auto& r : records) {
        t.add(record_row(r));
    }
    t.print(c.out);
}

void tunnel_table(Context& c, const json& tunnels)
{
    Table t({"ID", "NAME", "STATUS", "CREATED_AT", "DELETED_AT"});
    for (const auto& x : tunnels) {
        t.add({field(x, "id"), field(x, "name"), field(x, "status"), field(x, "created_at"),
               field(x, "deleted_at")});
    }
    t.print(c.out);
}

std::string read_file(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        throw UsageError("cannot read " + path + ": is a directory"); // ifstream reads nothing
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw UsageError("cannot read " + path + ": " + std::strerror(errno));
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// 32 random bytes in base64: a tunnel secret as cloudflared makes them (API.md §7).
std::string tunnel_secret()
{
    unsigned char raw[32];
    if (RAND_bytes(raw, sizeof raw) != 1) {
        throw std::runtime_error("cannot get random bytes for the tunnel secret");
    }
    unsigned char b64[64] = {};
    int n = EVP_EncodeBlock(b64, raw, sizeof raw);
    return std::string(reinterpret_cast<char*>(b64), static_cast<std::size_t>(n));
}

} // namespace

std::vector<std::string> record_row(const json& r)
{
    std::string content = field(r, "content");
    // MX and URI keep their priority in its own field (API.md §5); SRV's is in its content.
    std::string type = field(r, "type");
    if ((type == "MX" || type == "URI") && r.contains("priority") && r["priority"].is_number()) {
        content = r["priority"].dump() + " " + content;
    }
    std::string ttl = field(r, "ttl");
    if (ttl == "1") {
        ttl = "auto";
    }
    std::string proxied = r.value("proxied", false) ? "yes" : "no";
    return {field(r, "id"), field(r, "name"), field(r, "type"), content, ttl, proxied};
}

json record_body(const RecordFields& f, const std::optional<std::string>& name)
{
    json b = json::object();
    if (name) {
        b["name"] = *name;
    }
    if (f.type) {
        b["type"] = *f.type;
    }
    if (f.content) {
        b["content"] = *f.content;
    }
    if (f.ttl) {
        b["ttl"] = *f.ttl;
    }
    if (f.priority) {
        b["priority"] = *f.priority;
    }
    if (f.proxied) {
        b["proxied"] = *f.proxied;
    }
    if (f.flatten_cname) {
        b["settings"] = {{"flatten_cname", true}};
    }
    if (f.comment) {
        b["comment"] = *f.comment;
    }
    if (!f.tags.empty()) {
        b["tags"] = f.tags;
    }
    return b;
}

void zone_create(Context& c, const std::string& name)
{
    json body = {{"name", api_name(name)}, {"type", "full"}};
    json z = c.client.call("POST", "/zones", {}, &body)["result"];
    if (c.json) {
        return print_json(c, z);
    }
    zone_table(c, json::array({z}));
}

void zone_list(Context& c, const std::optional<std::string>& name,
               const std::optional<std::string>& status)
{
    Query q;
    if (name) {
        q.emplace_back("name", api_name(*name));
    }
    if (status) {
        q.emplace_back("status", *status);
    }
    json zones = c.client.list_all("/zones", q, kZonesPerPage);
    if (c.json) {
        return print_json(c, zones);
    }
    zone_table(c, zones);
}

void zone_get(Context& c, const std::string& zone)
{
    json z = find_zone(c, zone);
    if (c.json) {
        return print_json(c, z);
    }
    Table t({"FIELD", "VALUE"});
    for (const char* k : {"id", "name", "status", "name_servers", "original_name_servers",
                          "created_on", "modified_on", "activated_on"}) {
        t.add({k, field(z, k)});
    }
    t.print(c.out);
}

void zone_delete(Context& c, const std::string& zone)
{
    json r = c.client.call("DELETE", "/zones/" + zone_id(c, zone))["result"];
    if (c.json) {
        return print_json(c, r);
    }
    c.out << "deleted zone " << field(r, "id") << "\n";
}

void zone_set(Context& c, const std::string& zone, const std::string& key, const std::string& value)
{
    if (key != "cname_flattening") {
        throw UsageError("zone set " + key +
                         ": not available over the API (use dnsctl --db FILE zone set)");
    }
    json body = {{"value", value}};
    json r = c.client.call("PATCH", "/zones/" + zone_id(c, zone) + "/settings/cname_flattening", {},
                           &body)["result"];
    if (c.json) {
        return print_json(c, r);
    }
    c.out << "cname_flattening = " << field(r, "value") << "\n";
}

void zone_activation_check(Context& c, const std::string& zone)
{
    json r = c.client.call("PUT", "/zones/" + zone_id(c, zone) + "/activation_check")["result"];
    if (c.json) {
        return print_json(c, r);
    }
    c.out << "activation check requested for zone " << field(r, "id")
          << " (its status changes to active once the parent delegates to its name servers)\n";
}

void zone_export(Context& c, const std::string& zone)
{
    c.out << c.client.get_text("/zones/" + zone_id(c, zone) + "/dns_records/export");
}

void zone_import(Context& c, const std::string& zone, const std::string& file, bool proxied)
{
    std::string text = read_file(file);
    std::string id;
    try {
        id = zone_id(c, zone);
    } catch (const ApiRefused& e) {
        if (e.status != 404) {
            throw;
        }
        json body = {{"name", api_name(zone)}, {"type", "full"}};
        id = c.client.call("POST", "/zones", {}, &body)["result"]["id"].get<std::string>();
    }
    std::string base = file.substr(file.find_last_of('/') + 1);
    base.erase(std::remove(base.begin(), base.end(), '"'), base.end());
    json r = c.client.upload("/zones/" + id + "/dns_records/import", base.empty() ? "zone" : base,
                             text, {{"proxied", proxied ? "true" : "false"}})["result"];
    if (c.json) {
        return print_json(c, r);
    }
    c.out << "imported " << field(r, "recs_added") << " of " << field(r, "total_records_parsed")
          << " records into zone " << id << "\n";
}

void record_add(Context& c, const std::string& zone, const std::string& name, const RecordFields& f)
{
    json body = record_body(f, name);
    if (!body.contains("ttl")) {
        body["ttl"] = 1;
    }
    json r =
        c.client.call("POST", "/zones/" + zone_id(c, zone) + "/dns_records", {}, &body)["result"];
    if (c.json) {
        return print_json(c, r);
    }
    record_table(c, json::array({r}));
    c.out << field(r, "id") << "\n";
}

void record_list(Context& c, const std::string& zone, const RecordQuery& q)
{
    json z = find_zone(c, zone);
    Query query;
    if (q.name) {
        query.emplace_back("name", fqdn(*q.name, field(z, "name")));
    }
    if (q.type) {
        query.emplace_back("type", *q.type);
    }
    if (q.content) {
        query.emplace_back("content", *q.content);
    }
    json records =
        c.client.list_all("/zones/" + field(z, "id") + "/dns_records", query, kRecordsPerPage);
    if (c.json) {
        return print_json(c, records);
    }
    record_table(c, records);
}

void record_get(Context& c, const std::string& zone, const std::string& id)
{
    json r = c.client.call("GET", "/zones/" + zone_id(c, zone) + "/dns_records/" + id)["result"];
    if (c.json) {
        return print_json(c, r);
    }
    record_table(c, json::array({r}));
}

void record_edit(Context& c, const std::string& zone, const std::string& id, const RecordFields& f)
{
    json body = record_body(f, std::nullopt);
    if (body.empty()) {
        throw UsageError("record edit: nothing to change");
    }
    json r = c.client.call("PATCH", "/zones/" + zone_id(c, zone) + "/dns_records/" + id, {},
                           &body)["result"];
    if (c.json) {
        return print_json(c, r);
    }
    record_table(c, json::array({r}));
}

void record_delete(Context& c, const std::string& zone, const std::string& id)
{
    json r = c.client.call("DELETE", "/zones/" + zone_id(c, zone) + "/dns_records/" + id)["result"];
    if (c.json) {
        return print_json(c, r);
    }
    c.out << "deleted " << field(r, "id") << "\n";
}

void tunnel_create(Context& c, const std::string& name)
{
    json body = {{"name", name}, {"config_src", "local"}, {"tunnel_secret", tunnel_secret()}};
    json t =
        c.client.call("POST", "/accounts/" + account_id(c) + "/cfd_tunnel", {}, &body)["result"];
    if (c.json) {
        return print_json(c, t);
    }
    tunnel_table(c, json::array({t}));
    c.out << "tunnel secret (for the connector; shown once): "
          << body["tunnel_secret"].get<std::string>() << "\n"
          << field(t, "id") << "\n";
}

void tunnel_list(Context& c, bool include_deleted)
{
    // As offline: --deleted lists every tunnel, deleted ones too (the API's is_deleted=true
    // would list only the deleted ones; no is_deleted lists all).
    Query query;
    if (!include_deleted) {
        query.push_back({"is_deleted", "false"});
    }
    json tunnels = c.client.list_all("/accounts/" + account_id(c) + "/cfd_tunnel", query, 50);
    if (c.json) {
        return print_json(c, tunnels);
    }
    tunnel_table(c, tunnels);
}

void tunnel_delete(Context& c, const std::string& tunnel)
{
    std::string account = account_id(c);
    std::string id = tunnel;
    if (!is_uuid(tunnel)) {
        json found = c.client.call("GET", "/accounts/" + account + "/cfd_tunnel",
                                   {{"name", tunnel}, {"is_deleted", "false"}})["result"];
        if (!found.is_array() || found.empty()) {
            not_found("no tunnel named " + tunnel);
        }
        id = found[0]["id"].get<std::string>();
    }
    json t = c.client.call("DELETE", "/accounts/" + account + "/cfd_tunnel/" + id)["result"];
    if (c.json) {
        return print_json(c, t);
    }
    c.out << "deleted tunnel " << field(t, "id") << "\n";
}

void token_list(Context& c)
{
    json tokens = c.client.list_all("/user/tokens", {}, 50);
    if (c.json) {
        return print_json(c, tokens);
    }
    Table t({"ID", "NAME", "STATUS", "ISSUED_ON"});
    for (const auto& x : tokens) {
        t.add({field(x, "id"), field(x, "name"), field(x, "status"), field(x, "issued_on")});
    }
    t.print(c.out);
}

void token_revoke(Context& c, const std::string& id)
{
    json r = c.client.call("DELETE", "/user/tokens/" + id)["result"];
    if (c.json) {
        return print_json(c, r);
    }
    c.out << "revoked token " << field(r, "id") << "\n";
}

void token_verify(Context& c)
{
    json r = c.client.call("GET", "/user/tokens/verify")["result"];
    if (c.json) {
        return print_json(c, r);
    }
    c.out << "token " << field(r, "id") << " is " << field(r, "status") << "\n";
}

} // namespace nuage::dnsctl::api

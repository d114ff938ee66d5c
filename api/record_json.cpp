#include "api/record_json.hpp"

#include "api/record_data.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/store/content.hpp"
#include "zonestore/store/record_rules.hpp"

#include <algorithm>
#include <cmath>

namespace nuage::api {

namespace {

using namespace dns::rrtype;

bool ends_with(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

[[noreturn]] void wrong(const std::string& field, const std::string& what, int code = 1004)
{
    store::refuse(field, what, code);
}

std::string string_field(const json& v, const std::string& field)
{
    if (!v.is_string()) {
        wrong(field, "must be a string");
    }
    return v.get<std::string>();
}

// JSON numbers that are whole (300 or 300.0); anything else names the field.
std::int64_t int_field(const json& v, const std::string& field, int code = 1004)
{
    if (v.is_number_integer()) {
        return v.get<std::int64_t>();
    }
    if (v.is_number_float()) {
        double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) {
            return static_cast<std::int64_t>(d);
        }
    }
    wrong(field, "must be a whole number", code);
}

bool bool_field(const json& v, const std::string& field)
{
    if (!v.is_boolean()) {
        wrong(field, "must be true or false");
    }
    return v.get<bool>();
}

std::vector<std::string> tags_field(const json& v)
{
    if (v.is_null()) {
        return {};
    }
    if (!v.is_array()) {
        wrong("tags", "must be a list of \"name:value\" strings");
    }
    std::vector<std::string> out;
    for (const auto& t : v) {
        out.push_back(string_field(t, "tags"));
    }
    return out;
}

std::optional<std::string> comment_field(const json& v)
{
    if (v.is_null()) {
        return std::nullopt;
    }
    std::string c = string_field(v, "comment");
    return c.empty() ? std::nullopt : std::optional(c); // "" clears it, as Cloudflare does
}

// settings: flatten_cname, ipv4_only and ipv6_only (API.md §5); the store judges them. Keys
// absent keep their value (a PATCH); null resets them all. Unknown keys are ignored.
void settings_field(const json& v, store::RecordInput& in)
{
    if (v.is_null()) {
        in.flatten_cname = in.ipv4_only = in.ipv6_only = false;
        return;
    }
    if (!v.is_object()) {
        wrong("settings", "must be an object");
    }
    for (const auto& [key, value] : v.items()) {
        if (key == "flatten_cname") {
            in.flatten_cname = bool_field(value, "settings.flatten_cname");
        } else if (key == "ipv4_only") {
            in.ipv4_only = !value.is_null() && bool_field(value, "settings.ipv4_only");
        } else if (key == "ipv6_only") {
            in.ipv6_only = !value.is_null() && bool_field(value, "settings.ipv6_only");
        }
    }
}

std::string upper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// SRV content keeps its priority (the store's form); Cloudflare's clients may send it apart,
// with content "weight port target".
void srv_priority(store::RecordInput& in)
{
    if (!in.priority || upper(in.type) != "SRV") {
        return;
    }
    std::string p = std::to_string(*in.priority);
    in.priority.reset();
    std::size_t first = in.content.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return;
    }
    std::size_t tokens = 0;
    bool space = true;
    for (char c : in.content) {
        bool s = c == ' ' || c == '\t';
        tokens += space && !s;
        space = s;
    }
    if (tokens == 3) {
        in.content = p + " " + in.content.substr(first);
    } else if (tokens == 4) { // the priority field wins over the content's first number
        std::size_t end = in.content.find_first_of(" \t", first);
        in.content = p + in.content.substr(end);
    }
}

std::optional<std::uint16_t> known_type(const std::string& t)
{
    return dns::rrtype_from_text(t);
}

// content from `content`, or from `data` when content is absent or empty.
void content_fields(const json& body, store::RecordInput& in, const json* base_data)
{
    auto c = body.find("content");
    if (c != body.end() && !c->is_null() && !(c->is_string() && c->get<std::string>().empty())) {
        in.content = string_field(*c, "content");
        return;
    }
    auto d = body.find("data");
    if (d == body.end() || d->is_null()) {
        if (c != body.end()) {
            in.content.clear(); // the store says "content is required"
        }
        return;
    }
    auto type = known_type(in.type);
    if (!type) {
        return; // the store names the type
    }
    json data = base_data && base_data->is_object() ? *base_data : json::object();
    if (!d->is_object()) {
        wrong("data", "must be an object");
    }
    data.update(*d);
    in.content = data_to_content(*type, data);
}

void common_fields(const json& body, store::RecordInput& in)
{
    for (const auto& [key, v] : body.items()) {
        if (key == "name") {
            in.name = string_field(v, "name");
        } else if (key == "ttl") {
            in.ttl = v.is_null() ? store::kAutomaticTtl : int_field(v, "ttl", 9021);
        } else if (key == "proxied") {
            in.proxied = !v.is_null() && bool_field(v, "proxied");
        } else if (key == "priority") {
            in.priority = v.is_null() ? std::nullopt : std::optional(int_field(v, "priority"));
        } else if (key == "comment") {
            in.comment = comment_field(v);
        } else if (key == "tags") {
            in.tags = tags_field(v);
        } else if (key == "settings") {
            settings_field(v, in);
        }
    }
}

} // namespace

json record_json(const store::Record& r, const store::Zone& zone, const ApiSettings& settings)
{
    std::string type = dns::rrtype_to_text(r.type);
    bool proxiable = r.type == A || r.type == AAAA || r.type == CNAME;
    json j = {{"id", r.id},
              {"zone_id", zone.public_id},
              {"zone_name", zone.name},
              {"name", r.name},
              {"type", type},
              {"content", r.content},
              {"proxiable", proxiable},
              {"proxied", r.proxied},
              {"ttl", r.ttl},
              {"locked", false}};
    if (r.priority) { // MX and URI only (API.md §5): SRV's priority is in content and data
        j["priority"] = *r.priority;
    }
    if (has_data_form(r.type)) {
        json d = content_to_data(r.type, r.content);
        if (d.is_object()) {
            j["data"] = std::move(d);
        }
    }
    j["settings"] = json::object();
    if (r.type == CNAME) {
        j["settings"]["flatten_cname"] = r.flatten_cname;
    }
    if (proxiable) {
        j["settings"]["ipv4_only"] = r.ipv4_only;
        j["settings"]["ipv6_only"] = r.ipv6_only;
    }
    j["meta"] = {{"auto_added", false},
                 {"managed_by_apps", false},
                 {"managed_by_argo_tunnel",
                  r.type == CNAME && ends_with(r.content, "." + settings.tunnels_domain)},
                 {"source", "primary"}};
    j["comment"] = r.comment ? json(*r.comment) : json(nullptr);
    j["tags"] = r.tags;
    j["created_on"] = r.created_on;
    j["modified_on"] = r.modified_on;
    if (r.comment_modified_on) {
        j["comment_modified_on"] = *r.comment_modified_on;
    }
    if (r.tags_modified_on) {
        j["tags_modified_on"] = *r.tags_modified_on;
    }
    return j;
}

store::RecordInput record_input(const json& body)
{
    store::RecordInput in;
    auto t = body.find("type");
    if (t == body.end() || t->is_null()) {
        wrong("type", "is required");
    }
    in.type = upper(string_field(*t, "type"));
    auto n = body.find("name");
    if (n == body.end() || n->is_null()) {
        wrong("name", "is required", 9000);
    }
    common_fields(body, in);
    content_fields(body, in, nullptr);
    srv_priority(in);
    return in;
}

store::RecordInput record_patch(const store::Record& old, const json& body)
{
    store::RecordInput in;
    in.name = old.owner.to_text();
    in.type = dns::rrtype_to_text(old.type);
    in.content = old.content;
    if (old.priority) {
        in.priority = *old.priority;
    }
    in.ttl = old.ttl;
    in.proxied = old.proxied;
    in.flatten_cname = old.flatten_cname;
    in.ipv4_only = old.ipv4_only;
    in.ipv6_only = old.ipv6_only;
    in.comment = old.comment;
    in.tags = old.tags;
    if (auto t = body.find("type"); t != body.end() && !t->is_null()) {
        in.type = upper(string_field(*t, "type"));
        auto nt = known_type(in.type);
        if (nt != old.type) {
            // The old type's priority and flattening mean nothing to another type.
            if (!nt || !store::has_priority_field(*nt)) {
                in.priority.reset();
            }
            if (nt != CNAME) {
                in.flatten_cname = false;
            }
            if (nt != A && nt != AAAA && nt != CNAME) {
                in.ipv4_only = in.ipv6_only = false;
            }
        }
    }
    if (auto p = body.find("proxied"); p != body.end() && !(p->is_boolean() && p->get<bool>())) {
        in.ipv4_only = in.ipv6_only = false; // proxied records' settings (the body may set them)
    }
    common_fields(body, in);
    if (body.contains("proxied") && in.proxied) {
        in.flatten_cname = false; // a proxied CNAME is always answered with edge addresses
    }
    json base;
    if (known_type(in.type) == old.type) {
        base = content_to_data(old.type, old.content);
    }
    if (body.contains("content") || body.contains("data")) {
        content_fields(body, in, &base);
    }
    srv_priority(in);
    return in;
}

bool dns_only_tunnel_route(const store::Record& r, const ApiSettings& settings)
{
    return r.type == CNAME && !r.proxied && ends_with(r.content, "." + settings.tunnels_domain);
}

} // namespace nuage::api

// Zone settings (API.md §4): /settings/cname_flattening and its successor /dns_settings
// (flatten_all_cnames <=> flatten_all, the SOA fields and the NS TTL served at the apex).
#include "api/handlers/handlers.hpp"

namespace nuage::api::handlers {

namespace {

json cname_flattening_json(const store::Zone& z)
{
    return {{"id", "cname_flattening"},
            {"value", store::to_string(z.cname_flattening)},
            {"editable", true},
            {"modified_on", z.modified_on}};
}

json dns_settings_json(const store::Zone& z)
{
    return {{"flatten_all_cnames", z.cname_flattening == store::CnameFlattening::FlattenAll},
            {"foundation_dns", false},
            {"multi_provider", false},
            {"ns_ttl", z.ns_ttl},
            {"secondary_overrides", false},
            {"zone_mode", "standard"},
            {"nameservers", {{"type", "custom.zone"}}},
            {"soa",
             {{"mname", z.soa.mname.to_text_no_dot()},
              {"rname", z.soa.rname.to_text_no_dot()},
              {"refresh", z.soa.refresh},
              {"retry", z.soa.retry},
              {"expire", z.soa.expire},
              {"min_ttl", z.soa.minimum},
              {"ttl", z.soa.ttl}}}};
}

std::int64_t seconds(const json& v, const std::string& field)
{
    if (!v.is_number_integer()) {
        throw ApiError::field(field, "must be a whole number of seconds");
    }
    return v.get<std::int64_t>();
}

// The fields of `soa` that differ from the zone's (`current`), into `change`.
void soa_change(const json& soa, const json& current, store::ZoneDnsChange& change)
{
    if (!soa.is_object()) {
        throw ApiError::field("soa", "must be an object (mname, rname, refresh, retry, expire, "
                                     "min_ttl, ttl)");
    }
    for (const auto& [key, value] : soa.items()) {
        std::string field = "soa." + key;
        if (!current.contains(key)) {
            throw ApiError::field(field, "is not an SOA field (mname, rname, refresh, retry, "
                                         "expire, min_ttl, ttl)");
        }
        if (value == current[key]) {
            continue;
        }
        if (key == "mname" || key == "rname") {
            if (!value.is_string()) {
                throw ApiError::field(field, "must be a host name");
            }
            (key == "mname" ? change.mname : change.rname) = value.get<std::string>();
            continue;
        }
        std::int64_t v = seconds(value, field);
        if (key == "refresh") {
            change.refresh = v;
        } else if (key == "retry") {
            change.retry = v;
        } else if (key == "expire") {
            change.expire = v;
        } else if (key == "min_ttl") {
            change.min_ttl = v;
        } else {
            change.ttl = v;
        }
    }
}

bool changes(const store::ZoneDnsChange& c)
{
    return c.ns_ttl || c.mname || c.rname || c.refresh || c.retry || c.expire || c.min_ttl || c.ttl;
}

store::Zone set_flattening(Call& c, store::CnameFlattening value)
{
    if (value == c.zone->cname_flattening) {
        return *c.zone; // nothing changes: no serial bump, nothing to publish
    }
    return c.store.set_cname_flattening(c.zone->id, value);
}

} // namespace

Response settings_list(Call& c)
{
    return ok(json::array({cname_flattening_json(*c.zone)}));
}

Response cname_flattening_get(Call& c)
{
    return ok(cname_flattening_json(*c.zone));
}

Response cname_flattening_patch(Call& c)
{
    json body = body_object(c.req);
    auto v = body.find("value");
    if (v == body.end() || !v->is_string()) {
        throw ApiError::field("value", "is flatten_at_root or flatten_all");
    }
    auto value = store::cname_flattening_from_string(v->get<std::string>());
    if (!value) {
        throw ApiError::field("value", "is flatten_at_root or flatten_all, not '" +
                                           v->get<std::string>() + "'");
    }
    store::Zone z = set_flattening(c, *value);
    auto messages = c.published();
    return ok(cname_flattening_json(z), messages);
}

Response dns_settings_get(Call& c)
{
    return ok(dns_settings_json(*c.zone));
}

Response dns_settings_patch(Call& c)
{
    json body = body_object(c.req);
    store::Zone z = *c.zone;
    json current = dns_settings_json(z);
    store::ZoneDnsChange change;
    for (const auto& [key, value] : body.items()) {
        if (key == "flatten_all_cnames") {
            if (!value.is_boolean()) {
                throw ApiError::field(key, "must be true or false");
            }
        } else if (key == "ns_ttl") {
            if (value != current[key]) {
                change.ns_ttl = seconds(value, key);
            }
        } else if (key == "soa") {
            soa_change(value, current["soa"], change);
        } else if (!current.contains(key)) {
            throw ApiError::field(key, "is not a DNS setting");
        } else if (value != current[key]) {
            throw ApiError::field(key, "cannot be changed in Nuage (flatten_all_cnames, ns_ttl "
                                       "and soa can)");
        }
    }
    if (changes(change)) {
        z = c.store.set_zone_dns(z.id, change); // checks every field before writing any
    }
    if (auto f = body.find("flatten_all_cnames"); f != body.end()) {
        auto value = f->get<bool>() ? store::CnameFlattening::FlattenAll
                                    : store::CnameFlattening::FlattenAtRoot;
        if (value != z.cname_flattening) {
            z = set_flattening(c, value);
        }
    }
    auto messages = c.published();
    return ok(dns_settings_json(z), messages);
}

} // namespace nuage::api::handlers

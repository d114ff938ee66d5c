// Zone settings (API.md §4): /settings/cname_flattening and its successor /dns_settings
// (flatten_all_cnames <=> flatten_all). The SOA and NS TTL are shown but not editable here.
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
    for (const auto& [key, value] : body.items()) {
        if (key == "flatten_all_cnames") {
            if (!value.is_boolean()) {
                throw ApiError::field(key, "must be true or false");
            }
        } else if (!current.contains(key)) {
            throw ApiError::field(key, "is not a DNS setting");
        } else if (value != current[key]) {
            throw ApiError::field(key, "cannot be changed through the API (only "
                                       "flatten_all_cnames can)");
        }
    }
    if (auto f = body.find("flatten_all_cnames"); f != body.end()) {
        z = set_flattening(c, f->get<bool>() ? store::CnameFlattening::FlattenAll
                                             : store::CnameFlattening::FlattenAtRoot);
    }
    auto messages = c.published();
    return ok(dns_settings_json(z), messages);
}

} // namespace nuage::api::handlers

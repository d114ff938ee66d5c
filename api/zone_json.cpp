#include "api/zone_json.hpp"

#include <algorithm>

namespace nuage::api {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Cloudflare's Free plan, the one every Nuage zone is on.
json plan_json()
{
    return {{"id", "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee"},
            {"name", "Free Website"},
            {"price", 0},
            {"currency", "USD"},
            {"frequency", ""},
            {"is_subscribed", false},
            {"can_subscribe", false},
            {"legacy_id", "free"},
            {"legacy_discount", false},
            {"externally_managed", false}};
}

std::string field_value(const ZoneQuery::Cond& c, const store::Zone& z,
                        const store::Account& account)
{
    if (c.field == "name") {
        return z.name;
    }
    if (c.field == "status") {
        return z.status;
    }
    if (c.field == "account.id") {
        return account.public_id;
    }
    if (c.field == "account.name") {
        return lower(account.name);
    }
    return "full"; // type
}

bool holds(const ZoneQuery::Cond& c, const std::string& have)
{
    const std::string& v = c.value;
    if (c.op == "contains") {
        return have.find(v) != std::string::npos;
    }
    if (c.op == "starts_with") {
        return have.rfind(v, 0) == 0;
    }
    if (c.op == "ends_with") {
        return have.size() >= v.size() && have.compare(have.size() - v.size(), v.size(), v) == 0;
    }
    if (c.op == "not_equal") {
        return have != v;
    }
    return have == v;
}

} // namespace

json account_json(const store::Account& a)
{
    return {{"id", a.public_id},
            {"name", a.name},
            {"type", "standard"},
            {"settings",
             {{"enforce_twofactor", false},
              {"api_access_enabled", nullptr},
              {"use_account_custom_ns_by_default", false}}},
            {"created_on", a.created_on}};
}

json zone_json(const store::Zone& z, const ApiContext& ctx)
{
    json ns = json::array();
    for (const auto& n : z.name_servers) {
        ns.push_back(n.to_text_no_dot());
    }
    json vanity = json::array();
    for (const auto& n : z.vanity_name_servers) {
        vanity.push_back(n.to_text_no_dot());
    }
    const std::string& email = ctx.settings.account_email;
    return {
        {"id", z.public_id},
        {"name", z.name},
        {"status", z.status},
        {"paused", false},
        {"type", "full"},
        {"development_mode", 0},
        {"name_servers", ns},
        {"original_name_servers", nullptr},
        {"original_registrar", nullptr},
        {"original_dnshost", nullptr},
        {"vanity_name_servers", vanity},
        {"modified_on", z.modified_on},
        {"created_on", z.created_on},
        {"activated_on", z.activated_on ? json(*z.activated_on) : json(nullptr)},
        {"meta",
         {{"step", z.status == "active" ? 4 : 2},
          {"custom_certificate_quota", 0},
          {"page_rule_quota", 3},
          {"phishing_detected", false},
          {"multiple_railguns_allowed", false}}},
        {"owner",
         {{"id", nullptr},
          {"type", "user"},
          {"email", email.empty() ? json(nullptr) : json(email)}}},
        {"account", {{"id", ctx.account.public_id}, {"name", ctx.account.name}}},
        {"tenant", {{"id", nullptr}, {"name", nullptr}}},
        {"tenant_unit", {{"id", nullptr}}},
        {"permissions", json::array({"#dns_records:edit", "#dns_records:read", "#zone:read",
                                     "#zone:edit", "#zone_settings:read", "#zone_settings:edit"})},
        {"plan", plan_json()}};
}

ZoneQuery parse_zone_query(const Request& req)
{
    ZoneQuery q;
    static const char* kOps[] = {"contains", "starts_with", "ends_with", "not_equal", "equal"};
    for (const auto& [key, raw] : req.query) {
        if (key == "name" || key == "status" || key == "account.id" || key == "account.name" ||
            key == "type") {
            std::string v = lower(raw);
            std::string op = "equal";
            if (key == "name") {
                // API.md §4: "contains:x", "starts_with:x", ... or a plain exact name.
                for (const char* o : kOps) {
                    std::string prefix = std::string(o) + ":";
                    if (v.rfind(prefix, 0) == 0) {
                        op = o;
                        v.erase(0, prefix.size());
                        break;
                    }
                }
                if (v.size() > 1 && v.back() == '.') {
                    v.pop_back();
                }
            }
            q.conds.push_back({key, op, v});
        } else if (key == "match") {
            if (raw != "all" && raw != "any") {
                throw ApiError::field("match", "must be all or any");
            }
            q.match_any = raw == "any";
        } else if (key == "order") {
            static const char* kOrders[] = {"name", "status", "account.id", "account.name",
                                            "plan.id"};
            if (std::find(std::begin(kOrders), std::end(kOrders), raw) == std::end(kOrders)) {
                throw ApiError::field("order",
                                      "must be name, status, account.id, account.name or plan.id");
            }
            q.order = raw;
        } else if (key == "direction") {
            if (raw != "asc" && raw != "desc") {
                throw ApiError::field("direction", "must be asc or desc");
            }
            q.descending = raw == "desc";
        }
    }
    return q;
}

bool ZoneQuery::matches(const store::Zone& z, const store::Account& account) const
{
    if (conds.empty()) {
        return true;
    }
    auto one = [&](const Cond& c) { return holds(c, lower(field_value(c, z, account))); };
    return match_any ? std::any_of(conds.begin(), conds.end(), one)
                     : std::all_of(conds.begin(), conds.end(), one);
}

void sort_zones(std::vector<store::Zone>& zones, const ZoneQuery& q)
{
    auto key_less = [&](const store::Zone& a, const store::Zone& b) {
        if (q.order == "status") {
            return a.status < b.status;
        }
        return q.order == "name" && a.name < b.name; // one account and one plan: all equal
    };
    std::stable_sort(zones.begin(), zones.end(), [&](const auto& a, const auto& b) {
        return q.descending ? key_less(b, a) : key_less(a, b);
    });
}

} // namespace nuage::api

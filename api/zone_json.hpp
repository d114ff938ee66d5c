// zone_json.hpp -- the zone and account objects of API.md §4, and the filters of GET /zones:
// name (exact, or contains:/starts_with:/ends_with:/not_equal:), status, account.id,
// account.name, type, match, order and direction.
#pragma once

#include "api/context.hpp"

#include <nlohmann/json.hpp>

namespace nuage::api {

json account_json(const store::Account& a);
json zone_json(const store::Zone& z, const ApiContext& ctx);

struct ZoneQuery {
    struct Cond {
        std::string field; // "name", "status", "account.id", "account.name", "type"
        std::string op;    // "equal", "contains", "starts_with", "ends_with", "not_equal"
        std::string value; // lowercased
    };
    std::vector<Cond> conds;
    bool match_any = false;
    std::string order = "name"; // name, status, account.id, account.name, plan.id
    bool descending = false;

    bool matches(const store::Zone& z, const store::Account& account) const;
};

// Throws ApiError (400) naming a parameter whose value is not allowed.
ZoneQuery parse_zone_query(const Request& req);
void sort_zones(std::vector<store::Zone>& zones, const ZoneQuery& q);

} // namespace nuage::api

// GET /accounts and /accounts/:account_id: the installation's one account (API.md §4).
#include "api/handlers/handlers.hpp"
#include "api/zone_json.hpp"

namespace nuage::api::handlers {

Response accounts_list(Call& c)
{
    std::vector<store::Account> all{c.ctx.account};
    ResultInfo info;
    json result = paginate(all, parse_page(c.req, 20, 50), account_json, info);
    return ok_list(std::move(result), info);
}

Response accounts_get(Call& c)
{
    return ok(account_json(c.ctx.account)); // the router checked :account_id
}

} // namespace nuage::api::handlers

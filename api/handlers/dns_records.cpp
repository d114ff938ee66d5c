// /zones/:zone_id/dns_records and /:record_id (API.md §5): list with every filter, create,
// get, PUT (full overwrite), PATCH (partial), delete. Each write returns once DNS serves it.
#include "api/handlers/handlers.hpp"
#include "api/handlers/record_common.hpp"
#include "api/record_filter.hpp"
#include "api/record_json.hpp"
#include "zonestore/store/clock_ids.hpp"

#include <algorithm>

namespace nuage::api::handlers {

const std::string& record_id(Call& c)
{
    std::string& id = c.path.at("record_id");
    std::transform(id.begin(), id.end(), id.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (!store::is_public_id(id)) {
        throw ApiError::no_route(c.req.path);
    }
    return id;
}

void record_messages(const Call& c, const store::Record& r, std::vector<Message>& messages)
{
    if (dns_only_tunnel_route(r, c.ctx.settings)) {
        messages.push_back({10101, "This CNAME routes to a tunnel but is DNS only: " +
                                       c.ctx.settings.tunnels_domain +
                                       " names do not resolve publicly, so " + r.name +
                                       " will not either. Set proxied to true."});
    }
}

namespace {

Response written(Call& c, const store::Record& r)
{
    auto messages = c.published();
    record_messages(c, r, messages);
    return ok(record_json(r, *c.zone, c.ctx.settings), messages);
}

} // namespace

Response records_list(Call& c)
{
    RecordQuery q = parse_record_query(c.req);
    Page page = parse_page(c.req, 100, 5000000);
    std::vector<store::Record> records;
    for (auto& r : c.store.list_records(c.zone->id, q.prefilter(*c.zone))) {
        if (q.matches(r)) {
            records.push_back(std::move(r));
        }
    }
    sort_records(records, q);
    ResultInfo info;
    json result = paginate(
        records, page,
        [&](const store::Record& r) { return record_json(r, *c.zone, c.ctx.settings); }, info);
    return ok_list(std::move(result), info);
}

Response records_create(Call& c)
{
    store::RecordInput in = record_input(body_object(c.req));
    return written(c, c.store.create_record(c.zone->id, in));
}

Response records_get(Call& c)
{
    return ok(record_json(c.store.get_record(c.zone->id, record_id(c)), *c.zone, c.ctx.settings));
}

Response records_put(Call& c)
{
    const std::string& id = record_id(c);
    store::RecordInput in = record_input(body_object(c.req));
    return written(c, c.store.update_record(c.zone->id, id, in));
}

Response records_patch(Call& c)
{
    const std::string& id = record_id(c);
    json body = body_object(c.req);
    store::RecordInput in = record_patch(c.store.get_record(c.zone->id, id), body);
    return written(c, c.store.update_record(c.zone->id, id, in));
}

Response records_delete(Call& c)
{
    const std::string& id = record_id(c);
    c.store.delete_record(c.zone->id, id);
    auto messages = c.published();
    return ok(json{{"id", id}}, messages);
}

} // namespace nuage::api::handlers

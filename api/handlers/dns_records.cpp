// /zones/:zone_id/dns_records and /:record_id (API.md §5): list with every filter, create,
// get, PUT (full overwrite), PATCH (partial), delete. Each write returns once DNS serves it.
#include "api/handlers/handlers.hpp"
#include "api/handlers/record_common.hpp"
#include "api/record_filter.hpp"
#include "api/record_json.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/store/clock_ids.hpp"
#include "zonestore/store/origin_exposure.hpp"
#include "zonestore/store/record_rules.hpp"

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
    // DESIGN §2 "Origin privacy": the write is done, but the world may reach the origin.
    for (const auto& e : store::exposures_of(c.store, r)) {
        messages.push_back({10102, store::describe(e)});
    }
    if (dns_only_tunnel_route(r, c.ctx.settings)) {
        messages.push_back({10101, "This CNAME routes to a tunnel but is DNS only: " +
                                       c.ctx.settings.tunnels_domain +
                                       " names do not resolve publicly, so " + r.name +
                                       " will not either. Set proxied to true."});
    }
}

namespace {

using namespace dns::rrtype;

// A write of one record, with the name's other addresses when they must follow it.
struct Write {
    std::string id; // empty: a create
    store::RecordInput in;
    bool proxied_given = false; // the body says proxied (true or false)
};

bool proxied_given(const json& body)
{
    auto p = body.find("proxied");
    return p != body.end() && !p->is_null();
}

std::string describe(const store::Record& r)
{
    return dns::rrtype_to_text(r.type) + " " + r.name + " " + r.content + " (id " + r.id + ")";
}

// DESIGN §2: all A and AAAA records of a name share one proxied state. A write that says
// proxied carries the name's other addresses along, in the same transaction (as `dnsctl
// record edit --proxied` does), so that clients editing one record at a time can switch a
// name; a create says nothing and takes a proxied name's state. A record never loses its
// proxy implicitly (that would show its origin): a DNS-only name refuses it as before.
store::RecordBatch with_followers(Call& c, Write& w, std::vector<Message>& messages)
{
    store::RecordBatch batch;
    auto type = dns::rrtype_from_text(w.in.type);
    std::vector<store::Record> others;
    if (type == A || type == AAAA) {
        auto owner = store::resolve_owner(w.in.name, c.zone->origin);
        for (std::uint16_t family : {A, AAAA}) {
            for (auto& o : c.store.list_records(c.zone->id, {owner, family})) {
                if (o.id != w.id) {
                    others.push_back(std::move(o));
                }
            }
        }
    }
    bool name_proxied = !others.empty() && std::all_of(others.begin(), others.end(),
                                                       [](const auto& o) { return o.proxied; });
    if (!w.proxied_given && name_proxied && !w.in.proxied) {
        w.in.proxied = true;
        messages.push_back({10104, "proxied was not given: the record takes the proxied state of " +
                                       others.front().name +
                                       " (proxied), which all its A and AAAA records share"});
    }
    std::string followed;
    for (const auto& o : others) {
        if (w.proxied_given && !w.id.empty() && o.proxied != w.in.proxied) {
            store::RecordInput f = record_patch(o, json{{"proxied", w.in.proxied}});
            batch.updates.emplace_back(o.id, std::move(f));
            followed += (followed.empty() ? "" : ", ") + describe(o);
        }
    }
    if (!followed.empty()) {
        messages.push_back({10103, std::string(w.in.proxied ? "Also proxied" : "Also DNS only") +
                                       " (all A and AAAA records of a name share one proxied "
                                       "state): " +
                                       followed});
    }
    if (w.id.empty()) {
        batch.creates.push_back(w.in);
    } else {
        batch.updates.emplace(batch.updates.begin(), w.id, w.in);
    }
    return batch;
}

Response written(Call& c, Write w)
{
    std::vector<Message> notes;
    store::RecordBatch batch = with_followers(c, w, notes);
    store::BatchResult res = c.store.apply_batch(c.zone->id, batch);
    const store::Record& r = w.id.empty() ? res.created.front() : res.updated.front();
    auto messages = c.published();
    messages.insert(messages.end(), notes.begin(), notes.end());
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
    json body = body_object(c.req);
    return written(c, {"", record_input(body), proxied_given(body)});
}

Response records_get(Call& c)
{
    return ok(record_json(c.store.get_record(c.zone->id, record_id(c)), *c.zone, c.ctx.settings));
}

Response records_put(Call& c)
{
    const std::string& id = record_id(c);
    json body = body_object(c.req);
    c.store.get_record(c.zone->id, id); // 404 before anything else
    return written(c, {id, record_input(body), proxied_given(body)});
}

Response records_patch(Call& c)
{
    const std::string& id = record_id(c);
    json body = body_object(c.req);
    store::RecordInput in = record_patch(c.store.get_record(c.zone->id, id), body);
    return written(c, {id, std::move(in), proxied_given(body)});
}

Response records_delete(Call& c)
{
    const std::string& id = record_id(c);
    c.store.delete_record(c.zone->id, id);
    auto messages = c.published();
    return ok(json{{"id", id}}, messages);
}

} // namespace nuage::api::handlers

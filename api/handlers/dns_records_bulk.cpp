// Many records at once (API.md §5): batch (deletes -> patches -> puts -> posts in one store
// transaction, hence one journal entry and one publication), BIND export (text/plain, no
// envelope) and import (multipart `file`, optional `proxied`; SOA and apex NS skipped).
#include "api/handlers/handlers.hpp"
#include "api/handlers/record_common.hpp"
#include "api/record_json.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/dns/zone_file.hpp"
#include "zonestore/store/clock_ids.hpp"
#include "zonestore/store/content.hpp"
#include "zonestore/store/record_rules.hpp"
#include "zonestore/store/zone_file_io.hpp"

namespace nuage::api::handlers {

namespace {

using namespace dns::rrtype;

// The objects of one batch list; a missing list is empty.
std::vector<json> batch_list(const json& body, const char* key)
{
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
        return {};
    }
    if (!it->is_array()) {
        throw ApiError::field(key, "must be a list of objects");
    }
    std::vector<json> out;
    for (std::size_t i = 0; i < it->size(); ++i) {
        if (!(*it)[i].is_object()) {
            throw ApiError::field(std::string(key) + "[" + std::to_string(i) + "]",
                                  "must be an object");
        }
        out.push_back((*it)[i]);
    }
    return out;
}

std::string batch_id(const json& op, const std::string& where)
{
    auto id = op.find("id");
    if (id == op.end() || !id->is_string() || !store::is_public_id(id->get<std::string>())) {
        throw ApiError::field(where + ".id", "must be a record id (32 hex digits)");
    }
    return id->get<std::string>();
}

// Runs `f`, naming the batch operation in a refusal of its fields ("posts[2].content").
template <class F> auto in_op(const std::string& where, F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const store::ValidationError& e) {
        std::vector<store::FieldError> errs = e.errors;
        for (auto& fe : errs) {
            fe.field = where + (fe.field.empty() ? "" : "." + fe.field);
        }
        throw store::ValidationError(std::move(errs));
    }
}

// The record's own rules, checked before the transaction so that a refusal names the
// operation; the store checks them again, with the names they share, inside it.
store::RecordInput checked(const store::Zone& zone, store::RecordInput in)
{
    store::prepare_record(zone, in);
    return in;
}

std::string key_at(const char* list, std::size_t i)
{
    return std::string(list) + "[" + std::to_string(i) + "]";
}

// The record `id` that batch item `where` names: 404 81044 saying which item (API.md §6).
store::Record batch_record(Call& c, const std::string& id, const std::string& where)
{
    try {
        return c.store.get_record(c.zone->id, id);
    } catch (const store::NotFound&) {
        throw ApiError(404, {ErrorItem{code::kRecordNotFound,
                                       "Record does not exist. (" + where + ": " + id + ")",
                                       {},
                                       json_pointer(where + ".id")}});
    }
}

} // namespace

Response records_batch(Call& c)
{
    json body = body_object(c.req);
    auto deletes = batch_list(body, "deletes");
    auto patches = batch_list(body, "patches");
    auto puts = batch_list(body, "puts");
    auto posts = batch_list(body, "posts");
    std::size_t total = deletes.size() + patches.size() + puts.size() + posts.size();
    if (total > c.ctx.settings.batch_max) {
        throw ApiError::field("batch", std::to_string(total) + " operations; at most " +
                                           std::to_string(c.ctx.settings.batch_max));
    }
    store::RecordBatch batch;
    json deleted = json::array();
    for (std::size_t i = 0; i < deletes.size(); ++i) {
        std::string where = key_at("deletes", i);
        std::string id = batch_id(deletes[i], where);
        deleted.push_back(record_json(batch_record(c, id, where), *c.zone, c.ctx.settings));
        batch.deletes.push_back(id);
    }
    for (std::size_t i = 0; i < patches.size(); ++i) {
        std::string where = key_at("patches", i);
        std::string id = batch_id(patches[i], where);
        auto old = batch_record(c, id, where);
        batch.updates.emplace_back(
            id, in_op(where, [&] { return checked(*c.zone, record_patch(old, patches[i])); }));
    }
    for (std::size_t i = 0; i < puts.size(); ++i) {
        std::string where = key_at("puts", i);
        std::string id = batch_id(puts[i], where);
        batch_record(c, id, where);
        batch.updates.emplace_back(
            id, in_op(where, [&] { return checked(*c.zone, record_input(puts[i])); }));
    }
    for (std::size_t i = 0; i < posts.size(); ++i) {
        batch.creates.push_back(
            in_op(key_at("posts", i), [&] { return checked(*c.zone, record_input(posts[i])); }));
    }
    store::BatchResult res = c.store.apply_batch(c.zone->id, batch);
    auto messages = c.published();
    auto to_json = [&](const store::Record& r) {
        record_messages(c, r, messages);
        return record_json(r, *c.zone, c.ctx.settings);
    };
    json out = {{"deletes", deleted},
                {"patches", json::array()},
                {"puts", json::array()},
                {"posts", json::array()}};
    for (std::size_t i = 0; i < res.updated.size(); ++i) {
        out[i < patches.size() ? "patches" : "puts"].push_back(to_json(res.updated[i]));
    }
    for (const auto& r : res.created) {
        out["posts"].push_back(to_json(r));
    }
    return ok(std::move(out), messages);
}

Response records_export(Call& c)
{
    std::string text = store::export_zone(*c.zone, c.store.list_records(c.zone->id, {}));
    return Response{200, "text/plain; charset=utf-8", std::move(text), {}};
}

namespace {

// What an import did besides adding records, for its messages.
struct ImportNotes {
    int clamped = 0;       // TTLs brought into 30..86400
    int not_proxiable = 0; // left DNS only: the proxied default cannot apply to them
};

// Can the form's proxied=true apply to this line (API.md §5: proxiable lines without a
// marker)? Not to a flattened CNAME (a DNS-only setting: Nuage's own export tags them), nor to
// a target an edge cannot reach (API.md §6, 9003).
bool takes_proxied_default(const dns::ZoneFileRecord& zr, const store::RecordInput& in)
{
    if (in.flatten_cname) {
        return false;
    }
    store::Record r;
    r.type = zr.type;
    r.rdata = zr.rdata;
    r.content = in.content;
    r.proxied = true;
    return !store::check_proxied_target(r);
}

// A record of the imported file as a write asks for it. `proxied` applies to proxiable
// records without a cf-proxied tag or a cf-flatten-cname tag.
store::RecordInput import_input(const dns::ZoneFileRecord& zr, const store::Zone& zone,
                                bool proxied, ImportNotes& notes)
{
    store::RecordInput in;
    in.name = zr.owner.to_text();
    in.type = dns::rrtype_to_text(zr.type);
    auto shown = store::rdata_to_content(zr.type, zr.rdata);
    in.content = shown.content;
    if (shown.priority) {
        in.priority = *shown.priority;
    }
    store::CfComment cf = store::parse_cf_comment(zr.comment);
    in.comment = cf.comment;
    bool tagged_proxied = false, tagged_flatten = false;
    for (const auto& t : cf.tags) {
        if (t == "cf-proxied:true" || t == "cf-proxied:false") {
            tagged_proxied = true;
            in.proxied = t == "cf-proxied:true";
        } else if (t == "cf-flatten-cname") {
            tagged_flatten = true;
            in.flatten_cname = !(zr.owner == zone.origin); // the apex is always flattened
        } else if (t.rfind("cf-", 0) != 0 && t.find(':') != std::string::npos && t[0] != ':') {
            in.tags.push_back(t);
        } // other cf- tags are Cloudflare's own: skipped (API.md §5)
    }
    if (proxied && !tagged_proxied && !tagged_flatten &&
        (zr.type == A || zr.type == AAAA || zr.type == CNAME)) {
        in.proxied = takes_proxied_default(zr, in);
        notes.not_proxiable += !in.proxied;
    }
    // The API takes 1 or 30..86400 (DESIGN §2); a file's other TTLs are brought into range.
    std::int64_t ttl = zr.ttl;
    in.ttl = ttl == 1 ? 1 : std::clamp<std::int64_t>(ttl, 30, 86400);
    notes.clamped += !in.proxied && in.ttl != ttl;
    return in;
}

bool parse_proxied_field(const Request& req)
{
    auto it = req.form.find("proxied");
    if (it == req.form.end()) {
        return false; // python-cloudflare 2.11 cannot send it (CLIENTS.md §1)
    }
    if (it->second.content != "true" && it->second.content != "false") {
        throw ApiError::field("proxied", "must be \"true\" or \"false\"");
    }
    return it->second.content == "true";
}

} // namespace

Response records_import(Call& c)
{
    auto file = c.req.form.find("file");
    if (file == c.req.form.end()) {
        throw ApiError::field("file", "is required: send the zone file as multipart/form-data");
    }
    const std::string& text = file->second.content;
    if (text.size() > c.ctx.settings.import_max_bytes) {
        throw ApiError(413, code::kTooLarge,
                       "file: the zone file is " + std::to_string(text.size()) +
                           " bytes; at most " + std::to_string(c.ctx.settings.import_max_bytes));
    }
    bool proxied = parse_proxied_field(c.req);
    std::vector<dns::ZoneFileRecord> recs;
    try {
        recs = dns::read_zone_file(text, c.zone->origin, "file");
    } catch (const dns::ZoneFileError& e) {
        throw ApiError::field("file", e.what(), code::kDnsValidation);
    }
    std::vector<store::Record> seen = c.store.list_records(c.zone->id, {});
    store::RecordBatch batch;
    ImportNotes notes;
    for (const auto& zr : recs) {
        if (zr.type == SOA || (zr.type == NS && zr.owner == c.zone->origin)) {
            continue; // the zone's own (API.md §5)
        }
        store::RecordInput in = import_input(zr, *c.zone, proxied, notes);
        store::Record r;
        try {
            r = store::prepare_record(*c.zone, in);
        } catch (const store::ValidationError& e) {
            throw store::ImportError("file", zr.line, e.errors.front());
        }
        bool dup = std::any_of(seen.begin(), seen.end(), [&](const store::Record& o) {
            return o.owner == r.owner && o.type == r.type &&
                   store::same_rdata(r.type, o.rdata, r.rdata);
        });
        if (!dup) { // identical records are skipped, not refused: recs_added tells
            seen.push_back(r);
            batch.creates.push_back(std::move(in));
        }
    }
    store::BatchResult res = c.store.apply_batch(c.zone->id, batch);
    auto messages = c.published();
    if (notes.clamped) {
        messages.push_back({10102, std::to_string(notes.clamped) +
                                       " records had a TTL outside 30..86400: it was brought "
                                       "into that range"});
    }
    if (notes.not_proxiable) {
        messages.push_back({10105, std::to_string(notes.not_proxiable) +
                                       " records stay DNS only: their target cannot be proxied "
                                       "(a private or special-use address or name)"});
    }
    return ok(json{{"recs_added", res.created.size()}, {"total_records_parsed", recs.size()}},
              messages);
}

} // namespace nuage::api::handlers

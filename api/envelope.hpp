// envelope.hpp -- Cloudflare's v4 envelope (API.md §2): {success, errors, messages, result,
// result_info}, the error every handler throws (ApiError: an HTTP status and the codes of
// API.md §2, §3, §6), pagination, and the mapping of the store's refusals onto all of that.
// JSON out is always application/json with a Content-Length (never chunked: ddclient).
#pragma once

#include "api/request.hpp"
#include "zonestore/store/store.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace nuage::api {

// Keys in the order written ("success" first, as Cloudflare writes them).
using json = nlohmann::ordered_json;

// Codes used in more than one place (API.md §3, §6; Cloudflare's where the contract is silent).
namespace code {
inline constexpr int kBadRequest = 1001;          // a malformed query parameter or field
inline constexpr int kDnsValidation = 1004;       // the store's generic refusal
inline constexpr int kNoRoute = 7000;             // "No route for that URI"
inline constexpr int kCouldNotRoute = 7003;       // "... perhaps your object identifier ..."
inline constexpr int kMethodNotAllowed = 7001;    // a known path, another method
inline constexpr int kMalformedJson = 6007;       // the body is not the JSON asked for
inline constexpr int kRecordNotFound = 81044;     // "Record does not exist."
inline constexpr int kAuthentication = 10000;     // "Authentication error" (scope)
inline constexpr int kRateLimited = 971;          // 429
inline constexpr int kTooLarge = 1012;            // 413: body or import file over the limit
inline constexpr int kInternal = 10001;           // 500: a real fault (database)
inline constexpr int kPublicationDelayed = 10100; // a `messages` entry, never an error
} // namespace code

struct Message {
    int code = 0;
    std::string message;
};

struct ErrorItem {
    int code = 0;
    std::string message;
    std::vector<Message> chain; // error_chain, when the old style wraps codes
    std::string pointer;        // source.pointer ("/content") when a field is to blame
};

// Thrown by handlers (and the router) for every client error; caught at the boundary.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::vector<ErrorItem> errors);
    ApiError(int status, int code, std::string message);
    int status;
    std::vector<ErrorItem> errors;

    static ApiError bad_request(int code, std::string message)
    {
        return ApiError(400, code, std::move(message));
    }
    // A refused field: 400 with `code`, the message naming the field (API.md §6).
    static ApiError field(const std::string& field, const std::string& message,
                          int code = code::kBadRequest);
    // 7003 + 7000 for `path` (API.md §6: 400 for a malformed id or no route, 404 for a
    // well-formed id that names nothing).
    static ApiError no_route(const std::string& path, int status = 400);
    static ApiError forbidden()
    {
        return ApiError(403, code::kAuthentication, "Authentication error");
    }
};

struct ResultInfo {
    std::int64_t page = 1;
    std::int64_t per_page = 20;
    std::int64_t count = 0;
    std::int64_t total_count = 0;
    std::int64_t total_pages = 0;
};

// page and per_page of a list request: page >= 1; per_page in 1..max (larger is clamped, as
// Cloudflare does); anything else is a 400 naming the parameter.
struct Page {
    std::int64_t page = 1;
    std::int64_t per_page = 20;
};
Page parse_page(const Request& req, std::int64_t default_per_page, std::int64_t max_per_page);

// The slice of `all` a page asks for, and its result_info. A page past the end is empty, never
// an error (API.md §2: SDKs paginate until they get an empty page).
template <class T, class F>
json paginate(const std::vector<T>& all, const Page& p, F&& to_json, ResultInfo& info)
{
    json out = json::array();
    auto total = static_cast<std::int64_t>(all.size());
    std::int64_t first = (p.page - 1) * p.per_page;
    for (std::int64_t i = first; i >= 0 && i < total && i < first + p.per_page; ++i) {
        out.push_back(to_json(all[static_cast<std::size_t>(i)]));
    }
    info = {p.page, p.per_page, static_cast<std::int64_t>(out.size()), total,
            (total + p.per_page - 1) / p.per_page};
    return out;
}

// {"success":true, ...} with `result` (no result_info: not a list).
Response ok(json result, const std::vector<Message>& messages = {});
// A list: result_info included.
Response ok_list(json result, const ResultInfo& info, const std::vector<Message>& messages = {});
// {"success":false, ...}, status from the error.
Response error_response(const ApiError& e);
// The body of a JSON response, never throwing on bad UTF-8 (it is replaced).
std::string dump(const json& j);

// A field as the API names it ("posts[1].content") as a JSON Pointer (RFC 6901):
// "/posts/1/content", what errors[].source.pointer holds.
std::string json_pointer(const std::string& field);

// A store refusal as the API shows it: 400, each field's code (1004 when the store has none),
// the message prefixed with the field's name.
ApiError from_validation(const store::ValidationError& e);

// The request body as a JSON object: 400 (6007) when it is not one. An empty body is {} when
// `empty_ok`.
json body_object(const Request& req, bool empty_ok = false);

} // namespace nuage::api

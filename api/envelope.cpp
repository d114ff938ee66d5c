#include "api/envelope.hpp"

#include <charconv>

namespace nuage::api {

namespace {

// Cloudflare's `messages` objects carry a `type` (null in every one it documents, API.md §3);
// error_chain entries do not.
json messages_json(const std::vector<Message>& messages, bool typed = true)
{
    json out = json::array();
    for (const auto& m : messages) {
        json j = {{"code", m.code}, {"message", m.message}};
        if (typed) {
            j["type"] = nullptr;
        }
        out.push_back(std::move(j));
    }
    return out;
}

std::optional<std::int64_t> parse_int(const std::string& s)
{
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

std::string joined(const std::vector<ErrorItem>& errors)
{
    std::string s;
    for (const auto& e : errors) {
        s += (s.empty() ? "" : "; ") + std::to_string(e.code) + " " + e.message;
    }
    return s;
}

} // namespace

std::string json_pointer(const std::string& field)
{
    std::string out = "/";
    for (char ch : field) {
        if (ch == '.' || ch == '[') {
            out += '/';
        } else if (ch == '~') {
            out += "~0";
        } else if (ch == '/') {
            out += "~1";
        } else if (ch != ']') {
            out += ch;
        }
    }
    return out;
}

ApiError::ApiError(int st, std::vector<ErrorItem> errs)
    : std::runtime_error(joined(errs)), status(st), errors(std::move(errs))
{
}

ApiError::ApiError(int st, int c, std::string message)
    : ApiError(st, std::vector<ErrorItem>{ErrorItem{c, std::move(message), {}, {}}})
{
}

ApiError ApiError::field(const std::string& field, const std::string& message, int c)
{
    return ApiError(400, {ErrorItem{c, field + ": " + message, {}, json_pointer(field)}});
}

ApiError ApiError::no_route(const std::string& path, int st)
{
    return ApiError(st, {ErrorItem{code::kCouldNotRoute,
                                   "Could not route to " + path +
                                       ", perhaps your object identifier is invalid?",
                                   {},
                                   {}},
                         ErrorItem{code::kNoRoute, "No route for that URI", {}, {}}});
}

Page parse_page(const Request& req, std::int64_t default_per_page, std::int64_t max_per_page)
{
    Page p{1, default_per_page};
    if (auto v = req.param("page")) {
        auto n = parse_int(*v);
        if (!n || *n < 1) {
            throw ApiError::field("page", "must be a whole number, 1 or more");
        }
        p.page = *n;
    }
    if (auto v = req.param("per_page")) {
        auto n = parse_int(*v);
        if (!n || *n < 1) {
            throw ApiError::field("per_page", "must be a whole number, 1 or more");
        }
        p.per_page = std::min(*n, max_per_page);
    }
    // No overflow in (page - 1) * per_page: a page that far is simply past the end.
    p.page = std::min<std::int64_t>(p.page, INT64_MAX / std::max<std::int64_t>(p.per_page, 1));
    return p;
}

std::string dump(const json& j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Response ok(json result, const std::vector<Message>& messages)
{
    json env = {{"success", true},
                {"errors", json::array()},
                {"messages", messages_json(messages)},
                {"result", std::move(result)}};
    return Response{200, "application/json", dump(env), {}};
}

Response ok_list(json result, const ResultInfo& info, const std::vector<Message>& messages)
{
    json env = {{"success", true},
                {"errors", json::array()},
                {"messages", messages_json(messages)},
                {"result", std::move(result)},
                {"result_info",
                 {{"page", info.page},
                  {"per_page", info.per_page},
                  {"count", info.count},
                  {"total_count", info.total_count},
                  {"total_pages", info.total_pages}}}};
    return Response{200, "application/json", dump(env), {}};
}

Response error_response(const ApiError& e)
{
    json errors = json::array();
    for (const auto& item : e.errors) {
        json j = {{"code", item.code}, {"message", item.message}};
        if (!item.chain.empty()) {
            j["error_chain"] = messages_json(item.chain, false);
        }
        if (!item.pointer.empty()) {
            j["source"] = {{"pointer", item.pointer}};
        }
        errors.push_back(std::move(j));
    }
    json env = {{"success", false},
                {"errors", std::move(errors)},
                {"messages", json::array()},
                {"result", nullptr}};
    return Response{e.status, "application/json", dump(env), {}};
}

ApiError from_validation(const store::ValidationError& e)
{
    std::vector<ErrorItem> items;
    std::string text = e.what();
    bool import = dynamic_cast<const store::ImportError*>(&e) != nullptr;
    for (const auto& f : e.errors) {
        ErrorItem item;
        item.code = f.code ? f.code : code::kDnsValidation;
        // An import names the file and line too: its what() says it all.
        item.message = import ? text : f.field.empty() ? f.message : f.field + ": " + f.message;
        if (!f.field.empty()) {
            item.pointer = json_pointer(f.field);
        }
        items.push_back(std::move(item));
    }
    if (items.empty()) {
        items.push_back({code::kDnsValidation, text, {}, {}});
    }
    return ApiError(400, std::move(items));
}

json body_object(const Request& req, bool empty_ok)
{
    if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) {
        if (empty_ok) {
            return json::object();
        }
        throw ApiError(400, code::kMalformedJson,
                       "Malformed JSON in request body: the body is empty");
    }
    json j;
    try {
        j = json::parse(req.body);
    } catch (const json::parse_error& e) {
        throw ApiError(400, code::kMalformedJson,
                       "Malformed JSON in request body: " + std::string(e.what()));
    }
    if (!j.is_object()) {
        throw ApiError(400, code::kMalformedJson,
                       "Malformed JSON in request body: expected an object");
    }
    return j;
}

} // namespace nuage::api

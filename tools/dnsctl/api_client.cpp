#include "tools/dnsctl/api_client.hpp"

#include <httplib.h>
#include <random>

namespace nuage::dnsctl {

namespace {

constexpr const char* kDefaultBasePath = "/client/v4";

struct ParsedUrl {
    std::string origin; // scheme://host:port, what httplib::Client takes
    std::string path;   // without a trailing slash
    bool https = false;
};

ParsedUrl parse_url(const std::string& url)
{
    ParsedUrl p;
    std::string rest;
    if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else if (url.rfind("https://", 0) == 0) {
        rest = url.substr(8);
        p.https = true;
    } else {
        throw std::invalid_argument("--api: '" + url + "' is not an http:// or https:// URL");
    }
    auto slash = rest.find('/');
    std::string hostport = rest.substr(0, slash);
    p.path = slash == std::string::npos ? "" : rest.substr(slash);
    while (!p.path.empty() && p.path.back() == '/') {
        p.path.pop_back();
    }
    if (hostport.empty() || hostport.find_first_of("?#@ ") != std::string::npos) {
        throw std::invalid_argument("--api: '" + url + "' has no usable host");
    }
    p.origin = (p.https ? "https://" : "http://") + hostport;
    return p;
}

void add_items(const json& errs, std::vector<ApiErrorItem>& out)
{
    if (!errs.is_array()) {
        return;
    }
    for (const auto& e : errs) {
        if (!e.is_object()) {
            continue;
        }
        ApiErrorItem item;
        if (e.contains("code") && e["code"].is_number_integer()) {
            item.code = e["code"].get<long long>();
        }
        if (e.contains("message") && e["message"].is_string()) {
            item.message = e["message"].get<std::string>();
        }
        out.push_back(item);
        if (e.contains("error_chain")) {
            add_items(e["error_chain"], out);
        }
    }
}

std::string refusal_text(int status, const std::vector<ApiErrorItem>& errs)
{
    std::string s = "HTTP " + std::to_string(status);
    for (const auto& e : errs) {
        s += "; " + std::to_string(e.code) + " " + e.message;
    }
    return s;
}

std::string describe(httplib::Error e)
{
    switch (e) {
    case httplib::Error::Connection:
        return "connection failed (is dnsd's API listening there?)";
    case httplib::Error::ConnectionTimeout:
        return "connection timed out";
    case httplib::Error::Read:
        return "the connection closed before a reply (plain http to a TLS listener?)";
    case httplib::Error::SSLConnection:
        return "TLS handshake failed (https to a plain http listener?)";
    case httplib::Error::SSLLoadingCerts:
        return "cannot load the CA certificates (--cacert)";
    case httplib::Error::SSLServerVerification:
        return "the server's certificate is not trusted (--cacert FILE for a private CA)";
    default:
        return httplib::to_string(e);
    }
}

} // namespace

ApiRefused::ApiRefused(int http_status, std::vector<ApiErrorItem> errs)
    : ApiFailure(refusal_text(http_status, errs), http_status), errors(std::move(errs))
{
}

bool is_auth_code(long long code)
{
    // API.md §3: 9106 missing, 6003 (+ 61xx chain) malformed, 9103/9109 unknown, 10000 scope.
    return code == 9106 || code == 6003 || (code >= 6100 && code <= 6199) || code == 9103 ||
           code == 9109 || code == 10000;
}

std::string url_encode(const std::string& s)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

ApiClient::ApiClient(Options options) : options_(std::move(options))
{
    ParsedUrl u = parse_url(options_.url);
    base_path_ = u.path.empty() ? kDefaultBasePath : u.path;
    http_ = std::make_unique<httplib::Client>(u.origin);
    http_->set_connection_timeout(options_.connect_timeout_s, 0);
    http_->set_read_timeout(options_.read_timeout_s, 0);
    http_->set_write_timeout(options_.read_timeout_s, 0);
    http_->set_keep_alive(true);
    if (u.https) {
        http_->enable_server_certificate_verification(true);
        if (!options_.cacert.empty()) {
            http_->set_ca_cert_path(options_.cacert.c_str());
        }
    }
}

ApiClient::~ApiClient() = default;

ApiClient::Reply ApiClient::send(const std::string& method, const std::string& target,
                                 const std::string& body, const std::string& content_type)
{
    httplib::Request req;
    req.method = method;
    req.path = base_path_ + target;
    req.headers.emplace("Authorization", "Bearer " + options_.token);
    req.headers.emplace("Accept", "application/json");
    if (!content_type.empty()) {
        req.headers.emplace("Content-Type", content_type);
        req.body = body;
    }
    auto res = http_->send(req);
    if (!res) {
        std::string why = describe(res.error());
        throw CannotReach("cannot reach " + options_.url + ": " + why);
    }
    return {res->status, res->get_header_value("Content-Type"), res->body};
}

json ApiClient::envelope(const Reply& r)
{
    json env = json::parse(r.body, nullptr, false);
    if (r.status >= 500) {
        std::vector<ApiErrorItem> errs;
        if (!env.is_discarded() && env.is_object() && env.contains("errors")) {
            add_items(env["errors"], errs);
        }
        throw ServerFault("server fault: " + refusal_text(r.status, errs), r.status);
    }
    if (env.is_discarded() || !env.is_object() || !env.contains("success")) {
        throw ServerFault("the server did not answer as Nuage's API does (HTTP " +
                              std::to_string(r.status) + ", " +
                              (r.content_type.empty() ? "no content type" : r.content_type) +
                              "): is --api the base URL, e.g. http://127.0.0.1:8053/client/v4?",
                          r.status);
    }
    if (env["success"] == true && r.status >= 200 && r.status < 300) {
        if (options_.on_message && env.contains("messages") && env["messages"].is_array()) {
            std::vector<ApiErrorItem> notes;
            add_items(env["messages"], notes);
            for (const auto& m : notes) {
                options_.on_message(m);
            }
        }
        return env;
    }
    std::vector<ApiErrorItem> errs;
    add_items(env.value("errors", json::array()), errs);
    bool auth = r.status == 401;
    for (const auto& e : errs) {
        auth = auth || is_auth_code(e.code);
    }
    if (errs.empty()) {
        errs.push_back({0, "refused without an error message"});
    }
    if (auth) {
        throw AuthRefused(r.status, std::move(errs));
    }
    throw ApiRefused(r.status, std::move(errs));
}

json ApiClient::call(const std::string& method, const std::string& path, const Query& query,
                     const json* body)
{
    std::string target = path;
    for (std::size_t i = 0; i < query.size(); ++i) {
        target +=
            (i == 0 ? "?" : "&") + url_encode(query[i].first) + "=" + url_encode(query[i].second);
    }
    // A PUT or PATCH without a body still sends an empty JSON object: some routes want one.
    std::string text = body ? body->dump() : (method == "GET" || method == "DELETE" ? "" : "{}");
    return envelope(send(method, target, text, text.empty() ? "" : "application/json"));
}

json ApiClient::list_all(const std::string& path, Query query, int per_page)
{
    json all = json::array();
    constexpr int kMaxPages = 100000; // a server that never ends its list cannot hang dnsctl
    for (int page = 1; page <= kMaxPages; ++page) {
        Query q = query;
        q.emplace_back("page", std::to_string(page));
        q.emplace_back("per_page", std::to_string(per_page));
        json env = call("GET", path, q);
        const json& result = env["result"];
        if (!result.is_array()) {
            throw ServerFault("the list at " + path + " has no result array");
        }
        for (const auto& item : result) {
            all.push_back(item);
        }
        int total_pages = 1;
        if (env.contains("result_info") && env["result_info"].is_object()) {
            total_pages = env["result_info"].value("total_pages", 1);
        }
        if (result.empty() || page >= total_pages) {
            break;
        }
    }
    return all;
}

std::string ApiClient::get_text(const std::string& path)
{
    Reply r = send("GET", path, "", "");
    if (r.status >= 200 && r.status < 300 && r.content_type.rfind("application/json", 0) != 0) {
        return r.body;
    }
    json env = envelope(r); // an error, or a JSON reply that carries the text as `result`
    if (env.contains("result") && env["result"].is_string()) {
        return env["result"].get<std::string>();
    }
    throw ServerFault("the export at " + path + " is not text");
}

json ApiClient::upload(const std::string& path, const std::string& filename,
                       const std::string& content, const std::map<std::string, std::string>& fields)
{
    std::random_device rd;
    std::string boundary = "nuage-dnsctl-" + std::to_string(rd()) + std::to_string(rd());
    std::string body;
    for (const auto& [k, v] : fields) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" +
                v + "\r\n";
    }
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
            filename + "\"\r\nContent-Type: text/plain\r\n\r\n" + content + "\r\n--" + boundary +
            "--\r\n";
    return envelope(send("POST", path, body, "multipart/form-data; boundary=" + boundary));
}

} // namespace nuage::dnsctl

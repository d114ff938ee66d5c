// api_client.hpp -- dnsctl's HTTP client for Nuage's REST API (Cloudflare v4 envelope, API.md
// §2): one request in, the envelope's `result` out, or an exception that says which exit code
// it means (ApiRefused: 1, CannotReach and AuthRefused: 3, ServerFault: 4). HTTP and HTTPS
// through cpp-httplib; `cacert` trusts a private CA.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace httplib {
class Client;
}

namespace nuage::dnsctl {

using json = nlohmann::json;

// One errors[] entry of the envelope (error_chain entries flattened after it).
struct ApiErrorItem {
    long long code = 0;
    std::string message;
};

// Base of every API failure: what() is one line for stderr.
struct ApiFailure : std::runtime_error {
    explicit ApiFailure(const std::string& what, int http_status = 0)
        : std::runtime_error(what), status(http_status)
    {
    }
    int status;
};

// The server could not be reached (refused, timeout, TLS handshake or certificate). Exit 3.
struct CannotReach : ApiFailure {
    using ApiFailure::ApiFailure;
};

// The API refused the request (success:false with errors[]). Exit 1, or 3 (AuthRefused).
struct ApiRefused : ApiFailure {
    ApiRefused(int http_status, std::vector<ApiErrorItem> errs);
    std::vector<ApiErrorItem> errors;
};

// The credentials were refused: missing, malformed, unknown or out of scope (API.md §3). Exit 3.
struct AuthRefused : ApiRefused {
    using ApiRefused::ApiRefused;
};

// The server answered but not as the API does: a 5xx, or a body that is not the envelope.
// Exit 4.
struct ServerFault : ApiFailure {
    using ApiFailure::ApiFailure;
};

// The codes of API.md §3 that mean "these credentials will not do".
bool is_auth_code(long long code);

// Query parameters, in order (the API takes repeated keys for some filters).
using Query = std::vector<std::pair<std::string, std::string>>;

// "a b&c" -> "a%20b%26c" (RFC 3986 unreserved characters kept).
std::string url_encode(const std::string& s);

class ApiClient {
public:
    struct Options {
        std::string url;    // base URL: http(s)://host:port[/client/v4]
        std::string token;  // sent as Authorization: Bearer
        std::string cacert; // PEM file of a CA to trust for https (empty: the system's)
        int connect_timeout_s = 5;
        int read_timeout_s = 60;
        // Called with each `messages` entry of a successful reply (warnings such as a DNS-only
        // tunnel route, API.md §2); unset: they are dropped.
        std::function<void(const ApiErrorItem&)> on_message;
    };

    // Throws std::invalid_argument when the URL is not http(s)://host[:port][/path].
    explicit ApiClient(Options options);
    ~ApiClient();

    // One request; `path` is relative to the base path ("/zones"). Returns the whole envelope
    // (success checked). Throws CannotReach, ApiRefused, AuthRefused or ServerFault.
    json call(const std::string& method, const std::string& path, const Query& query = {},
              const json* body = nullptr);
    // Every page of a list (page=1.. until total_pages), results concatenated.
    json list_all(const std::string& path, Query query, int per_page);
    // A text reply without envelope (the BIND export).
    std::string get_text(const std::string& path);
    // multipart/form-data: a file field plus plain fields (the BIND import).
    json upload(const std::string& path, const std::string& filename, const std::string& content,
                const std::map<std::string, std::string>& fields);

    const std::string& base_path() const { return base_path_; }

private:
    struct Reply {
        int status = 0;
        std::string content_type;
        std::string body;
    };
    Reply send(const std::string& method, const std::string& target, const std::string& body,
               const std::string& content_type);
    json envelope(const Reply& r);

    Options options_;
    std::string base_path_; // "/client/v4"
    std::unique_ptr<httplib::Client> http_;
};

} // namespace nuage::dnsctl

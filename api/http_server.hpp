// http_server.hpp -- the REST API's HTTP(S) listener inside dnsd (issue 4 item 1): cpp-httplib
// on its own thread pool (never a DNS worker's loop), plain HTTP or TLS through OpenSSL, a
// request body limit (413) and a per-client rate limit (429) in front of the router. Every
// request, whatever its method or path, goes to the one route table.
#pragma once

#include "api/context.hpp"
#include "api/rate_limit.hpp"
#include "api/router.hpp"
#include "dnsd/config.hpp"

#include <memory>
#include <stdexcept>
#include <thread>

namespace httplib {
class Server;
}

namespace nuage::api {

struct ApiOptions {
    config::Endpoint listen{"127.0.0.1", 8053, false};
    std::string tls_cert, tls_key;              // both set: HTTPS
    std::size_t max_body_bytes = 1024 * 1024;   // larger requests get 413
    std::uint32_t rate_limit_per_minute = 1200; // per source address; 0: off
    unsigned threads = 8;                       // HTTP worker threads
    std::string database;                       // the store file
    std::vector<store::EdgePool> edge_pools;
    ApiSettings settings;
};

// The API's options from dnsd's configuration ([api], [account], [zones], [tunnels]).
ApiOptions options_from(const config::DaemonConfig& cfg);

// A failure to start (database, certificate, bind): the message says what and why.
struct ApiStartError : std::runtime_error {
    ApiStartError(const std::string& what, bool bind) : std::runtime_error(what), bind_failure(bind)
    {
    }
    bool bind_failure; // the address could not be bound (in use, or not this host's)
};

class ApiServer {
public:
    ApiServer(ApiOptions options, PublishWait wait_published, ActivationCheck activation_check);
    ~ApiServer(); // stop()
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Loads the TLS certificate and binds the port, without reading the database: dnsd does
    // this before it gives up root (a port below 1024, a key only root may read). Throws
    // ApiStartError.
    void bind();
    // bind() if not done, makes the account if needed and starts serving on a thread of its
    // own. Throws ApiStartError.
    void start();
    // Stops accepting, finishes the requests in flight, joins the threads.
    void stop();

    // The port actually bound (a configured port 0 resolved), and the base URL.
    std::uint16_t port() const { return port_; }
    std::string url() const;

private:
    void serve(const Request& req, Response& res);

    ApiOptions options_;
    StorePool stores_;
    ApiContext ctx_;
    Router router_;
    RateLimiter limiter_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    std::uint16_t port_ = 0;
};

} // namespace nuage::api

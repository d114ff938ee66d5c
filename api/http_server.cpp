#include "api/http_server.hpp"

#include "api/log.hpp"

#include <chrono>
#include <httplib.h>
#include <sys/socket.h>
#include <thread>

namespace nuage::api {

namespace {

Request from_httplib(const httplib::Request& h)
{
    Request r;
    r.method = h.method;
    r.path = h.path;
    r.query.insert(h.params.begin(), h.params.end());
    r.headers.insert(h.headers.begin(), h.headers.end());
    r.body = h.body;
    for (const auto& [name, part] : h.files) {
        r.form[name] = FormPart{part.filename, part.content_type, part.content};
    }
    r.remote_addr = h.remote_addr;
    return r;
}

void to_httplib(const Response& r, httplib::Response& h)
{
    h.status = r.status;
    for (const auto& [k, v] : r.headers) {
        h.set_header(k, v);
    }
    // set_content gives a Content-Length: ddclient reads the raw socket (API.md §1).
    h.set_content(r.body, r.content_type);
}

// Statuses httplib sets itself before any handler runs (413 over the body limit, 400 for an
// unparsable request) still get the envelope.
int own_error_code(int status)
{
    return status == 413 ? code::kTooLarge : status == 400 ? code::kBadRequest : code::kInternal;
}

// RFC 9112 §6.3: a request with neither Content-Length nor Transfer-Encoding has no body.
// httplib 0.11 reads the body of every POST, PUT, PATCH and DELETE until the peer closes, so
// `curl -X PUT .../activation_check` (Cloudflare's own example, no data) would wait for the
// read timeout and get a 400: such requests are answered before httplib reads anything.
bool bodiless_write(const httplib::Request& h)
{
    bool write =
        h.method == "POST" || h.method == "PUT" || h.method == "PATCH" || h.method == "DELETE";
    return write && !h.has_header("Content-Length") && !h.has_header("Transfer-Encoding");
}

} // namespace

ApiOptions options_from(const config::DaemonConfig& cfg)
{
    ApiOptions o;
    o.listen = cfg.api.listen;
    o.tls_cert = cfg.api.tls_cert;
    o.tls_key = cfg.api.tls_key;
    o.max_body_bytes = cfg.api.max_body_bytes;
    o.rate_limit_per_minute = cfg.api.rate_limit_per_minute;
    o.threads = cfg.api.threads;
    o.database = cfg.database;
    for (const auto& p : cfg.edge_pools) {
        o.edge_pools.push_back({p.name, p.ipv4, p.ipv6});
    }
    o.settings.account_name = cfg.account.name;
    o.settings.account_email = cfg.account.email;
    o.settings.name_servers = cfg.zones.name_servers;
    o.settings.tunnels_domain = cfg.tunnels.domain;
    return o;
}

ApiServer::ApiServer(ApiOptions options, PublishWait wait_published,
                     ActivationCheck activation_check)
    : options_(std::move(options)), stores_([db = options_.database, pools = options_.edge_pools,
                                             domain = options_.settings.tunnels_domain] {
          auto s = store::Store::open(db);
          s->set_edge_pools(pools);
          s->set_tunnel_domain(dns::Name::parse(domain + "."));
          return s;
      }),
      router_(ctx_), limiter_(options_.rate_limit_per_minute)
{
    ctx_.settings = options_.settings;
    ctx_.stores = &stores_;
    ctx_.wait_published = std::move(wait_published);
    ctx_.activation_check = std::move(activation_check);
}

ApiServer::~ApiServer()
{
    stop();
}

std::string ApiServer::url() const
{
    std::string host =
        options_.listen.ipv6 ? "[" + options_.listen.address + "]" : options_.listen.address;
    return std::string(options_.tls_cert.empty() ? "http" : "https") + "://" + host + ":" +
           std::to_string(port_) + std::string(kBasePath);
}

void ApiServer::serve(const Request& req, Response& res)
{
    if (auto wait = limiter_.take(req.remote_addr)) {
        res = error_response(ApiError(429, code::kRateLimited,
                                      "Rate limited. Please wait and consider throttling your "
                                      "request speed"));
        res.headers.emplace_back("Retry-After", std::to_string(wait));
        return;
    }
    res = router_.handle(req);
}

void ApiServer::bind()
{
    if (server_) {
        return;
    }
    if (options_.tls_cert.empty()) {
        server_ = std::make_unique<httplib::Server>();
    } else {
        auto tls = std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(),
                                                        options_.tls_key.c_str());
        if (!tls->is_valid()) {
            throw ApiStartError("api: cannot load the TLS certificate " + options_.tls_cert +
                                    " and key " + options_.tls_key,
                                false);
        }
        server_ = std::move(tls);
    }
    // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, which would let a second
    // daemon (or anything else) bind the same port and take half of the connections.
    server_->set_socket_options([](int sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    const auto& ep = options_.listen;
    if (ep.port == 0) {
        int p = server_->bind_to_any_port(ep.address);
        port_ = p > 0 ? static_cast<std::uint16_t>(p) : 0;
    } else if (server_->bind_to_port(ep.address, ep.port)) {
        port_ = ep.port;
    }
    if (port_ == 0) {
        throw ApiStartError("api: cannot listen on " + ep.to_string() +
                                " (address in use, or not an address of this host)",
                            true);
    }
}

void ApiServer::start()
{
    bind();
    try {
        ctx_.account = stores_.acquire()->ensure_account(options_.settings.account_name);
    } catch (const std::exception& e) {
        throw ApiStartError("api: cannot open database " + options_.database + ": " + e.what(),
                            false);
    }
    server_->set_payload_max_length(options_.max_body_bytes);
    server_->new_task_queue = [n = options_.threads] { return new httplib::ThreadPool(n); };
    auto handler = [this](const httplib::Request& hreq, httplib::Response& hres) {
        auto t0 = std::chrono::steady_clock::now();
        Request req = from_httplib(hreq);
        Response res;
        serve(req, res);
        to_httplib(res, hres);
        // Never a header or the query: no credential reaches the log.
        log().debug("{} {} {} in {:.1f} ms from {}", req.method, req.path, res.status,
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count(),
                    req.remote_addr);
    };
    const char* any = ".*";
    server_->Get(any, handler).Post(any, handler).Put(any, handler).Patch(any, handler);
    server_->Delete(any, handler).Options(any, handler);
    using Reply = httplib::Server::HandlerWithResponse;
    server_->set_pre_routing_handler(
        Reply([handler](const httplib::Request& hreq, httplib::Response& hres) {
            if (bodiless_write(hreq)) {
                handler(hreq, hres);
                return httplib::Server::HandlerResponse::Handled;
            }
            return httplib::Server::HandlerResponse::Unhandled;
        }));
    server_->set_error_handler(Reply([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) {
            return httplib::Server::HandlerResponse::Unhandled; // ours: already an envelope
        }
        std::string msg =
            res.status == 413 ? "The request body is too large" : "The request could not be read";
        to_httplib(error_response(ApiError(res.status, own_error_code(res.status), msg)), res);
        return httplib::Server::HandlerResponse::Handled;
    }));
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // cpp-httplib's stop() does nothing until the loop runs: a stop right after start would
    // leave the thread listening forever and the join hanging. Return once it runs.
    for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    log().info("listening on {}", url());
}

void ApiServer::stop()
{
    if (server_) {
        server_->stop();
    }
    if (thread_.joinable()) {
        thread_.join();
    }
}

} // namespace nuage::api

#include "dnsd/daemon.hpp"

#include "dnsd/engine/answer.hpp"
#include "dnsd/log.hpp"
#include "dnsd/privileges.hpp"

#include <unistd.h>

namespace nuage::dnsd {

namespace {

std::vector<store::EdgePool> edge_pools(const config::DaemonConfig& cfg)
{
    std::vector<store::EdgePool> pools;
    for (const auto& p : cfg.edge_pools) {
        pools.push_back({p.name, p.ipv4, p.ipv6});
    }
    return pools;
}

std::string joined(const std::vector<std::string>& problems)
{
    std::string all;
    for (const auto& p : problems) {
        all += (all.empty() ? "" : "; ") + p;
    }
    return all;
}

std::string join(const std::vector<config::Endpoint>& eps)
{
    std::string s;
    for (const auto& e : eps) {
        s += (s.empty() ? "" : ", ") + e.to_string();
    }
    return s;
}

} // namespace

std::vector<std::string> check_database(const config::DaemonConfig& cfg)
{
    if (!cfg.user.empty()) {
        try {
            resolve_run_as(cfg.user);
        } catch (const PrivilegeError& e) {
            return {e.what()};
        }
    }
    if (access(cfg.database.c_str(), F_OK) != 0) {
        return {}; // created at the first start
    }
    try {
        auto st = store::Store::open(cfg.database);
        st->set_edge_pools(edge_pools(cfg));
        std::vector<std::string> out;
        for (const auto& p : st->edge_pool_problems()) {
            out.push_back("edge_pools: " + p);
        }
        return out;
    } catch (const std::exception& e) {
        std::string why = e.what();
        throw StartError(why.find(cfg.database) != std::string::npos
                             ? why
                             : "cannot open database " + cfg.database + ": " + why);
    }
}

Daemon::Daemon(config::DaemonConfig cfg) : cfg_(std::move(cfg)) {}

Daemon::~Daemon()
{
    stop();
}

void Daemon::open_store()
{
    try {
        store_ = store::Store::open(cfg_.database);
        // The watcher reads on its own thread, so it gets its own connection (WAL readers).
        watcher_store_ = store::Store::open(cfg_.database);
        for (auto* st : {store_.get(), watcher_store_.get()}) {
            st->set_edge_pools(edge_pools(cfg_));
            st->set_tunnel_domain(dns::Name::parse(cfg_.tunnels.domain + "."));
        }
        // CNAME flattening: its own connection, to bump serials from its own thread.
        flattener_ = std::make_unique<flatten::Flattener>(flatten::options_from(cfg_.flattening),
                                                          store::Store::open(cfg_.database));
    } catch (const std::exception& e) {
        std::string why = e.what();
        // The store's messages usually name the file already.
        why = why.find(cfg_.database) != std::string::npos
                  ? why
                  : "cannot open database " + cfg_.database + ": " + why;
        if (!cfg_.user.empty()) {
            why += " (dnsd runs as " + cfg_.user +
                   ": the database, its -wal and -shm files and their directory must be theirs)";
        }
        throw StartError(why);
    }
    check_edge_pools();
}

void Daemon::check_edge_pools()
{
    // DESIGN §2: every zone is served from a pool that exists and has an address; a zone
    // naming a missing pool, or using an empty one, would answer its proxied names wrongly.
    std::vector<std::string> problems;
    try {
        problems = store_->edge_pool_problems();
    } catch (const store::StoreError& e) {
        throw StartError("cannot read database " + cfg_.database + ": " + e.what());
    }
    if (!problems.empty()) {
        throw StartError("edge_pools: " + joined(problems));
    }
}

std::vector<net::ListenSockets> Daemon::bind_sockets()
{
    try {
        auto sockets = net::open_listen_sockets(cfg_.listen, cfg_.threads);
        for (const auto& s : sockets) {
            bound_.push_back(s.endpoint);
        }
        return sockets;
    } catch (const net::BindError& e) {
        throw StartError(e.what());
    }
}

void Daemon::start_workers(std::vector<net::ListenSockets> sockets)
{
    net::WorkerOptions opt;
    opt.answer = &engine::answer;
    opt.tcp.idle_timeout_ms = cfg_.tcp.idle_timeout_ms;
    opt.tcp.max_message_size = cfg_.tcp.max_message_size;
    opt.tcp.max_connections = cfg_.tcp.max_connections;
    opt.tcp_connections = std::make_shared<std::atomic<std::uint32_t>>(0);
    for (unsigned i = 0; i < cfg_.threads; ++i) {
        std::vector<net::Fd> udp, tcp;
        for (auto& s : sockets) {
            udp.push_back(std::move(s.udp[i]));
            tcp.push_back(std::move(s.tcp[i]));
        }
        workers_.push_back(
            std::make_unique<net::Worker>(i, *publisher_, opt, std::move(udp), std::move(tcp)));
    }
    for (auto& w : workers_) {
        w->start();
    }
}

std::unique_ptr<api::ApiServer> Daemon::bind_api()
{
    // The callbacks read watcher_ and activation_ when called: both exist before the API
    // serves its first request (start_api) and stop after it (stop).
    auto server = std::make_unique<api::ApiServer>(
        api::options_from(cfg_),
        [this](std::int64_t seq, std::chrono::milliseconds timeout) {
            return watcher_->catch_up(seq, timeout);
        },
        [this](std::int64_t zone_id) { activation_->check_now(zone_id); });
    try {
        server->bind();
    } catch (const api::ApiStartError& e) {
        if (cfg_.api.listen_set || !e.bind_failure) {
            throw StartError(e.what());
        }
        log().warn("{}: the API is off, DNS goes on without it (set [api] listen or --api-listen)",
                   e.what());
        return nullptr;
    }
    return server;
}

void Daemon::give_up_privileges()
{
    if (cfg_.user.empty()) {
        if (geteuid() == 0) {
            log().warn("running as root: set `user` (or --user) to drop privileges once the "
                       "sockets are bound");
        }
        return;
    }
    try {
        auto who = resolve_run_as(cfg_.user);
        drop_privileges(who);
        log().info("running as user {} (uid {}, gid {})", who.user_name, who.uid, who.gid);
    } catch (const PrivilegeError& e) {
        throw StartError(e.what());
    }
}

void Daemon::start_api(std::unique_ptr<api::ApiServer> server)
{
    if (!server) {
        return;
    }
    try {
        server->start();
    } catch (const api::ApiStartError& e) {
        throw StartError(e.what());
    }
    api_ = std::move(server);
}

void Daemon::start()
{
    // Everything root may be needed for first (port 53, a port below 1024 or a key only root
    // reads for the API), then the switch to `user`, then the database as that user.
    auto sockets = bind_sockets();
    auto api = bind_api();
    give_up_privileges();
    open_store();
    std::int64_t head = 0;
    snapshot::CatalogRef catalog;
    try {
        // The head first: a change committed during the compile is applied again, harmlessly.
        head = store_->journal_head();
        catalog = compile_catalog(*store_, 1);
    } catch (const store::StoreError& e) {
        throw StartError("cannot read database " + cfg_.database + ": " + e.what());
    }
    // Flattened names with served targets are answered from the first query on; targets
    // outside are SERVFAIL until their first upstream answer is published.
    std::vector<std::int64_t> all;
    for (const auto& z : catalog->zones()) {
        all.push_back(z->zone_id);
    }
    catalog = flattener_->apply(catalog, all, 1);
    publisher_ = std::make_unique<Publisher>(catalog);
    start_workers(std::move(sockets));
    flattener_->start(*publisher_);
    watcher_ = std::make_unique<JournalWatcher>(std::move(watcher_store_), *publisher_, head);
    watcher_->set_flattener(flattener_.get());
    watcher_->start();
    activation_ = std::make_unique<activation::ActivationChecker>(
        activation::ActivationChecker::options_from(cfg_));
    try {
        activation_->start();
    } catch (const store::StoreError& e) {
        throw StartError("cannot read database " + cfg_.database + ": " + e.what());
    }
    start_api(std::move(api));
    log().info("serving {} zone{} on {} (udp and tcp) with {} thread{}", catalog->zones().size(),
               catalog->zones().size() == 1 ? "" : "s", join(bound_), cfg_.threads,
               cfg_.threads == 1 ? "" : "s");
}

void Daemon::stop()
{
    if (api_) { // first: its requests wait on the watcher
        api_->stop();
        api_.reset();
    }
    if (activation_) {
        activation_->stop();
    }
    if (watcher_) {
        watcher_->stop();
        watcher_.reset();
    }
    if (flattener_) {
        flattener_->stop();
    }
    std::uint64_t udp = 0, tcp = 0;
    for (auto& w : workers_) {
        w->stop();
        udp += w->stats().udp_queries;
        tcp += w->stats().tcp_queries;
    }
    if (!workers_.empty()) {
        log().info("stopped after {} udp and {} tcp queries", udp, tcp);
    }
    workers_.clear();
}

} // namespace nuage::dnsd

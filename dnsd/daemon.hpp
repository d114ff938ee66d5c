// daemon.hpp -- the running dnsd: the store, the listening sockets, the workers, the Publisher
// and the journal watcher, started in an order that fails early (sockets, the switch to the
// configured user, the database, then the first compile) and stopped in the reverse order. No argv
// parsing here (main.cpp).
#pragma once

#include "api/http_server.hpp"
#include "dnsd/activation/activation_checker.hpp"
#include "dnsd/config.hpp"
#include "dnsd/journal_watcher.hpp"
#include "dnsd/net/worker.hpp"
#include "dnsd/publish.hpp"
#include "zonestore/store/store.hpp"

#include <memory>
#include <stdexcept>
#include <vector>

namespace nuage::dnsd {

// A failure at start (database, sockets): the message says what and why; dnsd exits 1.
struct StartError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// For --check-config: when the configured database exists, what a start would refuse in it
// (zones whose edge pool is missing or empty), one line each naming the zone and the key.
// Throws StartError when the file cannot be read.
std::vector<std::string> check_database(const config::DaemonConfig& cfg);

class Daemon {
public:
    explicit Daemon(config::DaemonConfig cfg);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    // Binds every listen address (DNS and the API), gives up root when `user` is set, opens
    // and migrates the database, compiles every zone, publishes the first catalog and starts
    // the workers, the journal watcher and the API. Throws StartError.
    void start();
    // Stops the watcher, then the workers (each closes its sockets and connections).
    void stop();

    Publisher& publisher() { return *publisher_; }
    // The zone activation checker (started by start()): the API's activation_check calls
    // check_now() on it.
    activation::ActivationChecker& activation() { return *activation_; }
    // The API's listener (null when it could not take the default address).
    api::ApiServer* api() { return api_.get(); }
    // The addresses actually bound (a port 0 resolved), in the configured order.
    const std::vector<config::Endpoint>& bound() const { return bound_; }

private:
    void open_store();
    // Refuses to start (StartError naming the zone and the key) when a zone's edge pool is
    // not configured or has no address.
    void check_edge_pools();
    std::vector<net::ListenSockets> bind_sockets();
    void start_workers(std::vector<net::ListenSockets> sockets);
    // The REST API's listener, bound but not serving; null when the default address is taken
    // (a warning: DNS is served without the API).
    std::unique_ptr<api::ApiServer> bind_api();
    // Switches to the configured `user` (DESIGN §4), after binding and before the database.
    void give_up_privileges();
    // The REST API on its own threads; a write answers once the watcher has published it.
    void start_api(std::unique_ptr<api::ApiServer> server);

    config::DaemonConfig cfg_;
    std::unique_ptr<store::Store> store_;         // kept for the API (a later issue)
    std::unique_ptr<store::Store> watcher_store_; // handed to the watcher at start
    std::unique_ptr<Publisher> publisher_;
    std::vector<std::unique_ptr<net::Worker>> workers_;
    std::unique_ptr<flatten::Flattener> flattener_; // outlives the watcher that calls it
    std::unique_ptr<JournalWatcher> watcher_;
    std::unique_ptr<api::ApiServer> api_;
    std::unique_ptr<activation::ActivationChecker> activation_;
    std::vector<config::Endpoint> bound_;
};

} // namespace nuage::dnsd

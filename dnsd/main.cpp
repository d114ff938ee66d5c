// main.cpp -- dnsd's command line (DESIGN §4): flags and the configuration file into a
// DaemonConfig, then a Daemon that runs until SIGINT or SIGTERM. Nothing else lives here.
#include "dnsd/config.hpp"
#include "dnsd/daemon.hpp"
#include "dnsd/log.hpp"

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <pthread.h>

namespace {

using namespace nuage;

// Parsed argv: the file (if any), the overrides and the mode.
struct Args {
    std::string config_file;
    config::Overrides overrides;
    bool check_only = false;
};

void add_options(CLI::App& app, Args& a)
{
    app.add_option("--config", a.config_file, "TOML configuration file");
    app.add_option("--db", a.overrides.database, "database file (the file's `database`)");
    app.add_option("--listen", a.overrides.listen,
                   "ADDR:PORT to serve DNS on, repeatable, e.g. 127.0.0.1:5300 or [::1]:5300 "
                   "(replaces the file's `listen`)");
    app.add_option("--threads", a.overrides.threads, "worker threads, one event loop each");
    app.add_option("--api-listen", a.overrides.api_listen, "ADDR:PORT of the REST API");
    app.add_option("--user", a.overrides.user,
                   "USER or USER:GROUP to run as once the sockets are bound (the file's `user`)");
    app.add_option("--log-level", a.overrides.log_level,
                   "trace, debug, info, warn, error, critical or off");
    app.add_flag("--check-config", a.check_only,
                 "validate the configuration and flags, then exit (0 when valid)");
}

// Blocks SIGINT and SIGTERM in this thread and every thread started after it, so that only
// sigwait() below sees them; SIGPIPE is ignored (a client closing mid-write is not fatal).
sigset_t block_stop_signals()
{
    std::signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

int serve(const config::DaemonConfig& cfg, const sigset_t& stop_signals)
{
    dnsd::Daemon daemon(cfg);
    try {
        daemon.start();
    } catch (const std::exception& e) {
        dnsd::log().critical("{}", e.what());
        return 1;
    }
    int sig = 0;
    sigwait(&stop_signals, &sig);
    dnsd::log().info("{} received, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
    daemon.stop();
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    sigset_t stop_signals = block_stop_signals();
    CLI::App app{"dnsd: Nuage's authoritative DNS server"};
    Args args;
    add_options(app, args);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 1; // --help is 0; every usage error is 1
    }

    config::DaemonConfig cfg;
    try {
        if (!args.config_file.empty()) {
            cfg = config::load_config(args.config_file);
        }
        config::apply_overrides(cfg, args.overrides);
    } catch (const config::ConfigError& e) {
        for (const auto& p : e.problems) {
            std::fprintf(stderr, "dnsd: %s\n", p.c_str());
        }
        return 1;
    }
    if (args.check_only) {
        // The database too, when it exists: a start would refuse what it finds there.
        std::vector<std::string> problems;
        try {
            problems = dnsd::check_database(cfg);
        } catch (const dnsd::StartError& e) {
            problems.push_back(e.what());
        }
        for (const auto& p : problems) {
            std::fprintf(stderr, "dnsd: %s\n", p.c_str());
        }
        if (!problems.empty()) {
            return 1;
        }
        std::fprintf(stderr, "dnsd: configuration ok\n");
        return 0;
    }
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %n %l: %v");
    spdlog::set_level(spdlog::level::from_str(cfg.log.level));
    dnsd::log().set_level(spdlog::level::from_str(cfg.log.level));
    return serve(cfg, stop_signals);
}

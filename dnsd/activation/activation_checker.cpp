#include "dnsd/activation/activation_checker.hpp"

#include "dnsd/activation/delegation_probe.hpp"
#include "dnsd/log.hpp"
#include "zonestore/store/store.hpp"

#include <algorithm>

namespace nuage::activation {

struct ActivationChecker::State {
    std::unique_ptr<store::Store> store;
};

ActivationChecker::Options ActivationChecker::options_from(const config::DaemonConfig& cfg)
{
    Options o;
    o.database = cfg.database;
    o.resolver = cfg.zones.activation_resolver;
    o.parent_port = cfg.zones.activation_parent_port;
    o.interval = std::chrono::seconds(cfg.zones.activation_interval_seconds);
    return o;
}

ActivationChecker::ActivationChecker(Options options) : options_(std::move(options)) {}

ActivationChecker::~ActivationChecker()
{
    stop();
}

void ActivationChecker::start()
{
    state_ = std::make_unique<State>();
    state_->store = store::Store::open(options_.database);
    {
        std::lock_guard lk(mu_);
        stop_ = false;
    }
    cancel_ = false;
    thread_ = std::thread([this] { run(); });
}

void ActivationChecker::stop()
{
    {
        std::lock_guard lk(mu_);
        stop_ = true;
    }
    cancel_ = true;
    cv_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    state_.reset();
}

void ActivationChecker::check_now(std::int64_t zone_id)
{
    {
        std::lock_guard lk(mu_);
        if (std::find(queue_.begin(), queue_.end(), zone_id) == queue_.end()) {
            queue_.push_back(zone_id);
        }
    }
    cv_.notify_all();
}

std::uint64_t ActivationChecker::checks_done() const
{
    std::lock_guard lk(mu_);
    return checks_done_;
}

// Requests first, then the sweep when its time has come. The first sweep waits one interval:
// a start (or a test) sends no query unless a check is asked for or an interval has passed.
void ActivationChecker::run()
{
    auto next_sweep = std::chrono::steady_clock::now() + options_.interval;
    std::unique_lock lk(mu_);
    while (!stop_) {
        if (!queue_.empty()) {
            std::int64_t id = queue_.front();
            queue_.pop_front();
            lk.unlock();
            check_one(id);
            lk.lock();
            continue;
        }
        if (std::chrono::steady_clock::now() >= next_sweep) {
            lk.unlock();
            sweep();
            lk.lock();
            next_sweep = std::chrono::steady_clock::now() + options_.interval;
            continue;
        }
        cv_.wait_until(lk, next_sweep, [this] { return stop_ || !queue_.empty(); });
    }
}

void ActivationChecker::sweep()
{
    std::vector<std::int64_t> pending;
    try {
        for (const auto& z : state_->store->list_zones()) {
            if (z.status == "pending") {
                pending.push_back(z.id);
            }
        }
    } catch (const std::exception& e) {
        dnsd::log().error("activation: cannot list zones: {}", e.what());
        return;
    }
    for (std::int64_t id : pending) {
        {
            std::lock_guard lk(mu_);
            if (stop_) {
                return;
            }
        }
        check_one(id);
    }
}

void ActivationChecker::check_one(std::int64_t zone_id)
{
    try {
        auto zone = state_->store->find_zone(zone_id);
        if (!zone || zone->status != "pending") {
            return;
        }
        ProbeOptions po;
        po.resolver = options_.resolver;
        po.parent_port = options_.parent_port;
        po.timeout = options_.query_timeout;
        po.cancel = &cancel_;
        ProbeResult result = probe_delegation(zone->origin, po);
        if (delegation_matches(result, zone->name_servers)) {
            state_->store->set_zone_status(zone_id, "active");
            dnsd::log().info("zone {}: active ({})", zone->origin.to_text(), describe(result));
        } else {
            dnsd::log().info("zone {}: still pending ({})", zone->origin.to_text(),
                             describe(result));
        }
    } catch (const std::exception& e) {
        // A zone deleted meanwhile, or the database failing: the next sweep retries.
        dnsd::log().warn("activation: zone id {}: {}", zone_id, e.what());
    }
    std::lock_guard lk(mu_);
    ++checks_done_;
}

} // namespace nuage::activation

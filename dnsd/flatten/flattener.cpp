#include "dnsd/flatten/flattener.hpp"

#include "dnsd/log.hpp"
#include "zonestore/compile/flattened.hpp"
#include "zonestore/store/clock_ids.hpp"

#include <fstream>
#include <sstream>

namespace nuage::flatten {

using dnsd::log;

namespace {

const char* type_name(std::uint16_t t)
{
    return t == kTypeA ? "A" : t == kTypeAAAA ? "AAAA" : "?";
}

// The `nameserver` lines of resolv.conf(5), on port 53.
std::vector<config::Endpoint> system_resolvers(const std::string& path = "/etc/resolv.conf")
{
    std::vector<config::Endpoint> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string key, addr;
        if (words >> key >> addr && key == "nameserver") {
            bool v6 = addr.find(':') != std::string::npos;
            auto ep = config::parse_endpoint(v6 ? "[" + addr + "]:53" : addr + ":53");
            if (ep) {
                out.push_back(*ep);
            }
        }
    }
    return out;
}

} // namespace

FlattenerOptions options_from(const config::FlatteningConfig& cfg)
{
    FlattenerOptions o;
    o.resolver.upstreams = cfg.upstreams.empty() ? system_resolvers() : cfg.upstreams;
    o.cache.stale_max = std::chrono::seconds(cfg.stale_max_seconds);
    o.serial_min_interval = std::chrono::seconds(cfg.serial_min_interval_seconds);
    return o;
}

Flattener::Flattener(FlattenerOptions options, std::unique_ptr<store::Store> store)
    : options_(std::move(options)), store_(std::move(store)), pacer_(options_.serial_min_interval)
{
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &wake_, [](uv_async_t* a) {
        auto* self = static_cast<Flattener*>(a->data);
        bool stopping = false;
        {
            std::lock_guard lock(self->mu_);
            stopping = self->stop_;
        }
        if (!stopping) {
            self->sweep();
            return;
        }
        self->resolver_->close();
        uv_close(reinterpret_cast<uv_handle_t*>(&self->wake_), nullptr);
        uv_close(reinterpret_cast<uv_handle_t*>(&self->tick_), nullptr);
    });
    wake_.data = this;
    uv_timer_init(&loop_, &tick_);
    tick_.data = this;
    options_.resolver.is_served = [this](const dns::Name& name) {
        std::lock_guard lock(served_mu_);
        return served_ && served_->find_zone(name) != nullptr;
    };
    resolver_ = std::make_unique<Resolver>(&loop_, options_.resolver);
}

Flattener::~Flattener()
{
    stop();
    if (!started_) {
        // Never run: close the handles here (no other thread has the loop).
        resolver_->close();
        uv_close(reinterpret_cast<uv_handle_t*>(&wake_), nullptr);
        uv_close(reinterpret_cast<uv_handle_t*>(&tick_), nullptr);
        uv_run(&loop_, UV_RUN_DEFAULT);
    }
    resolver_.reset();
    uv_loop_close(&loop_);
}

void Flattener::start(dnsd::Publisher& publisher)
{
    publisher_ = &publisher;
    started_ = true;
    loop_thread_ = std::thread([this] { run_loop(); });
    publish_thread_ = std::thread([this] { run_publisher(); });
}

void Flattener::stop()
{
    {
        std::lock_guard lock(mu_);
        if (stop_) {
            return;
        }
        stop_ = true;
        if (started_) {
            uv_async_send(&wake_); // the loop closes its handles and returns
        }
    }
    cv_.notify_all();
    if (loop_thread_.joinable()) {
        loop_thread_.join();
    }
    if (publish_thread_.joinable()) {
        publish_thread_.join();
    }
}

std::size_t Flattener::names() const
{
    std::lock_guard lock(mu_);
    return state_.size();
}

void Flattener::run_loop()
{
    sweep(); // fetches wanted before start (the first catalog's targets)
    uv_run(&loop_, UV_RUN_DEFAULT);
}

snapshot::CatalogRef Flattener::apply(snapshot::CatalogRef cat,
                                      const std::vector<std::int64_t>& changed_zones,
                                      std::uint64_t generation)
{
    return update(std::move(cat), changed_zones, {}, generation);
}

snapshot::CatalogRef Flattener::update(snapshot::CatalogRef cat,
                                       const std::vector<std::int64_t>& changed_zones,
                                       const std::set<CacheKey>& changed_keys,
                                       std::uint64_t generation)
{
    std::lock_guard lock(mu_);
    auto now = Clock::now();
    bool new_keys = false;
    auto lookup = [&](const CacheKey& k) {
        auto [it, fresh] = cache_.try_emplace(k, now);
        new_keys = new_keys || fresh;
        CacheView v = it->second.view(now, options_.cache);
        it->second.published = v;
        return v;
    };
    auto out = state_.apply(std::move(cat), changed_zones, changed_keys, generation, lookup);
    {
        std::lock_guard served_lock(served_mu_);
        served_ = out.catalog;
    }
    for (std::int64_t id : out.answers_changed) {
        pacer_.request(id);
    }
    for (std::int64_t id : changed_zones) {
        if (!out.catalog->zone_by_id(id)) {
            pacer_.forget(id);
        }
    }
    auto wanted = state_.wanted();
    bool wanted_changed = wanted != wanted_;
    wanted_ = std::move(wanted);
    if ((new_keys || wanted_changed) && !stop_) {
        uv_async_send(&wake_); // thread-safe: the loop sweeps and fetches
    }
    if (!out.answers_changed.empty()) {
        cv_.notify_all();
    }
    return out.catalog;
}

// ---- the loop thread ----------------------------------------------------------------------

void Flattener::sweep_locked(std::vector<CacheKey>& to_fetch)
{
    auto now = Clock::now();
    std::erase_if(cache_, [&](const auto& kv) { return !wanted_.count(kv.first); });
    for (const auto& k : wanted_) {
        cache_.try_emplace(k, now);
    }
    bool changed = false;
    Clock::time_point next = Clock::time_point::max();
    for (auto& [key, e] : cache_) {
        if (e.fetch_due(now)) {
            e.fetch_started();
            to_fetch.push_back(key);
        }
        if (e.published && e.view(now, options_.cache) != *e.published) {
            changed = changed || changed_keys_.insert(key).second;
        }
        next = std::min(next, e.next_event(now));
    }
    if (changed) {
        cv_.notify_all();
    }
    if (next == Clock::time_point::max()) {
        uv_timer_stop(&tick_);
        return;
    }
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(next - now).count();
    uv_timer_start(
        &tick_, [](uv_timer_t* t) { static_cast<Flattener*>(t->data)->sweep(); },
        static_cast<std::uint64_t>(std::max<long long>(ms, 1)), 0);
}

void Flattener::sweep()
{
    std::vector<CacheKey> to_fetch;
    {
        std::lock_guard lock(mu_);
        if (stop_) {
            return;
        }
        sweep_locked(to_fetch);
    }
    for (const auto& k : to_fetch) {
        fetch(k);
    }
}

void Flattener::fetch(const CacheKey& key)
{
    resolver_->resolve(key.name, key.qtype, [this, key](Resolution r) {
        {
            std::lock_guard lock(mu_);
            auto it = cache_.find(key);
            if (it == cache_.end()) {
                return; // no flattened name wants it any more
            }
            CacheEntry& e = it->second;
            auto now = Clock::now();
            if (r.ok) {
                if (e.failures() > 0) {
                    log().info("flattening: {} {} answered again", key.name.to_text(),
                               type_name(key.qtype));
                }
                e.fetch_succeeded(now, std::move(r.rdatas), r.ttl, options_.cache,
                                  std::move(r.chain), r.handoff);
            } else {
                bool first = e.failures() == 0;
                e.fetch_failed(now, r.error, options_.cache);
                if (first) {
                    log().warn("flattening: {} {}: {} ({})", key.name.to_text(),
                               type_name(key.qtype), r.error,
                               e.view(now, options_.cache).known ? "answers kept while stale"
                                                                 : "SERVFAIL until answered");
                }
            }
        }
        sweep();
    });
}

// ---- the publisher thread -----------------------------------------------------------------

void Flattener::run_publisher()
{
    std::unique_lock lock(mu_);
    while (!stop_) {
        auto due = pacer_.next_due();
        bool due_now = due && *due <= Clock::now();
        if (changed_keys_.empty() && !due_now) {
            if (due) {
                cv_.wait_until(lock, *due);
            } else {
                cv_.wait(lock);
            }
            continue;
        }
        auto keys = std::exchange(changed_keys_, {});
        auto zones = pacer_.take_due(Clock::now());
        lock.unlock();
        try {
            if (!keys.empty()) {
                publish_keys(keys);
            }
            for (std::int64_t id : zones) {
                bump_serial(id);
            }
        } catch (const std::exception& e) {
            log().error("flattening: {}", e.what());
        }
        lock.lock();
    }
}

void Flattener::publish_keys(const std::set<CacheKey>& keys)
{
    auto writer = publisher_->lock_writer();
    snapshot::CatalogRef base = publisher_->current();
    std::uint64_t gen = base->generation() + 1;
    snapshot::CatalogRef cat = update(base, {}, keys, gen);
    if (cat != base && !publisher_->publish_and_wait(cat, options_.publish_timeout)) {
        log().error("flattening: workers did not pick generation {} up within {} ms", gen,
                    options_.publish_timeout.count());
    }
}

void Flattener::bump_serial(std::int64_t zone_id)
{
    if (!store_) {
        return;
    }
    std::uint32_t serial = 0;
    try {
        serial = store_->bump_serial(zone_id);
    } catch (const store::NotFound&) {
        std::lock_guard lock(mu_);
        pacer_.forget(zone_id);
        return;
    }
    auto writer = publisher_->lock_writer();
    snapshot::CatalogRef base = publisher_->current();
    snapshot::ZoneRef z = base->zone_by_id(zone_id);
    if (!z || !store::serial_gt(serial, z->serial)) {
        return; // a write moved the served serial past it already
    }
    auto cat = base->with_zone(compile::with_serial(*z, serial), base->generation() + 1);
    publisher_->publish_and_wait(cat, options_.publish_timeout);
    log().info("zone {}: serial {} (flattened answers changed)", z->origin.to_text(), serial);
}

} // namespace nuage::flatten

#include "dnsd/journal_watcher.hpp"

#include "dnsd/log.hpp"
#include "zonestore/compile/compiler.hpp"

#include <algorithm>
#include <malloc.h>
#include <map>

namespace nuage::dnsd {

namespace {

using Clock = std::chrono::steady_clock;
using Kind = store::JournalEntry::Kind;

double ms_since(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// What one round must do to one zone, whatever order its entries came in.
struct ZoneChange {
    enum class Action { Records, Full, Delete };
    Action action = Action::Records;
    std::vector<dns::Name> names; // Records: the owners to reload
};

std::map<std::int64_t, ZoneChange> group_by_zone(const std::vector<store::JournalEntry>& entries)
{
    std::map<std::int64_t, ZoneChange> out;
    for (const auto& e : entries) {
        ZoneChange& c = out[e.zone_id];
        switch (e.kind) {
        case Kind::ZoneDeleted:
            c = {ZoneChange::Action::Delete, {}};
            break;
        case Kind::ZoneCreated:
        case Kind::ZoneReplaced:
        case Kind::ZoneSettings:
            c = {ZoneChange::Action::Full, {}};
            break;
        case Kind::Records:
            if (c.action == ZoneChange::Action::Records) {
                c.names.insert(c.names.end(), e.names.begin(), e.names.end());
            } else if (c.action == ZoneChange::Action::Delete) {
                c = {ZoneChange::Action::Full, {}}; // deleted, then written again: reload
            }
            break;
        }
    }
    for (auto& [id, c] : out) {
        std::sort(c.names.begin(), c.names.end());
        c.names.erase(std::unique(c.names.begin(), c.names.end()), c.names.end());
    }
    return out;
}

std::string zone_label(const snapshot::ZoneData* z, std::int64_t id)
{
    return z ? "zone " + z->origin.to_text() : "zone id " + std::to_string(id);
}

} // namespace

snapshot::CatalogRef compile_catalog(store::Store& store, std::uint64_t generation)
{
    std::vector<snapshot::ZoneRef> zones;
    std::size_t failed = 0;
    for (std::int64_t id : store.zone_ids()) {
        std::string origin = "zone id " + std::to_string(id);
        try {
            compile::ZoneSource source = store.load_zone_source(id);
            origin = "zone " + source.meta.origin.to_text();
            auto t0 = Clock::now();
            zones.push_back(compile::compile_zone(source));
            log().debug("{}: loaded, serial {}, {} names in {:.1f} ms", origin,
                        zones.back()->serial, zones.back()->nodes.size(), ms_since(t0));
        } catch (const store::StoreError&) {
            throw;
        } catch (const std::exception& e) {
            // Refused whole: nothing of this zone is published (STYLE "Snapshot and swap").
            log().error("{}: not served: {}", origin, e.what());
            ++failed;
        }
    }
    log().info("zones loaded: {}{}", zones.size(),
               failed ? ", " + std::to_string(failed) + " refused" : std::string());
    // A full compile frees millions of small temporaries; glibc would consolidate them on the
    // first large allocation after it, which made the first edit of a zone of a million names
    // take 0.5 s instead of 0.1 ms (tests/unit/zonestore/million_names_test.cpp). Pay it here,
    // before serving, and give the memory back.
    malloc_trim(0);
    return std::make_shared<const snapshot::Catalog>(std::move(zones), generation);
}

JournalWatcher::JournalWatcher(std::unique_ptr<store::Store> store, Publisher& publisher,
                               std::int64_t after, Options options)
    : store_(std::move(store)), publisher_(publisher), last_seq_(after), options_(options)
{
}

JournalWatcher::~JournalWatcher()
{
    stop();
}

void JournalWatcher::start()
{
    done_seq_ = last_seq_;
    thread_ = std::thread([this] { run(); });
}

bool JournalWatcher::catch_up(std::int64_t seq, std::chrono::milliseconds timeout)
{
    auto deadline = Clock::now() + timeout;
    {
        std::unique_lock lock(mu_);
        if (done_seq_ < seq) {
            wake_ = true;
            cv_.notify_all();
            if (!done_cv_.wait_until(lock, deadline, [&] { return done_seq_ >= seq || stop_; }) ||
                done_seq_ < seq) {
                return false;
            }
        }
    }
    // The round that consumed `seq` published a generation at most the current one; a round
    // whose publish timed out is still waited for here.
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return publisher_.wait_seen(publisher_.generation(),
                                std::max(left, std::chrono::milliseconds(0)));
}

void JournalWatcher::stop()
{
    if (!thread_.joinable()) {
        return;
    }
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void JournalWatcher::run()
{
    std::unique_lock lock(mu_);
    while (!stop_) {
        wake_ = false;
        lock.unlock();
        try {
            // A full batch means more is waiting: go on without sleeping.
            while (poll_once() == options_.batch) {
            }
        } catch (const std::exception& e) {
            log().error("journal: {} (retrying)", e.what());
        }
        lock.lock();
        done_seq_ = last_seq_;
        done_cv_.notify_all();
        cv_.wait_for(lock, options_.poll_interval, [&] { return stop_ || wake_; });
    }
}

namespace {

// Applies one zone's change to `cat`; returns the new catalog, or `cat` when nothing changed
// (a compile error keeps the old zone). Database failures propagate.
snapshot::CatalogRef apply(store::Store& store, snapshot::CatalogRef cat, std::int64_t id,
                           const ZoneChange& change, std::uint64_t gen)
{
    snapshot::ZoneRef old = cat->zone_by_id(id);
    std::string label = zone_label(old.get(), id);
    if (change.action == ZoneChange::Action::Delete) {
        if (old) {
            log().info("{}: removed", label);
            return cat->without_zone(id, gen);
        }
        return cat;
    }
    try {
        snapshot::ZoneRef zone;
        if (change.action == ZoneChange::Action::Records && old) {
            store::ZoneUpdate u = store.load_zone_update(id, change.names);
            const auto& updates = u.names;
            zone = compile::update_zone(*old, u.meta, updates);
            log().debug("{}: {} names updated, serial {}", label, updates.size(), zone->serial);
        } else {
            zone = compile::compile_zone(store.load_zone_source(id));
            label = zone_label(zone.get(), id);
            log().info("{}: {}, serial {}, {} names", label, old ? "reloaded" : "added",
                       zone->serial, zone->nodes.size());
        }
        return cat->with_zone(std::move(zone), gen);
    } catch (const store::NotFound&) {
        // Deleted after the entries we read: its ZoneDeleted entry comes next round.
        return old ? cat->without_zone(id, gen) : cat;
    } catch (const store::StoreError&) {
        throw;
    } catch (const std::exception& e) {
        log().error("{}: change not applied, the previous version stays served: {}", label,
                    e.what());
        return cat;
    }
}

} // namespace

// Entries this watcher never saw were pruned (it fell more than journal_keep behind, e.g. a
// second daemon on the same database): what they changed is unknown, so every zone is
// compiled again from the store as it is now.
snapshot::CatalogRef JournalWatcher::reload_all(std::uint64_t generation)
{
    log().warn("journal: entries after {} were pruned before this daemon read them: reloading "
               "every zone",
               last_seq_);
    snapshot::CatalogRef cat = compile_catalog(*store_, generation);
    if (flattener_) {
        std::vector<std::int64_t> ids;
        for (const auto& z : cat->zones()) {
            ids.push_back(z->zone_id);
        }
        cat = flattener_->apply(cat, ids, generation);
    }
    return cat;
}

void JournalWatcher::maybe_prune()
{
    auto now = Clock::now();
    if (now - last_prune_ < options_.prune_interval ||
        last_seq_ <= static_cast<std::int64_t>(options_.journal_keep)) {
        return;
    }
    last_prune_ = now;
    std::size_t n =
        store_->prune_journal(last_seq_ - static_cast<std::int64_t>(options_.journal_keep));
    if (n > 0) {
        log().debug("journal: {} old entries pruned", n);
    }
}

std::size_t JournalWatcher::poll_once()
{
    std::vector<store::JournalEntry> entries = store_->journal_since(last_seq_, options_.batch);
    if (entries.empty()) {
        return 0;
    }
    auto t0 = Clock::now();
    auto changes = group_by_zone(entries);
    auto writer = publisher_.lock_writer();
    snapshot::CatalogRef base = publisher_.current();
    snapshot::CatalogRef cat = base;
    std::uint64_t gen = base->generation() + 1;
    if (entries.front().seq > last_seq_ + 1) {
        cat = reload_all(gen); // the entries read are applied again below: reloads are idempotent
    }
    for (const auto& [id, change] : changes) {
        cat = apply(*store_, cat, id, change, gen);
    }
    if (flattener_ && cat != base) {
        std::vector<std::int64_t> ids;
        for (const auto& [id, change] : changes) {
            ids.push_back(id);
        }
        cat = flattener_->apply(cat, ids, gen);
    }
    double compile_ms = ms_since(t0);
    if (cat != base) {
        auto t1 = Clock::now();
        if (!publisher_.publish_and_wait(cat, options_.publish_timeout)) {
            log().error("journal: workers did not pick generation {} up within {} ms", gen,
                        options_.publish_timeout.count());
        }
        log().debug("journal: {} entries, {} zones changed, published in {:.2f} ms (compile "
                    "{:.2f} ms, workers {:.2f} ms)",
                    entries.size(), changes.size(), ms_since(t0), compile_ms, ms_since(t1));
    }
    last_seq_ = entries.back().seq;
    maybe_prune();
    return entries.size();
}

} // namespace nuage::dnsd

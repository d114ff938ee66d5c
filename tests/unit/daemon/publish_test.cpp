// publish_test.cpp -- dnsd/publish with reader threads standing in for workers (no sockets):
// generations move forward, publish_and_wait returns only when every reader has seen the new
// catalog, a stuck reader makes it time out, and old catalogs are freed once dropped.
#include "dnsd/publish.hpp"

#include <atomic>
#include <condition_variable>
#include <doctest/doctest.h>
#include <mutex>
#include <thread>

using namespace nuage;
using namespace std::chrono_literals;

namespace {

snapshot::CatalogRef catalog(std::uint64_t gen)
{
    return std::make_shared<const snapshot::Catalog>(std::vector<snapshot::ZoneRef>{}, gen);
}

// A reader thread that picks up the catalog when woken, as a worker's uv_async callback does.
class FakeReader {
public:
    explicit FakeReader(dnsd::Publisher& p) : pub_(p)
    {
        id_ = pub_.add_reader([this] {
            std::lock_guard l(mu_);
            woken_ = true;
            cv_.notify_one();
        });
        pub_.pick_up(id_, ref_, seen_);
        thread_ = std::thread([this] { run(); });
    }
    ~FakeReader()
    {
        {
            std::lock_guard l(mu_);
            stop_ = true;
            cv_.notify_one();
        }
        thread_.join();
        pub_.remove_reader(id_);
    }
    void pause(bool p) { paused_ = p; }
    // The generation the reader's own catalog carries (checked by the test after a wait).
    std::uint64_t held_generation()
    {
        std::lock_guard l(ref_mu_);
        return ref_ ? ref_->generation() : 0;
    }

private:
    void run()
    {
        while (true) {
            {
                // The wake runs under the publisher's lock: never pick up while holding mu_.
                std::unique_lock l(mu_);
                cv_.wait(l, [&] { return woken_ || stop_; });
                if (stop_) {
                    return;
                }
                woken_ = false;
            }
            std::lock_guard r(ref_mu_);
            if (!paused_ && pub_.generation() != seen_) {
                pub_.pick_up(id_, ref_, seen_);
            }
        }
    }

    dnsd::Publisher& pub_;
    std::size_t id_ = 0;
    snapshot::CatalogRef ref_;
    std::uint64_t seen_ = 0;
    std::mutex ref_mu_; // guards ref_ and seen_
    std::mutex mu_;     // guards woken_ and stop_
    std::condition_variable cv_;
    bool woken_ = false;
    bool stop_ = false;
    std::atomic<bool> paused_{false};
    std::thread thread_;
};

} // namespace

TEST_CASE("a publisher without a catalog starts with an empty one")
{
    dnsd::Publisher p(nullptr);
    REQUIRE(p.current());
    CHECK(p.current()->zones().empty());
    CHECK(p.publish_and_wait(catalog(2), 10ms)); // no readers: nothing to wait for
    CHECK(p.current()->generation() == 2);
}

TEST_CASE("publish_and_wait returns once every reader holds the new catalog")
{
    dnsd::Publisher p(catalog(1));
    std::vector<std::unique_ptr<FakeReader>> readers;
    for (int i = 0; i < 4; ++i) {
        readers.push_back(std::make_unique<FakeReader>(p));
    }
    for (std::uint64_t g = 2; g < 200; ++g) {
        std::uint64_t before = p.generation();
        REQUIRE(p.publish_and_wait(catalog(g), 2s));
        CHECK(p.generation() == before + 1);
        for (auto& r : readers) {
            CHECK(r->held_generation() == g);
        }
    }
}

TEST_CASE("a reader that does not pick up makes the wait time out, then it catches up")
{
    dnsd::Publisher p(catalog(1));
    FakeReader a(p);
    FakeReader b(p);
    b.pause(true);
    auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(p.publish_and_wait(catalog(2), 100ms));
    CHECK(std::chrono::steady_clock::now() - t0 >= 100ms);
    CHECK(a.held_generation() == 2);
    CHECK(b.held_generation() == 1);
    b.pause(false);
    CHECK(p.publish_and_wait(catalog(3), 2s));
    CHECK(b.held_generation() == 3);
}

TEST_CASE("the old catalog is freed when the last reader drops it, on the writer's side")
{
    dnsd::Publisher p(catalog(1));
    std::weak_ptr<const snapshot::Catalog> old = p.current();
    {
        FakeReader a(p);
        FakeReader b(p);
        b.pause(true);
        CHECK_FALSE(p.publish_and_wait(catalog(2), 50ms));
        CHECK_FALSE(old.expired()); // b still answers from it
        b.pause(false);
        CHECK(p.publish_and_wait(catalog(3), 2s));
        // b went from 1 to 3; both retired refs were freed by the wait.
        CHECK(old.expired());
    }
}

TEST_CASE("removed readers are neither woken nor waited for")
{
    dnsd::Publisher p(catalog(1));
    std::size_t id = p.add_reader([] { FAIL("woken after removal"); });
    p.remove_reader(id);
    CHECK(p.publish_and_wait(catalog(2), 10ms));
}

TEST_CASE("writers serialize through lock_writer")
{
    dnsd::Publisher p(catalog(0));
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
        writers.emplace_back([&] {
            for (int i = 0; i < 100; ++i) {
                auto lock = p.lock_writer();
                auto base = p.current();
                p.publish(catalog(base->generation() + 1));
            }
        });
    }
    for (auto& w : writers) {
        w.join();
    }
    CHECK(p.current()->generation() == 400); // no lost update
}

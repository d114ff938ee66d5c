// The upstream cache's timing (TTL, prefetch at 90 %, serve-stale bounded by stale_max, then
// SERVFAIL) and the serial pacer, on a clock the test moves by hand.
#include "dnsd/flatten/cache.hpp"
#include "dnsd/flatten/serial_pacer.hpp"

#include <doctest/doctest.h>

using namespace nuage::flatten;
using namespace std::chrono_literals;

TEST_CASE("a cache entry: unknown, fresh, prefetched, stale, then unknown again")
{
    CachePolicy p;
    p.stale_max = 20s;
    auto t0 = Clock::time_point{} + 1000s;
    CacheEntry e(t0);
    CHECK(!e.view(t0, p).known); // nothing yet: SERVFAIL
    CHECK(e.fetch_due(t0));
    e.fetch_started();
    CHECK(!e.fetch_due(t0));
    CHECK(e.next_event(t0) == Clock::time_point::max()); // waiting on the lookup
    e.fetch_succeeded(t0, {"\x01\x02\x03\x04"}, 100, p);
    CacheView v = e.view(t0, p);
    CHECK(v.known);
    CHECK(v.ttl == 100);
    CHECK(v.rdatas.size() == 1);
    // Prefetch at 90 % of the TTL, well before expiry.
    CHECK(!e.fetch_due(t0 + 89s));
    CHECK(e.fetch_due(t0 + 90s));
    CHECK(e.next_event(t0 + 1s) == t0 + 90s);
    e.fetch_started();
    e.fetch_failed(t0 + 90s, "timed out", p);
    CHECK(e.view(t0 + 99s, p).ttl == 100); // still fresh until the TTL runs out
    CHECK(e.failures() == 1);
    CHECK(e.last_error() == "timed out");
    CHECK(e.fetch_due(t0 + 91s)); // retried after 1 s
    // Stale after expiry: the same addresses with the stale TTL (RFC 8767 §4).
    v = e.view(t0 + 100s, p);
    CHECK(v.known);
    CHECK(v.ttl == 30);
    CHECK(v.rdatas.size() == 1);
    CHECK(e.view(t0 + 119s, p).known);
    // stale_max after expiry: unknown (SERVFAIL), never an older answer.
    CHECK(!e.view(t0 + 120s, p).known);
    CHECK(e.next_event(t0 + 110s) <= t0 + 120s);
    // A late answer makes it fresh again.
    e.fetch_started();
    e.fetch_succeeded(t0 + 130s, {}, 0, p); // NODATA, TTL 0
    v = e.view(t0 + 130s, p);
    CHECK(v.known);
    CHECK(v.rdatas.empty());
    CHECK(v.ttl == 0);
    CHECK(e.fetch_due(t0 + 131s)); // refreshed at least every second, never in a busy loop
    CHECK(!e.fetch_due(t0 + 130s));
    CHECK(e.failures() == 0);
}

TEST_CASE("a failing upstream with nothing cached: retries back off, the view stays unknown")
{
    CachePolicy p;
    auto t0 = Clock::time_point{} + 1000s;
    CacheEntry e(t0);
    auto t = t0;
    std::chrono::seconds expected[] = {1s, 2s, 4s, 8s, 16s, 30s, 30s};
    for (auto wait : expected) {
        e.fetch_started();
        e.fetch_failed(t, "refused", p);
        CHECK(!e.view(t, p).known);
        CHECK(!e.fetch_due(t + wait - 1ms));
        CHECK(e.fetch_due(t + wait));
        t += wait;
    }
    // TTLs above a day are taken as a day.
    e.fetch_started();
    e.fetch_succeeded(t, {}, 10'000'000, p);
    CHECK(e.view(t, p).ttl == 86400);
}

TEST_CASE("the serial follows at most once per interval, coalescing changes")
{
    SerialPacer s(60s);
    auto t0 = Clock::time_point{} + 1000s;
    CHECK(s.take_due(t0).empty());
    CHECK(!s.next_due());
    s.request(7);
    CHECK(s.take_due(t0) == std::vector<std::int64_t>{7}); // the first one goes at once
    s.request(7);
    s.request(7);
    s.request(9);
    CHECK(s.take_due(t0 + 1s) == std::vector<std::int64_t>{9});
    CHECK(s.next_due() == t0 + 60s);
    CHECK(s.take_due(t0 + 59s).empty());
    CHECK(s.take_due(t0 + 60s) == std::vector<std::int64_t>{7}); // one bump for three changes
    CHECK(!s.next_due());
    s.request(7);
    s.forget(7);
    CHECK(!s.next_due());
}

// A zone of a million names: one changed record is published by replacing a handful of nodes,
// sharing every other node with the previous snapshot (issue 2 item 4). The times are printed
// for the note, never asserted (timing belongs in tools/bench).
#include "zonestore/compile/compiler.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <malloc.h>
#include <doctest/doctest.h>

using namespace nuage;

namespace {

compile::ZoneSource million_name_zone(int names)
{
    compile::ZoneSource src;
    src.meta.zone_id = 7;
    src.meta.origin = dns::Name::parse("big.example.");
    src.meta.soa.mname = dns::Name::parse("ns1.big.example.");
    src.meta.soa.rname = dns::Name::parse("hostmaster.big.example.");
    src.meta.name_servers = {dns::Name::parse("ns1.big.example.")};
    src.records.reserve(static_cast<std::size_t>(names));
    for (int i = 0; i < names; ++i) {
        // Two levels, so that empty non-terminals exist too.
        auto owner = dns::Name::parse("h" + std::to_string(i) + ".g" + std::to_string(i % 1000) +
                                      ".big.example.");
        std::string a{char(10), char(i >> 16), char(i >> 8), char(i)};
        src.records.push_back({owner, 1, 300, a});
    }
    return src;
}

double ms_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// This thread's CPU time: steadier than the wall clock on a loaded 2-core machine.
double cpu_ms()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

}  // namespace

TEST_CASE("one change in a zone of a million names shares every untouched node")
{
    constexpr int kNames = 1'000'000;
    auto src = million_name_zone(kNames);
    auto t0 = std::chrono::steady_clock::now();
    auto base = compile::compile_zone(src);
    double full_ms = ms_since(t0);
    auto meta = src.meta;
    src = {};
    malloc_trim(0); // as dnsd does after a full compile (journal_watcher.cpp)
    CHECK(base->nodes.size() == std::size_t(kNames) + 1000 + 1);  // names + ENTs + apex

    meta.soa.serial++;
    auto changed = dns::Name::parse("h4242.g242.big.example.");
    std::vector<compile::NameUpdate> ups{
        {changed, {{changed, 1, 300, std::string("\xc0\x00\x02\x01", 4)}}}};
    t0 = std::chrono::steady_clock::now();
    auto next = compile::update_zone(*base, meta, ups);
    double update_ms = ms_since(t0);

    CHECK(next->serial == base->serial + 1);
    CHECK(next->nodes.size() == base->nodes.size());
    const auto* n = next->nodes.find(changed);
    REQUIRE(n);
    CHECK(n->find(1)->rdata[2] == 0xc0);
    CHECK(base->nodes.find(changed)->find(1)->rdata[2] == 10);
    CHECK_FALSE(next->nodes.shares_node_with(base->nodes, changed));
    CHECK_FALSE(next->nodes.shares_node_with(base->nodes, meta.origin));  // new SOA serial
    // Every other node is the very same object in both snapshots.
    std::size_t shared = 0;
    next->nodes.for_each([&](const snapshot::Node& node) {
        if (base->nodes.find(node.owner) == &node) {
            ++shared;
        }
    });
    CHECK(shared == next->nodes.size() - 2);
    // Later edits: each from the previous snapshot (the first one above also pays for glibc
    // consolidating the free lists the full compile left behind).
    std::vector<double> later, later_cpu;
    auto cur = next;
    for (int i = 0; i < 50; ++i) {
        meta.soa.serial++;
        int h = 1000 + i * 7919; // names spread over the chunks
        auto name = dns::Name::parse("h" + std::to_string(h) + ".g" + std::to_string(h % 1000) +
                                     ".big.example.");
        std::vector<compile::NameUpdate> one{
            {name, {{name, 1, 300, std::string("\xc0\x00\x02\x02", 4)}}}};
        t0 = std::chrono::steady_clock::now();
        double c0 = cpu_ms();
        cur = compile::update_zone(*cur, meta, one);
        later_cpu.push_back(cpu_ms() - c0);
        later.push_back(ms_since(t0));
    }
    std::sort(later.begin(), later.end());
    std::sort(later_cpu.begin(), later_cpu.end());
    CHECK(cur->nodes.size() == base->nodes.size());
    std::printf("million names: full compile %.0f ms, first one-record update %.2f ms, later "
                "updates median %.2f ms (%.2f ms of CPU), p90 %.2f ms, %zu chunks\n",
                full_ms, update_ms, later[later.size() / 2], later_cpu[later_cpu.size() / 2],
                later[later.size() * 9 / 10], next->nodes.chunk_count());
}

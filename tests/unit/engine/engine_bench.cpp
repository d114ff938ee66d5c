// engine_bench.cpp -- a micro-benchmark of engine::answer(), not a test (no ctest entry): a
// generated zone of N names, a realistic mix of queries (A, AAAA, CNAME, MX, TXT, NXDOMAIN,
// NODATA, 0x20 case, EDNS), answered in a loop. Prints nanoseconds per query; run it under
// `valgrind --tool=callgrind` for instruction counts, which stay steady on a noisy machine.
//
//     engine_bench [NAMES] [QUERIES]
#include "dnsd/engine/answer.hpp"
#include "tests/support/catalog_builder.hpp"
#include "zonestore/dns/wire.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace nuage;

namespace {

std::string make_zone(int names)
{
    std::string z = "$TTL 300\n@ 3600 IN SOA ns1 admin 1 7200 3600 1209600 600\n"
                    "@ 3600 NS ns1\n@ 3600 NS ns2\nns1 A 192.0.2.1\nns2 A 192.0.2.2\n"
                    "mail A 192.0.2.25\n";
    for (int i = 0; i < names; ++i) {
        std::string n = "host" + std::to_string(i);
        switch (i % 5) {
        case 0:
            z += n + " A 192.0.2." + std::to_string(i % 250) + "\n";
            z += n + " AAAA 2001:db8::" + std::to_string(i % 9999) + "\n";
            break;
        case 1:
            z += n + " CNAME host" + std::to_string(i - 1) + "\n";
            break;
        case 2:
            z += n + " MX 10 mail\n";
            break;
        case 3:
            z += n + " TXT \"v=spf1 -all\"\n";
            break;
        default:
            z += n + " A 192.0.2.9\n";
        }
    }
    return z;
}

std::vector<std::uint8_t> query(const std::string& name, std::uint16_t type, bool edns)
{
    std::vector<std::uint8_t> q = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, std::uint8_t(edns)};
    std::size_t start = 0;
    std::string full = name + ".bench.";
    while (start < full.size()) {
        std::size_t dot = full.find('.', start);
        q.push_back(static_cast<std::uint8_t>(dot - start));
        q.insert(q.end(), full.begin() + start, full.begin() + dot);
        start = dot + 1;
    }
    q.push_back(0);
    q.push_back(std::uint8_t(type >> 8));
    q.push_back(std::uint8_t(type));
    q.push_back(0);
    q.push_back(1);
    if (edns) {
        std::uint8_t opt[11] = {0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0};
        q.insert(q.end(), opt, opt + 11);
    }
    return q;
}

} // namespace

int main(int argc, char** argv)
{
    int names = argc > 1 ? std::atoi(argv[1]) : 10000;
    long rounds = argc > 2 ? std::atol(argv[2]) : 1000000;
    auto cat = test::catalog_from_zones({{"bench.", make_zone(names)}});
    std::vector<std::vector<std::uint8_t>> qs;
    for (int i = 0; i < 1000; ++i) {
        int h = (i * 7919) % names;
        std::string n = "host" + std::to_string(h);
        switch (i % 8) {
        case 0:
            qs.push_back(query(n, 1, true));
            break; // A (or CNAME -> A)
        case 1:
            qs.push_back(query(n, 28, true));
            break; // AAAA
        case 2:
            qs.push_back(query(n, 15, false));
            break; // MX (+ additional)
        case 3:
            qs.push_back(query(n, 16, true));
            break; // TXT
        case 4:
            qs.push_back(query("nx" + n, 1, true));
            break; // NXDOMAIN
        case 5:
            qs.push_back(query(n, 33, true));
            break; // NODATA
        case 6:
            qs.push_back(query("HoSt" + std::to_string(h), 1, true));
            break; // 0x20
        default:
            qs.push_back(query(n, 1, false));
            break;
        }
    }
    std::vector<std::uint8_t> out(engine::kMaxMessage);
    std::size_t bytes = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (long r = 0; r < rounds; ++r) {
        const auto& q = qs[static_cast<std::size_t>(r) % qs.size()];
        bytes += engine::answer(*cat, q, out, engine::Transport::Udp);
    }
    auto ns =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%d names, %ld queries: %.1f ns/query (%.2f M qps on one core), %zu bytes out\n",
                names, rounds, ns / double(rounds), double(rounds) / ns * 1e3, bytes);
    return 0;
}

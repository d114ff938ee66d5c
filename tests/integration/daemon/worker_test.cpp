// worker_test.cpp -- dnsd/net workers on loopback sockets (label integration), with a fake
// answer function that echoes the query with QR set and the catalog's generation appended, so
// framing, batching, TCP limits and catalog pickup are tested apart from the engine.
#include "dnsd/net/worker.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <new>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

// Every operator new of the process is counted (alloc_count.cpp): workers must not allocate
// per packet.
std::uint64_t allocations_so_far();

using namespace nuage;
using namespace nuage::dnsd;
using namespace std::chrono_literals;

namespace {

constexpr std::uint16_t kBigId = 0xbeef; // asks the fake for a 30000-byte response
constexpr std::size_t kBigSize = 30000;

// Echo with QR set, then the catalog generation (8 bytes). Query id kBigId: a big response.
// Id 0xdead: dropped (as the engine drops what it cannot answer).
std::size_t fake_answer(const snapshot::Catalog& cat, std::span<const std::uint8_t> q,
                        std::span<std::uint8_t> out, engine::Transport) noexcept
{
    if (q.size() < 12 || (q[0] == 0xde && q[1] == 0xad)) {
        return 0;
    }
    std::size_t n = q.size();
    std::memcpy(out.data(), q.data(), n);
    out[2] |= 0x80;
    std::uint64_t g = cat.generation();
    std::memcpy(out.data() + n, &g, 8);
    n += 8;
    if (q[0] == (kBigId >> 8) && q[1] == (kBigId & 0xff)) {
        std::memset(out.data() + n, 0x5a, kBigSize - n);
        n = kBigSize;
    }
    return n;
}

std::vector<std::uint8_t> query(std::uint16_t id)
{
    // Header, then "example." A IN: the fake does not parse it, but it is a real question.
    return {static_cast<std::uint8_t>(id >> 8),
            static_cast<std::uint8_t>(id),
            0,
            0,
            0,
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            7,
            'e',
            'x',
            'a',
            'm',
            'p',
            'l',
            'e',
            0,
            0,
            1,
            0,
            1};
}

std::vector<std::uint8_t> framed(const std::vector<std::uint8_t>& m)
{
    std::vector<std::uint8_t> f(2 + m.size());
    f[0] = static_cast<std::uint8_t>(m.size() >> 8);
    f[1] = static_cast<std::uint8_t>(m.size());
    std::copy(m.begin(), m.end(), f.begin() + 2);
    return f;
}

// Everything a test needs: a publisher and N workers on 127.0.0.1 and [::1], port 0.
struct Servers {
    explicit Servers(unsigned n, net::TcpLimits limits = {})
        : publisher(std::make_shared<const snapshot::Catalog>(std::vector<snapshot::ZoneRef>{}, 1))
    {
        std::vector<config::Endpoint> eps{{"127.0.0.1", 0, false}, {"::1", 0, true}};
        auto sockets = net::open_listen_sockets(eps, n);
        v4 = sockets[0].endpoint;
        v6 = sockets[1].endpoint;
        net::WorkerOptions opt;
        opt.answer = fake_answer;
        opt.tcp = limits;
        opt.tcp_connections = std::make_shared<std::atomic<std::uint32_t>>(0);
        for (unsigned i = 0; i < n; ++i) {
            std::vector<net::Fd> udp, tcp;
            for (auto& s : sockets) {
                udp.push_back(std::move(s.udp[i]));
                tcp.push_back(std::move(s.tcp[i]));
            }
            workers.push_back(
                std::make_unique<net::Worker>(i, publisher, opt, std::move(udp), std::move(tcp)));
        }
        for (auto& w : workers) {
            w->start();
        }
    }
    ~Servers()
    {
        for (auto& w : workers) {
            w->stop();
        }
    }
    Publisher publisher;
    config::Endpoint v4, v6;
    std::vector<std::unique_ptr<net::Worker>> workers;
};

net::Fd client(const config::Endpoint& ep, int type)
{
    net::Fd fd(::socket(ep.ipv6 ? AF_INET6 : AF_INET, type | SOCK_CLOEXEC, 0));
    REQUIRE(fd);
    timeval tv{3, 0}; // every blocking call of a test is bounded
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    auto a = net::SocketAddress::from(ep);
    REQUIRE(::connect(fd.get(), a.get(), a.len) == 0);
    return fd;
}

void send_all(const net::Fd& fd, const std::vector<std::uint8_t>& b)
{
    std::size_t off = 0;
    while (off < b.size()) {
        ssize_t n = ::send(fd.get(), b.data() + off, b.size() - off, MSG_NOSIGNAL);
        REQUIRE(n > 0);
        off += static_cast<std::size_t>(n);
    }
}

// Reads exactly n bytes; false on EOF, error or timeout.
bool recv_exact(const net::Fd& fd, std::uint8_t* p, std::size_t n)
{
    while (n > 0) {
        ssize_t r = ::recv(fd.get(), p, n, 0);
        if (r <= 0) {
            return false;
        }
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

// One framed TCP response; empty on EOF or timeout.
std::vector<std::uint8_t> read_tcp_message(const net::Fd& fd)
{
    std::uint8_t len[2];
    if (!recv_exact(fd, len, 2)) {
        return {};
    }
    std::vector<std::uint8_t> m((len[0] << 8) | len[1]);
    if (!recv_exact(fd, m.data(), m.size())) {
        return {};
    }
    return m;
}

std::uint16_t id_of(const std::vector<std::uint8_t>& m)
{
    return static_cast<std::uint16_t>((m[0] << 8) | m[1]);
}

std::uint64_t generation_of(const std::vector<std::uint8_t>& m)
{
    std::uint64_t g = 0;
    std::memcpy(&g, m.data() + query(0).size(), 8);
    return g;
}

// True when the server closed the connection within `limit` (recv returns 0 or a reset).
bool closed_within(const net::Fd& fd, std::chrono::milliseconds limit)
{
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) != 1) {
        return false;
    }
    std::uint8_t b;
    return ::recv(fd.get(), &b, 1, MSG_DONTWAIT) <= 0;
}

std::vector<std::uint8_t> udp_ask(const net::Fd& fd, std::uint16_t id)
{
    auto q = query(id);
    REQUIRE(::send(fd.get(), q.data(), q.size(), 0) == static_cast<ssize_t>(q.size()));
    std::vector<std::uint8_t> r(65535);
    ssize_t n = ::recv(fd.get(), r.data(), r.size(), 0);
    r.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return r;
}

} // namespace

TEST_CASE("udp over IPv4 and IPv6: every source port is answered by some worker")
{
    Servers s(2);
    for (const auto& ep : {s.v4, s.v6}) {
        for (std::uint16_t i = 0; i < 50; ++i) {
            auto fd = client(ep, SOCK_DGRAM); // a new source port each time
            auto r = udp_ask(fd, i);
            REQUIRE(r.size() == query(i).size() + 8);
            CHECK(id_of(r) == i);
            CHECK((r[2] & 0x80) != 0);
        }
    }
    std::uint64_t per_worker[2] = {s.workers[0]->stats().udp_queries,
                                   s.workers[1]->stats().udp_queries};
    CHECK(per_worker[0] + per_worker[1] == 100);
    // SO_REUSEPORT spreads by the 4-tuple hash: with 100 source ports both must get some.
    CHECK(per_worker[0] > 0);
    CHECK(per_worker[1] > 0);
}

TEST_CASE("udp: a burst is answered in batches, drops and runts are silent")
{
    Servers s(1);
    auto fd = client(s.v4, SOCK_DGRAM);
    int rcvbuf = 4 << 20;
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    for (std::uint16_t i = 0; i < 200; ++i) {
        auto q = query(i);
        REQUIRE(::send(fd.get(), q.data(), q.size(), 0) > 0);
    }
    std::uint8_t runt[5] = {1, 2, 3, 4, 5};
    ::send(fd.get(), runt, sizeof runt, 0);
    auto dropped = query(0xdead);
    ::send(fd.get(), dropped.data(), dropped.size(), 0);
    int got = 0;
    std::vector<std::uint8_t> r(65535);
    while (::recv(fd.get(), r.data(), r.size(), 0) > 0) {
        CHECK(id_of(r) != 0xdead);
        if (++got == 200) {
            break;
        }
    }
    CHECK(got == 200);
    // After the burst, the worker still answers.
    CHECK(id_of(udp_ask(fd, 7)) == 7);
}

TEST_CASE("tcp pipelining: queries written in one send are all answered, in order")
{
    Servers s(2);
    for (const auto& ep : {s.v4, s.v6}) {
        auto fd = client(ep, SOCK_STREAM);
        std::vector<std::uint8_t> all;
        for (std::uint16_t i = 0; i < 100; ++i) {
            auto f = framed(query(i));
            all.insert(all.end(), f.begin(), f.end());
        }
        send_all(fd, all);
        for (std::uint16_t i = 0; i < 100; ++i) {
            auto r = read_tcp_message(fd);
            REQUIRE(!r.empty());
            CHECK(id_of(r) == i);
        }
    }
}

TEST_CASE("tcp: a query split into single bytes is reassembled")
{
    Servers s(1);
    auto fd = client(s.v4, SOCK_STREAM);
    int one = 1;
    setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto f = framed(query(42));
    for (std::uint8_t b : f) {
        send_all(fd, {b});
        std::this_thread::sleep_for(2ms);
    }
    auto r = read_tcp_message(fd);
    REQUIRE(!r.empty());
    CHECK(id_of(r) == 42);
}

TEST_CASE("tcp: a half-closed client still gets every answer, then the server closes")
{
    Servers s(1);
    auto fd = client(s.v6, SOCK_STREAM);
    std::vector<std::uint8_t> all;
    for (std::uint16_t i = 0; i < 3; ++i) {
        auto f = framed(query(i));
        all.insert(all.end(), f.begin(), f.end());
    }
    send_all(fd, all);
    ::shutdown(fd.get(), SHUT_WR);
    for (std::uint16_t i = 0; i < 3; ++i) {
        auto r = read_tcp_message(fd);
        REQUIRE(!r.empty());
        CHECK(id_of(r) == i);
    }
    CHECK(closed_within(fd, 1s));
}

TEST_CASE("tcp: idle connections are closed after the timeout, active ones are not")
{
    net::TcpLimits limits;
    limits.idle_timeout_ms = 300;
    Servers s(1, limits);
    auto idle = client(s.v4, SOCK_STREAM);
    auto busy = client(s.v4, SOCK_STREAM);
    auto t0 = std::chrono::steady_clock::now();
    for (std::uint16_t i = 0; i < 6; ++i) {
        std::this_thread::sleep_for(100ms);
        send_all(busy, framed(query(i)));
        REQUIRE(id_of(read_tcp_message(busy)) == i);
    }
    CHECK(closed_within(idle, 2s));
    CHECK(std::chrono::steady_clock::now() - t0 >= 300ms);
    CHECK(closed_within(busy, 2s)); // then it too goes idle and is closed
}

TEST_CASE("tcp: the connection limit holds across workers, and a closed slot is reused")
{
    net::TcpLimits limits;
    limits.max_connections = 3;
    Servers s(2, limits);
    std::vector<net::Fd> open;
    for (std::uint16_t i = 0; i < 3; ++i) {
        open.push_back(client(i % 2 ? s.v6 : s.v4, SOCK_STREAM));
        send_all(open.back(), framed(query(i)));
        REQUIRE(id_of(read_tcp_message(open.back())) == i);
    }
    auto extra = client(s.v4, SOCK_STREAM);
    CHECK(closed_within(extra, 2s));
    for (std::uint16_t i = 0; i < 3; ++i) { // the admitted ones are undisturbed
        send_all(open[i], framed(query(10 + i)));
        CHECK(id_of(read_tcp_message(open[i])) == 10 + i);
    }
    open.pop_back(); // frees a slot (the server sees EOF and closes its side)
    std::this_thread::sleep_for(200ms);
    auto again = client(s.v4, SOCK_STREAM);
    send_all(again, framed(query(99)));
    auto r = read_tcp_message(again);
    REQUIRE(!r.empty());
    CHECK(id_of(r) == 99);
    std::uint64_t refused = s.workers[0]->stats().tcp_refused + s.workers[1]->stats().tcp_refused;
    CHECK(refused == 1);
}

TEST_CASE("tcp: garbage, oversize prefixes and half messages do not disturb other clients")
{
    net::TcpLimits limits;
    limits.max_message_size = 512;
    Servers s(1, limits);
    auto good = client(s.v4, SOCK_STREAM);

    auto oversize = client(s.v4, SOCK_STREAM);
    send_all(oversize, {0x02, 0x58, 1, 2, 3}); // 600 > 512
    CHECK(closed_within(oversize, 2s));

    auto zero = client(s.v4, SOCK_STREAM);
    send_all(zero, {0x00, 0x00});
    CHECK(closed_within(zero, 2s));

    auto half = client(s.v4, SOCK_STREAM);
    auto f = framed(query(5));
    send_all(half, std::vector<std::uint8_t>(f.begin(), f.begin() + 7));
    half = net::Fd(); // closes with a half message buffered

    auto garbage = client(s.v4, SOCK_STREAM);
    std::vector<std::uint8_t> junk{0, 12};
    junk.resize(2 + 12, 0xee);
    junk.insert(junk.end(), {0, 3, 0xff, 0xff, 0xff});
    send_all(garbage, junk); // a 12-byte nonsense header, then a 3-byte message
    auto r = read_tcp_message(garbage);
    REQUIRE(r.size() == 20); // the fake echoes anything of header size
    CHECK(closed_within(garbage, 2s)); // shorter than a header is not DNS: closed, as knotd does
    garbage = net::Fd();

    auto reset = client(s.v4, SOCK_STREAM);
    send_all(reset, framed(query(kBigId)));
    linger lg{1, 0}; // close with RST while the big answer is being written
    setsockopt(reset.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    reset = net::Fd();

    send_all(good, framed(query(77)));
    auto g = read_tcp_message(good);
    REQUIRE(!g.empty());
    CHECK(id_of(g) == 77);
    auto u = client(s.v4, SOCK_DGRAM);
    CHECK(id_of(udp_ask(u, 78)) == 78);
}

TEST_CASE("tcp back-pressure: a client that reads late still gets every answer in order")
{
    Servers s(1);
    auto fd = client(s.v4, SOCK_STREAM);
    constexpr int kCount = 300; // 300 x 30 kB = 9 MB of answers: far beyond socket buffers
    std::thread writer([&] {
        std::vector<std::uint8_t> all;
        for (int i = 0; i < kCount; ++i) {
            auto q = query(kBigId);
            q[2] = static_cast<std::uint8_t>(i >> 8); // the sequence rides in the flags
            q[3] = static_cast<std::uint8_t>(i);
            auto f = framed(q);
            all.insert(all.end(), f.begin(), f.end());
        }
        send_all(fd, all);
    });
    std::this_thread::sleep_for(500ms); // the server fills its queue and stops reading
    int got = 0;
    for (; got < kCount; ++got) {
        auto r = read_tcp_message(fd);
        if (r.size() != kBigSize) {
            break;
        }
        if (((r[2] & 0x7f) << 8 | r[3]) != got) {
            break;
        }
    }
    writer.join();
    CHECK(got == kCount);
}

TEST_CASE("publish, then at once ask every worker from many ports: never the old catalog")
{
    Servers s(2);
    std::vector<net::Fd> udp;
    std::vector<net::Fd> tcp;
    for (int i = 0; i < 16; ++i) {
        udp.push_back(client(i % 2 ? s.v6 : s.v4, SOCK_DGRAM));
        tcp.push_back(client(i % 2 ? s.v6 : s.v4, SOCK_STREAM));
    }
    for (std::uint64_t gen = 2; gen < 60; ++gen) {
        auto cat = std::make_shared<const snapshot::Catalog>(std::vector<snapshot::ZoneRef>{}, gen);
        REQUIRE(s.publisher.publish_and_wait(cat, 2s));
        for (std::size_t i = 0; i < udp.size(); ++i) {
            auto r = udp_ask(udp[i], static_cast<std::uint16_t>(i));
            REQUIRE(!r.empty());
            CHECK(generation_of(r) == gen);
            send_all(tcp[i], framed(query(static_cast<std::uint16_t>(i))));
            auto t = read_tcp_message(tcp[i]);
            REQUIRE(!t.empty());
            CHECK(generation_of(t) == gen);
        }
    }
}

TEST_CASE("idle workers pick a publish up quickly, and the old catalog is freed")
{
    Servers s(2);
    std::weak_ptr<const snapshot::Catalog> first = s.publisher.current();
    auto t0 = std::chrono::steady_clock::now();
    auto cat = std::make_shared<const snapshot::Catalog>(std::vector<snapshot::ZoneRef>{}, 2);
    REQUIRE(s.publisher.publish_and_wait(cat, 2s));
    CHECK(std::chrono::steady_clock::now() - t0 < 500ms);
    CHECK(first.expired());
}

TEST_CASE("a port held by another socket is refused, even with SO_REUSEPORT on both")
{
    Servers s(1);
    std::vector<config::Endpoint> eps{s.v4};
    CHECK_THROWS_AS(net::open_listen_sockets(eps, 1), net::BindError);
    try {
        net::open_listen_sockets(eps, 1);
    } catch (const net::BindError& e) {
        CHECK(std::string(e.what()).find("cannot bind " + s.v4.to_string() + " (udp)") == 0);
    }
}

TEST_CASE("no allocation per packet: udp batches and a warm tcp connection")
{
    Servers s(2);
    // Everything the client needs is built before counting starts.
    std::vector<std::vector<std::uint8_t>> qs;
    std::vector<std::uint8_t> pipelined;
    for (std::uint16_t i = 0; i < 100; ++i) {
        qs.push_back(query(i));
        auto f = framed(qs.back());
        pipelined.insert(pipelined.end(), f.begin(), f.end());
    }
    std::vector<std::uint8_t> reply(65535);
    auto u4 = client(s.v4, SOCK_DGRAM);
    auto u6 = client(s.v6, SOCK_DGRAM);
    auto t = client(s.v4, SOCK_STREAM);
    auto roundtrip = [&](const net::Fd& fd, const std::vector<std::uint8_t>& q) {
        return ::send(fd.get(), q.data(), q.size(), 0) > 0 &&
               ::recv(fd.get(), reply.data(), reply.size(), 0) > 0;
    };
    auto tcp_round = [&] {
        std::size_t off = 0;
        while (off < pipelined.size()) {
            ssize_t n = ::send(t.get(), pipelined.data() + off, pipelined.size() - off, 0);
            if (n <= 0) {
                return false;
            }
            off += static_cast<std::size_t>(n);
        }
        std::size_t want = 100 * (2 + qs[0].size() + 8);
        for (std::size_t got = 0; got < want;) {
            ssize_t n = ::recv(t.get(), reply.data(), std::min(reply.size(), want - got), 0);
            if (n <= 0) {
                return false;
            }
            got += static_cast<std::size_t>(n);
        }
        return true;
    };
    // Warm up: first pickups, the TCP session's buffers reach their working size.
    REQUIRE(roundtrip(u4, qs[0]));
    REQUIRE(roundtrip(u6, qs[0]));
    REQUIRE(tcp_round());
    std::uint64_t before = allocations_so_far();
    bool ok = true;
    for (int round = 0; round < 5; ++round) {
        for (const auto& q : qs) {
            ok = ok && roundtrip(u4, q) && roundtrip(u6, q);
        }
        ok = ok && tcp_round();
    }
    std::uint64_t after = allocations_so_far();
    CHECK(ok);
    CHECK(after - before == 0);
}

// worker.hpp -- one worker: a libuv loop on its own thread, its own UDP and TCP sockets for
// every listen address (SO_REUSEPORT), and its own reference to the published catalog, checked
// once per receive batch (DESIGN §3). The network code knows framing only; the DNS meaning is
// the answer function's (engine::answer in dnsd, a fake in some tests).
#pragma once

#include "dnsd/engine/answer.hpp"
#include "dnsd/net/socket.hpp"
#include "dnsd/publish.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <thread>
#include <unordered_set>
#include <uv.h>
#include <vector>

namespace nuage::dnsd::net {

class UdpListener;
class TcpListener;
class TcpSession;

using AnswerFn = std::size_t (*)(const snapshot::Catalog&, std::span<const std::uint8_t>,
                                 std::span<std::uint8_t>, engine::Transport) noexcept;

struct TcpLimits {
    std::uint32_t idle_timeout_ms = 10000;     // RFC 7766 §6.2.3
    std::uint32_t max_message_size = 65535;    // a longer length prefix closes the connection
    std::uint32_t max_connections = 1024;      // over all workers sharing `connections`
    std::size_t max_queued_bytes = 128 * 1024; // back-pressure: stop reading above this
};

struct WorkerOptions {
    AnswerFn answer = nullptr;
    TcpLimits tcp;
    // Shared by every worker so that max_connections is one limit for the whole daemon.
    std::shared_ptr<std::atomic<std::uint32_t>> tcp_connections;
};

// Counters for logs and (later) metrics; written by the worker, read from anywhere.
struct WorkerStats {
    std::atomic<std::uint64_t> udp_queries{0};
    std::atomic<std::uint64_t> udp_replies{0};
    std::atomic<std::uint64_t> udp_send_failures{0};
    std::atomic<std::uint64_t> tcp_queries{0};
    std::atomic<std::uint64_t> tcp_accepted{0};
    std::atomic<std::uint64_t> tcp_refused{0}; // over the connection limit
};

class Worker {
public:
    // `udp` and `tcp`: this worker's sockets (one per listen address), taken over.
    Worker(unsigned id, Publisher& publisher, WorkerOptions options, std::vector<Fd> udp,
           std::vector<Fd> tcp);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void start(); // runs the loop on a new thread
    void stop();  // closes every socket and connection, then joins the thread

    unsigned id() const { return id_; }
    const WorkerStats& stats() const { return stats_; }

    // ---- for the listeners and sessions (loop thread only) --------------------------------
    // One acquire load; picks the new catalog up when the generation moved.
    void refresh_catalog()
    {
        if (publisher_.generation() != seen_) {
            publisher_.pick_up(reader_id_, catalog_, seen_);
        }
    }
    std::size_t answer(std::span<const std::uint8_t> query, std::span<std::uint8_t> out,
                       engine::Transport t) const noexcept
    {
        return options_.answer(*catalog_, query, out, t);
    }
    uv_loop_t* loop() { return &loop_; }
    const TcpLimits& tcp_limits() const { return options_.tcp; }
    WorkerStats& mutable_stats() { return stats_; }
    // A buffer of engine::kMaxMessage bytes for one TCP answer at a time.
    std::span<std::uint8_t> tcp_scratch() { return {tcp_scratch_.get(), engine::kMaxMessage}; }
    void accept(uv_stream_t* server);
    void session_closed(TcpSession* s, bool counted);

private:
    static void on_wake(uv_async_t* h);
    void shutdown();

    unsigned id_;
    Publisher& publisher_;
    WorkerOptions options_;
    std::size_t reader_id_;
    snapshot::CatalogRef catalog_;
    std::uint64_t seen_ = 0;
    WorkerStats stats_;

    uv_loop_t loop_{};
    uv_async_t wake_{};
    std::atomic<bool> stopping_{false};
    bool started_ = false;
    std::vector<std::unique_ptr<UdpListener>> udp_;
    std::vector<std::unique_ptr<TcpListener>> tcp_;
    std::unordered_set<TcpSession*> sessions_;
    std::unique_ptr<std::uint8_t[]> tcp_scratch_;
    std::thread thread_;
};

} // namespace nuage::dnsd::net

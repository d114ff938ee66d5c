#include "dnsd/net/worker.hpp"

#include "dnsd/log.hpp"
#include "dnsd/net/tcp_session.hpp"
#include "dnsd/net/udp_listener.hpp"

#include <csignal>
#include <pthread.h>

namespace nuage::dnsd::net {

namespace {

bool bound_to_wildcard(const Fd& fd)
{
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    getsockname(fd.get(), reinterpret_cast<sockaddr*>(&ss), &len);
    if (ss.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr;
        return IN6_IS_ADDR_UNSPECIFIED(&a);
    }
    return reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr.s_addr == htonl(INADDR_ANY);
}

} // namespace

Worker::Worker(unsigned id, Publisher& publisher, WorkerOptions options, std::vector<Fd> udp,
               std::vector<Fd> tcp)
    : id_(id), publisher_(publisher), options_(std::move(options)),
      tcp_scratch_(new std::uint8_t[engine::kMaxMessage])
{
    if (!options_.tcp_connections) {
        options_.tcp_connections = std::make_shared<std::atomic<std::uint32_t>>(0);
    }
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &wake_, on_wake);
    wake_.data = this;
    for (auto& fd : udp) {
        bool pktinfo = bound_to_wildcard(fd);
        udp_.push_back(std::make_unique<UdpListener>(*this, std::move(fd), pktinfo));
    }
    for (auto& fd : tcp) {
        tcp_.push_back(std::make_unique<TcpListener>(*this, std::move(fd)));
    }
    // uv_async_send is the one libuv call that is safe from another thread.
    reader_id_ = publisher_.add_reader([this] { uv_async_send(&wake_); });
    publisher_.pick_up(reader_id_, catalog_, seen_);
}

Worker::~Worker()
{
    if (started_) {
        stop();
    } else {
        // Never started: the handles still need closing before the loop can be closed.
        publisher_.remove_reader(reader_id_);
        shutdown();
        uv_run(&loop_, UV_RUN_DEFAULT);
    }
    uv_loop_close(&loop_);
}

void Worker::start()
{
    started_ = true;
    for (auto& u : udp_) {
        u->start();
    }
    for (auto& t : tcp_) {
        t->start();
    }
    thread_ = std::thread([this] {
        // Signals go to the main thread (it waits for SIGINT/SIGTERM), never to a worker.
        sigset_t all;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, nullptr);
        try {
            uv_run(&loop_, UV_RUN_DEFAULT);
        } catch (const std::exception& e) {
            log().critical("worker {}: stopped by an exception: {}", id_, e.what());
        }
    });
}

void Worker::stop()
{
    if (!thread_.joinable()) {
        return;
    }
    publisher_.remove_reader(reader_id_);
    stopping_.store(true, std::memory_order_release);
    uv_async_send(&wake_);
    thread_.join();
    log().debug("worker {}: stopped after {} udp queries ({} replies, {} unsent) and {} tcp "
                "queries ({} connections, {} refused)",
                id_, stats_.udp_queries.load(), stats_.udp_replies.load(),
                stats_.udp_send_failures.load(), stats_.tcp_queries.load(),
                stats_.tcp_accepted.load(), stats_.tcp_refused.load());
}

void Worker::on_wake(uv_async_t* h)
{
    auto* self = static_cast<Worker*>(h->data);
    if (self->stopping_.load(std::memory_order_acquire)) {
        self->shutdown();
        return;
    }
    // A publish while this loop was idle: pick it up now so publish_and_wait can return.
    self->refresh_catalog();
}

void Worker::shutdown()
{
    // Closing every handle lets uv_run return by itself, with nothing leaked.
    for (auto& u : udp_) {
        u->close();
    }
    for (auto& t : tcp_) {
        t->close();
    }
    std::vector<TcpSession*> open(sessions_.begin(), sessions_.end());
    for (TcpSession* s : open) {
        s->close();
    }
    uv_close(reinterpret_cast<uv_handle_t*>(&wake_), nullptr);
    catalog_.reset();
}

void Worker::accept(uv_stream_t* server)
{
    auto& count = *options_.tcp_connections;
    bool refuse = count.fetch_add(1, std::memory_order_relaxed) >= options_.tcp.max_connections;
    if (refuse) {
        count.fetch_sub(1, std::memory_order_relaxed);
        stats_.tcp_refused.fetch_add(1, std::memory_order_relaxed);
    } else {
        stats_.tcp_accepted.fetch_add(1, std::memory_order_relaxed);
    }
    auto* s = new TcpSession(*this, server, refuse);
    if (!s->closing()) {
        sessions_.insert(s);
    }
}

void Worker::session_closed(TcpSession* s, bool counted)
{
    sessions_.erase(s);
    if (counted) {
        options_.tcp_connections->fetch_sub(1, std::memory_order_relaxed);
    }
}

} // namespace nuage::dnsd::net

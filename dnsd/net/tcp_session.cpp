#include "dnsd/net/tcp_session.hpp"

#include "dnsd/log.hpp"
#include "dnsd/net/worker.hpp"

#include <cstring>
#include <new>

namespace nuage::dnsd::net {

namespace {

// Room for a typical query and its prefix; grows only for a longer message.
constexpr std::size_t kInitialBuffer = 1024;

} // namespace

// ---- TcpListener ---------------------------------------------------------------------------

TcpListener::TcpListener(Worker& worker, Fd fd) : worker_(worker)
{
    uv_tcp_init(worker_.loop(), &handle_);
    uv_tcp_open(&handle_, fd.release()); // libuv owns and closes it from now on
    handle_.data = this;
}

void TcpListener::start()
{
    // The socket already listens (bound before the workers start); this registers the callback.
    int rc = uv_listen(reinterpret_cast<uv_stream_t*>(&handle_), SOMAXCONN, on_connection);
    if (rc != 0) {
        log().error("worker {}: tcp listen failed: {}", worker_.id(), uv_strerror(rc));
    }
}

void TcpListener::close()
{
    uv_close(reinterpret_cast<uv_handle_t*>(&handle_), nullptr);
}

void TcpListener::on_connection(uv_stream_t* server, int status)
{
    auto* self = static_cast<TcpListener*>(server->data);
    if (status < 0) {
        return; // e.g. EMFILE: the next connection event retries
    }
    self->worker_.accept(server);
}

// ---- TcpSession ----------------------------------------------------------------------------

TcpSession::TcpSession(Worker& worker, uv_stream_t* server, bool refuse) : worker_(worker)
{
    uv_tcp_init(worker_.loop(), &tcp_);
    uv_timer_init(worker_.loop(), &idle_);
    tcp_.data = this;
    idle_.data = this;
    write_req_.data = this;
    counted_ = !refuse;
    if (uv_accept(server, stream()) != 0 || refuse) {
        // Beyond the connection limit: accept and close at once, so that the client learns it
        // now instead of waiting in the backlog (RFC 7766 §6.2.2 lets servers limit).
        close();
        return;
    }
    in_.resize(kInitialBuffer);
    uv_timer_start(&idle_, on_idle, worker_.tcp_limits().idle_timeout_ms, 0);
    update_reading();
}

void TcpSession::close()
{
    if (closing_) {
        return;
    }
    closing_ = true;
    worker_.session_closed(this, counted_);
    counted_ = false;
    // A write in progress is cancelled: on_write runs first with UV_ECANCELED, then on_closed.
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), on_closed);
    uv_close(reinterpret_cast<uv_handle_t*>(&idle_), on_closed);
}

void TcpSession::on_closed(uv_handle_t* h)
{
    auto* self = static_cast<TcpSession*>(h->data);
    if (--self->open_handles_ == 0) {
        delete self;
    }
}

void TcpSession::on_idle(uv_timer_t* t)
{
    // RFC 7766 §6.2.3: an idle connection is closed by the server.
    static_cast<TcpSession*>(t->data)->close();
}

void TcpSession::on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf)
{
    auto* self = static_cast<TcpSession*>(h->data);
    // Read into the free tail of the session's own buffer: no allocation per read.
    *buf = uv_buf_init(reinterpret_cast<char*>(self->in_.data() + self->in_len_),
                       static_cast<unsigned>(self->in_.size() - self->in_len_));
}

void TcpSession::on_read(uv_stream_t* s, ssize_t n, const uv_buf_t*)
{
    auto* self = static_cast<TcpSession*>(s->data);
    try {
        self->received(n);
    } catch (const std::bad_alloc&) {
        log().error("worker {}: out of memory on a tcp connection, closed", self->worker_.id());
        self->close();
    }
}

void TcpSession::received(ssize_t n)
{
    if (n == UV_EOF) {
        // The client is done sending; what it sent in full is still answered (RFC 7766 §6.2.4
        // lets a client half-close). A half message is discarded with the connection.
        eof_ = true;
        process();
        return;
    }
    if (n < 0) {
        close(); // reset, or another error: nothing can be sent back
        return;
    }
    if (n == 0 || eof_) {
        return; // EAGAIN, or input after the end we decided on (a bad length prefix)
    }
    in_len_ += static_cast<std::size_t>(n);
    worker_.refresh_catalog();
    std::uint64_t before = messages_;
    process();
    // The idle timer runs from the last complete message, not the last byte: a client that
    // drips a message a byte at a time cannot hold a connection slot (RFC 7766 §6.2.3, §10).
    if (!closing_ && messages_ != before) {
        uv_timer_start(&idle_, on_idle, worker_.tcp_limits().idle_timeout_ms, 0);
    }
}

bool TcpSession::complete_message_buffered() const
{
    if (in_len_ < 2) {
        return false;
    }
    std::size_t len = (std::size_t{in_[0]} << 8) | in_[1];
    return in_len_ >= 2 + len;
}

void TcpSession::process()
{
    // Answer what is buffered until back-pressure; when the writes then went straight into the
    // socket, nothing would call us again, so go round until the buffer or the socket is full.
    do {
        if (!answer_buffered()) {
            return; // closed
        }
        flush();
        if (closing_) {
            return;
        }
    } while (!writing_ && complete_message_buffered());
    if (eof_ && !writing_ && pending_.empty()) {
        close();
        return;
    }
    update_reading();
}

bool TcpSession::answer_buffered()
{
    std::size_t pos = 0;
    const std::size_t max_size = worker_.tcp_limits().max_message_size;
    while (queued_bytes() < worker_.tcp_limits().max_queued_bytes && in_len_ - pos >= 2) {
        std::size_t len = (std::size_t{in_[pos]} << 8) | in_[pos + 1];
        if (len < 12 || len > max_size) {
            // Shorter than a DNS header is not DNS (knotd and nsd close too); longer than we
            // accept is an attack. Answers already queued are sent, then the connection closes
            // as after the client's EOF; nothing more is read.
            eof_ = true;
            in_len_ = 0;
            return true;
        }
        if (in_len_ - pos < 2 + len) {
            break; // partial: wait for the rest
        }
        answer_one(in_.data() + pos + 2, len);
        ++messages_;
        pos += 2 + len;
    }
    if (pos > 0) {
        std::memmove(in_.data(), in_.data() + pos, in_len_ - pos);
        in_len_ -= pos;
    }
    if (in_len_ >= 2) {
        std::size_t need = 2 + ((std::size_t{in_[0]} << 8) | in_[1]);
        if (need > in_.size() && need <= 2 + max_size) {
            in_.resize(need);
        }
    }
    return true;
}

void TcpSession::answer_one(const std::uint8_t* msg, std::size_t len)
{
    worker_.mutable_stats().tcp_queries.fetch_add(1, std::memory_order_relaxed);
    std::span<std::uint8_t> out = worker_.tcp_scratch();
    std::size_t n = worker_.answer({msg, len}, out, engine::Transport::Tcp);
    if (n == 0 || n > 65535) {
        return; // dropped by the engine: nothing is written for this message
    }
    std::size_t at = pending_.size();
    pending_.resize(at + 2 + n);
    pending_[at] = static_cast<std::uint8_t>(n >> 8);
    pending_[at + 1] = static_cast<std::uint8_t>(n);
    std::memcpy(pending_.data() + at + 2, out.data(), n);
}

void TcpSession::flush()
{
    if (writing_ || pending_.empty() || closing_) {
        return;
    }
    // Most responses fit the socket buffer: try a direct write first (no request queued).
    uv_buf_t b = uv_buf_init(reinterpret_cast<char*>(pending_.data()),
                             static_cast<unsigned>(pending_.size()));
    int rc = uv_try_write(stream(), &b, 1);
    if (rc == static_cast<int>(pending_.size())) {
        pending_.clear();
        return;
    }
    if (rc < 0 && rc != UV_EAGAIN) {
        close();
        return;
    }
    // Partial write: hand the rest to libuv, keep the buffer alive until on_write.
    std::size_t done = rc > 0 ? static_cast<std::size_t>(rc) : 0;
    flight_.assign(pending_.begin() + static_cast<std::ptrdiff_t>(done), pending_.end());
    pending_.clear();
    uv_buf_t rest =
        uv_buf_init(reinterpret_cast<char*>(flight_.data()), static_cast<unsigned>(flight_.size()));
    writing_ = true;
    if (uv_write(&write_req_, stream(), &rest, 1, on_write) != 0) {
        writing_ = false;
        close();
    }
}

void TcpSession::on_write(uv_write_t* req, int status)
{
    auto* self = static_cast<TcpSession*>(req->data);
    self->writing_ = false;
    self->flight_.clear();
    if (self->closing_) {
        return; // cancelled by close(); on_closed frees the session
    }
    if (status < 0) {
        self->close();
        return;
    }
    uv_timer_start(&self->idle_, on_idle, self->worker_.tcp_limits().idle_timeout_ms, 0);
    try {
        self->process(); // answers what back-pressure held back, resumes reading
    } catch (const std::bad_alloc&) {
        self->close();
    }
}

void TcpSession::update_reading()
{
    // Back-pressure: a client that does not read its answers stops being read (RFC 7766 §6.2.6
    // wants servers to protect themselves), and a buffered complete message waits its turn.
    bool want = !eof_ && !closing_ && queued_bytes() < worker_.tcp_limits().max_queued_bytes &&
                !complete_message_buffered() && in_len_ < in_.size();
    if (want && !reading_) {
        reading_ = uv_read_start(stream(), on_alloc, on_read) == 0;
    } else if (!want && reading_) {
        uv_read_stop(stream());
        reading_ = false;
    }
}

} // namespace nuage::dnsd::net

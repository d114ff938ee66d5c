// tcp_session.hpp -- DNS over TCP per RFC 7766: a worker's listening socket (TcpListener) and
// one accepted connection (TcpSession). Messages carry a 2-byte length prefix (RFC 1035
// §4.2.2); every complete message in the buffer is answered, in order (pipelining, RFC 7766
// §6.2.1.1); responses are written in that order. Idle connections close (§6.2.3), long
// length prefixes close, and reading stops while too many response bytes are queued.
#pragma once

#include "dnsd/net/socket.hpp"

#include <cstdint>
#include <uv.h>
#include <vector>

namespace nuage::dnsd::net {

class Worker;

class TcpListener {
public:
    TcpListener(Worker& worker, Fd fd);
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;

    void start();
    void close();

private:
    static void on_connection(uv_stream_t* server, int status);

    Worker& worker_;
    uv_tcp_t handle_{};
};

class TcpSession {
public:
    // Accepts a pending connection of `server`; closes it at once when `refuse` is set.
    TcpSession(Worker& worker, uv_stream_t* server, bool refuse);
    TcpSession(const TcpSession&) = delete;
    TcpSession& operator=(const TcpSession&) = delete;

    // Closes the connection; the session deletes itself once libuv has let go of it.
    void close();
    bool closing() const { return closing_; }

private:
    static void on_alloc(uv_handle_t* h, std::size_t suggested, uv_buf_t* buf);
    static void on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf);
    static void on_write(uv_write_t* req, int status);
    static void on_idle(uv_timer_t* t);
    static void on_closed(uv_handle_t* h);

    void received(ssize_t n);
    void process();
    bool answer_buffered(); // false when the connection was closed
    void answer_one(const std::uint8_t* msg, std::size_t len);
    void flush();
    void update_reading();
    bool complete_message_buffered() const;
    std::size_t queued_bytes() const { return pending_.size() + (writing_ ? flight_.size() : 0); }
    uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&tcp_); }

    Worker& worker_;
    uv_tcp_t tcp_{};
    uv_timer_t idle_{};
    uv_write_t write_req_{};
    int open_handles_ = 2;
    bool counted_ = false; // holds one of the daemon's max_connections slots
    bool reading_ = false;
    bool writing_ = false;
    bool eof_ = false; // the client shut its side: answer what is buffered, then close
    bool closing_ = false;

    std::vector<std::uint8_t> in_; // grows to the message being read, up to 2 + max size
    std::size_t in_len_ = 0;
    std::uint64_t messages_ = 0; // complete messages read: each one restarts the idle timer
    std::vector<std::uint8_t> pending_; // framed responses not yet handed to a write
    std::vector<std::uint8_t> flight_;  // the bytes of the write in progress
};

} // namespace nuage::dnsd::net

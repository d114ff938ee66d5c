// socket.hpp -- listening sockets made by hand: one UDP and one TCP socket per listen address
// per worker, all with SO_REUSEPORT so the kernel spreads packets and connections over the
// workers (Debian 12's libuv 1.44 has no reuse-port bind flag; Knot Resolver daemon/io.c does
// the same). Bind failures are reported before any worker starts.
#pragma once

#include "dnsd/config.hpp"

#include <netinet/in.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <utility>
#include <vector>

namespace nuage::dnsd::net {

// An owned file descriptor (closed on destruction).
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Fd& operator=(Fd&& o) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();

    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }
    explicit operator bool() const { return fd_ >= 0; }

private:
    int fd_ = -1;
};

struct BindError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t len = 0;

    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
    int family() const { return storage.ss_family; }
    static SocketAddress from(const config::Endpoint& ep);
};

// "127.0.0.1:5300" / "[::1]:5300" for a socket address (logs only).
std::string to_string(const sockaddr* sa);
// True for 0.0.0.0 and ::, where replies need IP_PKTINFO to leave from the queried address.
bool is_wildcard(const config::Endpoint& ep);

// Every worker's sockets for one listen address.
struct ListenSockets {
    config::Endpoint endpoint; // with the port actually bound (port 0 resolved)
    std::vector<Fd> udp;       // one per worker
    std::vector<Fd> tcp;       // one per worker, already listening
};

// Opens `workers` UDP and TCP sockets on each endpoint. An endpoint already bound by anyone
// (even another dnsd with SO_REUSEPORT) is refused: a probe socket binds it first without the
// option. Port 0 picks a free port, the same for UDP and TCP. Throws BindError naming the
// address and the reason.
std::vector<ListenSockets> open_listen_sockets(const std::vector<config::Endpoint>& endpoints,
                                               unsigned workers);

} // namespace nuage::dnsd::net

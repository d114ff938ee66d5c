#include "dnsd/net/socket.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/tcp.h>
#include <unistd.h>

namespace nuage::dnsd::net {

Fd& Fd::operator=(Fd&& o) noexcept
{
    if (this != &o) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
}

Fd::~Fd()
{
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

SocketAddress SocketAddress::from(const config::Endpoint& ep)
{
    SocketAddress a;
    if (ep.ipv6) {
        auto* s6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(ep.port);
        inet_pton(AF_INET6, ep.address.c_str(), &s6->sin6_addr);
        a.len = sizeof(sockaddr_in6);
    } else {
        auto* s4 = reinterpret_cast<sockaddr_in*>(&a.storage);
        s4->sin_family = AF_INET;
        s4->sin_port = htons(ep.port);
        inet_pton(AF_INET, ep.address.c_str(), &s4->sin_addr);
        a.len = sizeof(sockaddr_in);
    }
    return a;
}

std::string to_string(const sockaddr* sa)
{
    char buf[INET6_ADDRSTRLEN] = "?";
    if (sa->sa_family == AF_INET6) {
        const auto* s6 = reinterpret_cast<const sockaddr_in6*>(sa);
        inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof buf);
        return "[" + std::string(buf) + "]:" + std::to_string(ntohs(s6->sin6_port));
    }
    const auto* s4 = reinterpret_cast<const sockaddr_in*>(sa);
    inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof buf);
    return std::string(buf) + ":" + std::to_string(ntohs(s4->sin_port));
}

bool is_wildcard(const config::Endpoint& ep)
{
    return ep.address == "0.0.0.0" || ep.address == "::";
}

namespace {

constexpr int kUdpSocketBuffer = 4 << 20;

[[noreturn]] void fail(const config::Endpoint& ep, const char* proto, const char* what, int err)
{
    throw BindError("cannot " + std::string(what) + " " + ep.to_string() + " (" + proto +
                    "): " + std::strerror(err));
}

void set_int(const config::Endpoint& ep, const char* proto, int fd, int level, int opt, int v)
{
    if (setsockopt(fd, level, opt, &v, sizeof v) != 0) {
        fail(ep, proto, "set options on", errno);
    }
}

Fd make_socket(const config::Endpoint& ep, int type)
{
    const char* proto = type == SOCK_DGRAM ? "udp" : "tcp";
    Fd fd(::socket(ep.ipv6 ? AF_INET6 : AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
        fail(ep, proto, "open a socket for", errno);
    }
    if (ep.ipv6) {
        // An IPv6 socket answers IPv6 only: "[::]:53" must not shadow "0.0.0.0:53".
        set_int(ep, proto, fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, 1);
    }
    return fd;
}

void bind_to(const config::Endpoint& ep, int type, const Fd& fd)
{
    SocketAddress a = SocketAddress::from(ep);
    if (::bind(fd.get(), a.get(), a.len) != 0) {
        fail(ep, type == SOCK_DGRAM ? "udp" : "tcp", "bind", errno);
    }
}

std::uint16_t bound_port(const Fd& fd)
{
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    getsockname(fd.get(), reinterpret_cast<sockaddr*>(&ss), &len);
    if (ss.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    }
    return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

// Binds `ep` without SO_REUSEPORT: fails if any socket (ours or another process's) holds it.
// Returns the port (the one the kernel chose when ep.port is 0).
std::uint16_t probe_once(config::Endpoint ep)
{
    Fd udp = make_socket(ep, SOCK_DGRAM);
    bind_to(ep, SOCK_DGRAM, udp);
    ep.port = bound_port(udp);
    Fd tcp = make_socket(ep, SOCK_STREAM);
    // SO_REUSEADDR lets TIME_WAIT leftovers pass but still fails on a listening socket.
    set_int(ep, "tcp", tcp.get(), SOL_SOCKET, SO_REUSEADDR, 1);
    bind_to(ep, SOCK_STREAM, tcp);
    return ep.port;
}

std::uint16_t probe(const config::Endpoint& ep)
{
    // Port 0: the kernel picks a free UDP port, whose TCP twin may be taken (a client's
    // ephemeral port); pick again a few times before giving up.
    for (int attempt = 0; ep.port == 0 && attempt < 20; ++attempt) {
        try {
            return probe_once(ep);
        } catch (const BindError&) {
        }
    }
    return probe_once(ep);
}

Fd open_udp(const config::Endpoint& ep)
{
    Fd fd = make_socket(ep, SOCK_DGRAM);
    set_int(ep, "udp", fd.get(), SOL_SOCKET, SO_REUSEPORT, 1);
    // Room for bursts while the worker is descheduled; best effort (capped by rmem_max).
    int buf = kUdpSocketBuffer;
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    if (is_wildcard(ep)) {
        // Replies must leave from the address the query came to (RFC 1123 §6.1.3.5 spirit);
        // the worker copies the received destination into the reply's control data.
        if (ep.ipv6) {
            set_int(ep, "udp", fd.get(), IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
        } else {
            set_int(ep, "udp", fd.get(), IPPROTO_IP, IP_PKTINFO, 1);
        }
    }
    bind_to(ep, SOCK_DGRAM, fd);
    return fd;
}

Fd open_tcp(const config::Endpoint& ep)
{
    Fd fd = make_socket(ep, SOCK_STREAM);
    set_int(ep, "tcp", fd.get(), SOL_SOCKET, SO_REUSEADDR, 1);
    set_int(ep, "tcp", fd.get(), SOL_SOCKET, SO_REUSEPORT, 1);
    // Accepted sockets inherit it: a pipelined answer must not wait for the previous ACK.
    set_int(ep, "tcp", fd.get(), IPPROTO_TCP, TCP_NODELAY, 1);
    bind_to(ep, SOCK_STREAM, fd);
    if (::listen(fd.get(), SOMAXCONN) != 0) {
        fail(ep, "tcp", "listen on", errno);
    }
    return fd;
}

} // namespace

std::vector<ListenSockets> open_listen_sockets(const std::vector<config::Endpoint>& endpoints,
                                               unsigned workers)
{
    std::vector<ListenSockets> out;
    for (const auto& configured : endpoints) {
        ListenSockets ls;
        ls.endpoint = configured;
        ls.endpoint.port = probe(configured);
        for (unsigned i = 0; i < workers; ++i) {
            ls.udp.push_back(open_udp(ls.endpoint));
            ls.tcp.push_back(open_tcp(ls.endpoint));
        }
        out.push_back(std::move(ls));
    }
    return out;
}

} // namespace nuage::dnsd::net

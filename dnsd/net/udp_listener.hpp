// udp_listener.hpp -- one worker's UDP socket for one listen address: a uv_poll_t on the
// socket, datagrams read with recvmmsg and answered with sendmmsg in batches, into buffers the
// listener owns (no allocation per packet). Framing only: each datagram is one message.
#pragma once

#include "dnsd/net/socket.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <sys/socket.h>
#include <uv.h>

namespace nuage::dnsd::net {

class Worker;

class UdpListener {
public:
    // Datagrams per recvmmsg/sendmmsg call (the measurement is in udp_listener.cpp).
    static constexpr int kBatch = 32;
    // A query longer than this is dropped (MSG_TRUNC): real queries are a few hundred bytes.
    static constexpr std::size_t kMaxQuery = 4096;

    UdpListener(Worker& worker, Fd fd, bool wants_pktinfo);
    UdpListener(const UdpListener&) = delete;
    UdpListener& operator=(const UdpListener&) = delete;

    void start(); // begins polling (loop thread)
    void close(); // stops polling and closes the socket when the loop lets go of it

private:
    static void on_readable(uv_poll_t* h, int status, int events);
    static void on_closed(uv_handle_t* h);
    int receive_batch(); // returns the number of datagrams read (0: none left)
    void send_batch(int count);
    void prepare_reply_control(msghdr& rx, msghdr& tx);

    Worker& worker_;
    Fd fd_;
    bool pktinfo_;
    uv_poll_t poll_{};

    // Control data: room for one IP_PKTINFO or IPV6_PKTINFO message.
    static constexpr std::size_t kControl = 64;
    std::array<mmsghdr, kBatch> rx_{};
    std::array<mmsghdr, kBatch> tx_{};
    std::array<iovec, kBatch> rx_iov_{};
    std::array<iovec, kBatch> tx_iov_{};
    std::array<sockaddr_storage, kBatch> peers_{};
    std::array<std::array<unsigned char, kControl>, kBatch> control_{};
    // Slot strides are padded by a cache line so that slot i's first bytes do not all map to
    // the same L1 set.
    static constexpr std::size_t kQueryStride = kMaxQuery + 64;
    static constexpr std::size_t kReplyStride = 1232 + 48; // engine::kMaxUdpPayload, rounded
    std::unique_ptr<std::uint8_t[]> queries_;              // kBatch * kQueryStride
    std::unique_ptr<std::uint8_t[]> responses_;            // kBatch * kReplyStride
    std::unique_ptr<std::uint8_t[]> scratch_; // engine::kMaxMessage: where answer() writes
};

} // namespace nuage::dnsd::net

#include "dnsd/flatten/upstream.hpp"

#include "dnsd/log.hpp"
#include "dnsd/net/socket.hpp"
#include "zonestore/dns/wire.hpp"

#include <algorithm>

namespace nuage::flatten {

using dnsd::log;

namespace {
constexpr std::size_t kMaxMessage = 65535;

Resolution failed(std::string why)
{
    Resolution r;
    r.error = std::move(why);
    return r;
}
} // namespace

// One lookup: a name, the CNAMEs followed so far, the attempts made on its current name.
struct Resolver::Lookup {
    dns::Name name;
    std::uint16_t qtype = 0;
    Done done;
    std::size_t cnames = 0;
    std::uint32_t ttl = UINT32_MAX;
    std::vector<dns::Name> seen;
    std::vector<dns::Name> chain; // the CNAME targets followed so far
    unsigned attempt = 0;
    std::size_t upstream = 0;
    Exchange* exchange = nullptr;
    std::string last_error;
};

// One query to one upstream: UDP, then TCP if the answer is truncated. Owns its libuv handles
// and deletes itself once the last one is closed.
struct Resolver::Exchange {
    Resolver* resolver = nullptr;
    Lookup* lookup = nullptr; // null once finished or abandoned
    Question question;
    std::vector<std::uint8_t> query;
    std::size_t max_cnames = 0;
    dnsd::net::SocketAddress peer;
    uv_udp_t udp{};
    uv_tcp_t tcp{};
    uv_timer_t timer{};
    uv_connect_t connect{};
    uv_write_t write{};
    std::uint8_t length[2]{};
    std::vector<std::uint8_t> buf = std::vector<std::uint8_t>(kMaxMessage);
    std::vector<std::uint8_t> stream; // TCP: the bytes received so far
    int open = 0;                     // handles not closed yet
    bool udp_open = false, tcp_open = false;

    static void on_close(uv_handle_t* h)
    {
        auto* x = static_cast<Exchange*>(h->data);
        if (--x->open == 0) {
            delete x;
        }
    }
    void close_handle(uv_handle_t* h)
    {
        if (!uv_is_closing(h)) {
            uv_close(h, on_close);
        }
    }
    // Ends the exchange: its result (if it still has a lookup) goes to the resolver.
    void finish(const UpstreamAnswer* a)
    {
        Lookup* l = std::exchange(lookup, nullptr);
        close_handle(reinterpret_cast<uv_handle_t*>(&timer));
        if (udp_open) {
            close_handle(reinterpret_cast<uv_handle_t*>(&udp));
        }
        if (tcp_open) {
            close_handle(reinterpret_cast<uv_handle_t*>(&tcp));
        }
        if (l && a) {
            l->exchange = nullptr;
            resolver->on_exchange(*l, *a);
        }
    }
    void fail(std::string why)
    {
        UpstreamAnswer a;
        a.kind = UpstreamAnswer::Kind::Failure;
        a.why = std::move(why);
        finish(&a);
    }
    void fail_uv(const char* what, int rc) { fail(std::string(what) + ": " + uv_strerror(rc)); }

    static void on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* b);
    static void on_tcp_connect(uv_connect_t* c, int status);
    static void on_tcp_read(uv_stream_t* s, ssize_t n, const uv_buf_t*);
    void start(uv_loop_t* loop, std::chrono::milliseconds timeout);
    void start_udp(uv_loop_t* loop);
    void start_tcp();
    void on_message(std::span<const std::uint8_t> msg, bool over_tcp);
};

void Resolver::Exchange::start(uv_loop_t* loop, std::chrono::milliseconds timeout)
{
    uv_timer_init(loop, &timer);
    timer.data = this;
    open = 1;
    uv_timer_start(
        &timer, [](uv_timer_t* t) { static_cast<Exchange*>(t->data)->fail("timed out"); },
        static_cast<std::uint64_t>(timeout.count()), 0);
    start_udp(loop);
}

void Resolver::Exchange::start_udp(uv_loop_t* loop)
{
    uv_udp_init(loop, &udp);
    udp.data = this;
    udp_open = true;
    ++open;
    // Port 0: the kernel picks a random ephemeral port for this socket alone.
    dnsd::net::SocketAddress local;
    local.storage.ss_family = static_cast<sa_family_t>(peer.family());
    local.len = peer.len;
    int rc = uv_udp_bind(&udp, local.get(), 0);
    if (rc == 0) {
        rc = uv_udp_connect(&udp, peer.get());
    }
    if (rc == 0) {
        rc = uv_udp_recv_start(
            &udp, on_alloc, [](uv_udp_t* h, ssize_t n, const uv_buf_t*, const sockaddr*, unsigned) {
                auto* x = static_cast<Exchange*>(h->data);
                if (!x->lookup) {
                    return;
                }
                if (n < 0) {
                    x->fail_uv("udp", static_cast<int>(n)); // e.g. ICMP port unreachable
                } else if (n > 0) {
                    x->on_message({x->buf.data(), static_cast<std::size_t>(n)}, false);
                }
            });
    }
    if (rc == 0) {
        uv_buf_t b =
            uv_buf_init(reinterpret_cast<char*>(query.data()), static_cast<unsigned>(query.size()));
        int sent = uv_udp_try_send(&udp, &b, 1, nullptr);
        rc = sent < 0 ? sent : 0;
    }
    if (rc != 0) {
        fail_uv("udp", rc);
    }
}

void Resolver::Exchange::start_tcp()
{
    uv_udp_recv_stop(&udp);
    close_handle(reinterpret_cast<uv_handle_t*>(&udp));
    udp_open = false;
    uv_tcp_init(udp.loop, &tcp);
    tcp.data = this;
    tcp_open = true;
    ++open;
    connect.data = this;
    int rc = uv_tcp_connect(&connect, &tcp, peer.get(), on_tcp_connect);
    if (rc != 0) {
        fail_uv("tcp connect", rc);
    }
}

void Resolver::Exchange::on_tcp_connect(uv_connect_t* c, int status)
{
    auto* x = static_cast<Exchange*>(c->data);
    if (!x->lookup) {
        return;
    }
    if (status < 0) {
        x->fail_uv("tcp connect", status);
        return;
    }
    // RFC 1035 §4.2.2: a two-octet length, then the message.
    dns::write_u16(x->length, static_cast<std::uint16_t>(x->query.size()));
    uv_buf_t bufs[2] = {uv_buf_init(reinterpret_cast<char*>(x->length), 2),
                        uv_buf_init(reinterpret_cast<char*>(x->query.data()),
                                    static_cast<unsigned>(x->query.size()))};
    x->write.data = x;
    auto* stream = reinterpret_cast<uv_stream_t*>(&x->tcp);
    int rc = uv_write(&x->write, stream, bufs, 2, [](uv_write_t* w, int st) {
        auto* y = static_cast<Exchange*>(w->data);
        if (st < 0 && y->lookup) {
            y->fail_uv("tcp write", st);
        }
    });
    if (rc == 0) {
        rc = uv_read_start(stream, on_alloc, on_tcp_read);
    }
    if (rc != 0) {
        x->fail_uv("tcp", rc);
    }
}

void Resolver::Exchange::on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* b)
{
    auto* x = static_cast<Exchange*>(h->data);
    *b = uv_buf_init(reinterpret_cast<char*>(x->buf.data()), static_cast<unsigned>(x->buf.size()));
}

void Resolver::Exchange::on_tcp_read(uv_stream_t* s, ssize_t n, const uv_buf_t*)
{
    auto* x = static_cast<Exchange*>(s->data);
    if (!x->lookup) {
        return;
    }
    if (n < 0) {
        x->fail_uv("tcp read", static_cast<int>(n)); // UV_EOF included: closed too early
        return;
    }
    // The first message is the answer; anything after it is never read.
    x->stream.insert(x->stream.end(), x->buf.begin(), x->buf.begin() + n);
    if (x->stream.size() >= 2 && x->stream.size() >= 2u + dns::read_u16(x->stream.data())) {
        x->on_message({x->stream.data() + 2, dns::read_u16(x->stream.data())}, true);
    }
}

void Resolver::Exchange::on_message(std::span<const std::uint8_t> msg, bool over_tcp)
{
    UpstreamAnswer a = read_answer(msg, question, max_cnames);
    switch (a.kind) {
    case UpstreamAnswer::Kind::Mismatch:
        if (over_tcp) {
            fail("an answer to another question: " + a.why);
        } else {
            // RFC 5452 §9.1: maybe forged or late; the real answer may still come.
            log().debug("flattening: ignored a datagram from {}: {}",
                        dnsd::net::to_string(peer.get()), a.why);
        }
        return;
    case UpstreamAnswer::Kind::Truncated:
        if (over_tcp) {
            fail("truncated over TCP");
        } else {
            start_tcp();
        }
        return;
    default:
        finish(&a);
    }
}

Resolver::Resolver(uv_loop_t* loop, ResolverOptions options)
    : loop_(loop), options_(std::move(options))
{
}

Resolver::~Resolver()
{
    close();
}

void Resolver::resolve(const dns::Name& name, std::uint16_t qtype, Done done)
{
    auto l = std::make_unique<Lookup>();
    l->name = name;
    l->qtype = qtype;
    l->done = std::move(done);
    l->seen.push_back(name);
    l->upstream = next_upstream_++;
    Lookup& ref = *l;
    lookups_.emplace(&ref, std::move(l));
    start_exchange(ref);
}

void Resolver::start_exchange(Lookup& l)
{
    if (options_.upstreams.empty()) {
        finish(l, failed("no upstream resolver is configured ([flattening] upstreams)"));
        return;
    }
    auto* x = new Exchange;
    x->resolver = this;
    x->lookup = &l;
    x->question = random_question(l.name, l.qtype);
    x->query = make_query(x->question);
    x->max_cnames = kMaxFlattenChain - l.cnames;
    x->peer = dnsd::net::SocketAddress::from(
        options_.upstreams[(l.upstream + l.attempt) % options_.upstreams.size()]);
    l.exchange = x;
    x->start(loop_, options_.timeout);
}

void Resolver::on_exchange(Lookup& l, const UpstreamAnswer& a)
{
    using Kind = UpstreamAnswer::Kind;
    switch (a.kind) {
    case Kind::Data:
    case Kind::NoData:
        l.chain.insert(l.chain.end(), a.chain.begin(), a.chain.end());
        finish(l, {true, a.rdatas, std::min(l.ttl, a.ttl), {}, std::move(l.chain), false});
        return;
    case Kind::Follow:
        l.cnames += a.cnames;
        l.ttl = std::min(l.ttl, a.ttl);
        l.chain.insert(l.chain.end(), a.chain.begin(), a.chain.end());
        if (std::find(l.seen.begin(), l.seen.end(), a.final_name) != l.seen.end()) {
            finish(l, failed("a CNAME loop at " + a.final_name.to_text()));
            return;
        }
        if (options_.is_served && options_.is_served(a.final_name)) {
            finish(l, {true, {}, l.ttl, {}, std::move(l.chain), true});
            return;
        }
        l.seen.push_back(a.final_name);
        l.name = a.final_name;
        l.attempt = 0;
        start_exchange(l);
        return;
    default:
        l.last_error = a.why;
        if (++l.attempt >= options_.attempts) {
            finish(l, failed(l.last_error));
            return;
        }
        start_exchange(l);
    }
}

void Resolver::finish(Lookup& l, Resolution r)
{
    auto it = lookups_.find(&l);
    std::unique_ptr<Lookup> owned = std::move(it->second);
    lookups_.erase(it);
    owned->done(std::move(r)); // may start new lookups: `owned` is already off the list
}

void Resolver::close()
{
    auto all = std::move(lookups_);
    lookups_.clear();
    for (auto& [p, l] : all) {
        if (l->exchange) {
            l->exchange->lookup = nullptr;
            l->exchange->finish(nullptr);
        }
    }
}

} // namespace nuage::flatten

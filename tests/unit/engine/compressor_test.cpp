// Name compression (RFC 1035 §4.1.4): names decode back to what was written, suffixes become
// pointers, case-insensitive matches point at the first spelling, rollback forgets names.
#include "dnsd/engine/name_compressor.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using nuage::engine::NameCompressor;

namespace {

std::vector<std::uint8_t> wire(const std::string& dotted)
{
    std::vector<std::uint8_t> out;
    std::size_t start = 0;
    while (start < dotted.size()) {
        std::size_t dot = dotted.find('.', start);
        out.push_back(static_cast<std::uint8_t>(dot - start));
        out.insert(out.end(), dotted.begin() + start, dotted.begin() + dot);
        start = dot + 1;
    }
    out.push_back(0);
    return out;
}

// Decodes the name at `pos` of `msg`, following pointers, to dotted text.
std::string decode(const std::vector<std::uint8_t>& msg, std::size_t pos)
{
    std::string out;
    for (int hops = 0; hops < 64; ++hops) {
        std::uint8_t l = msg[pos];
        if ((l & 0xC0) == 0xC0) {
            pos = ((l & 0x3F) << 8) | msg[pos + 1];
            continue;
        }
        if (l == 0) {
            return out.empty() ? "." : out;
        }
        out.append(reinterpret_cast<const char*>(&msg[pos + 1]), l);
        out += '.';
        pos += 1 + l;
    }
    return "<loop>";
}

} // namespace

TEST_CASE("suffixes already written become pointers")
{
    std::vector<std::uint8_t> msg(512, 0);
    NameCompressor c;
    auto a = wire("www.example.com.");
    auto b = wire("mail.EXAMPLE.com.");
    auto d = wire("example.com.");
    std::size_t p1 = 12;
    std::size_t p2 = c.write(msg.data(), p1, msg.size(), a.data(), a.size());
    REQUIRE(p2 == p1 + a.size());
    std::size_t p3 = c.write(msg.data(), p2, msg.size(), b.data(), b.size());
    CHECK(p3 == p2 + 5 + 2); // "mail" + pointer
    std::size_t p4 = c.write(msg.data(), p3, msg.size(), d.data(), d.size());
    CHECK(p4 == p3 + 2); // one pointer
    CHECK(decode(msg, p1) == "www.example.com.");
    CHECK(decode(msg, p2) == "mail.example.com."); // the suffix keeps its first spelling
    CHECK(decode(msg, p3) == "example.com.");
}

TEST_CASE("the limit is honoured and rollback forgets what was written after the mark")
{
    std::vector<std::uint8_t> msg(512, 0);
    NameCompressor c;
    auto a = wire("a.example.");
    CHECK(c.write(msg.data(), 12, 12 + a.size() - 1, a.data(), a.size()) == 0);
    std::size_t mark = c.mark();
    std::size_t p = c.write(msg.data(), 12, msg.size(), a.data(), a.size());
    c.rollback(mark);
    auto b = wire("b.example.");
    std::size_t q = c.write(msg.data(), 12, msg.size(), b.data(), b.size());
    CHECK(q == 12 + b.size()); // nothing left to point to
    CHECK(p == 12 + a.size());
    CHECK(decode(msg, 12) == "b.example.");
}

TEST_CASE("the root and remembered question names")
{
    std::vector<std::uint8_t> msg(512, 0);
    NameCompressor c;
    auto q = wire("WwW.Example.");
    std::copy(q.begin(), q.end(), msg.begin() + 12);
    c.remember(msg.data(), 12, q.size());
    auto same = wire("www.example.");
    std::size_t at = 12 + q.size();
    CHECK(c.write(msg.data(), at, msg.size(), same.data(), same.size()) == at + 2);
    CHECK(msg[at] == 0xC0);
    CHECK(msg[at + 1] == 12);
    std::uint8_t root = 0;
    CHECK(c.write(msg.data(), at + 2, msg.size(), &root, 1) == at + 3);
}

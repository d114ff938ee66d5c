// fuzz_answer.cpp -- libFuzzer target: raw bytes -> engine::answer() on a fixed catalog, over
// both transports. Built with -fsanitize=fuzzer when NUAGE_FUZZ=ON; the same function is
// replayed over tests/fuzz/corpus/fuzz_answer by fuzz_answer_replay in every build.
#include "dnsd/engine/answer.hpp"
#include "tests/fuzz/fuzz_catalog.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

// Skips a name of the response; pointers must point backwards (we only write those).
bool skip_name(const std::uint8_t* r, std::size_t n, std::size_t& pos)
{
    for (std::size_t total = 0; pos < n;) {
        std::uint8_t l = r[pos];
        if ((l & 0xC0) == 0xC0) {
            bool ok = pos + 1 < n && (std::size_t(l & 0x3F) << 8 | r[pos + 1]) < pos;
            pos += 2;
            return ok;
        }
        if (l > 63 || (total += 1 + l) > 255) {
            return false;
        }
        pos += 1 + l;
        if (l == 0) {
            return true;
        }
    }
    return false;
}

// The response is a well-formed message: its counts match its records, every name decodes,
// nothing trails.
bool well_formed(const std::uint8_t* r, std::size_t n)
{
    std::size_t pos = 12;
    std::size_t qd = (r[4] << 8) | r[5];
    for (std::size_t i = 0; i < qd; ++i) {
        if (!skip_name(r, n, pos) || (pos += 4) > n) {
            return false;
        }
    }
    std::size_t rrs =
        std::size_t((r[6] << 8) | r[7]) + ((r[8] << 8) | r[9]) + ((r[10] << 8) | r[11]);
    for (std::size_t i = 0; i < rrs; ++i) {
        if (!skip_name(r, n, pos) || pos + 10 > n) {
            return false;
        }
        pos += 10 + ((r[pos + 8] << 8) | r[pos + 9]);
        if (pos > n) {
            return false;
        }
    }
    return pos == n;
}

// Properties every answer must have, whatever the input: a header, QR set, the query's ID,
// the UDP size bound (RFC 1035 §4.2.1, RFC 6891 §6.2.5), a well-formed message.
void check(const std::uint8_t* q, std::size_t qlen, const std::uint8_t* r, std::size_t n,
           nuage::engine::Transport t)
{
    if (n == 0) {
        return;
    }
    bool ok = n >= 12 && qlen >= 12 && (r[2] & 0x80) && r[0] == q[0] && r[1] == q[1] &&
              n <= nuage::engine::kMaxMessage &&
              (t == nuage::engine::Transport::Tcp || n <= nuage::engine::kMaxUdpPayload) &&
              well_formed(r, n);
    if (!ok) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static std::uint8_t out[nuage::engine::kMaxMessage];
    const auto& cat = nuage::test::fuzz_catalog();
    for (auto t : {nuage::engine::Transport::Udp, nuage::engine::Transport::Tcp}) {
        std::size_t n = nuage::engine::answer(cat, {data, size}, out, t);
        check(data, size, out, n, t);
    }
    return 0;
}

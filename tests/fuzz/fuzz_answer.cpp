// fuzz_answer.cpp -- libFuzzer target: raw bytes -> engine::answer() on a fixed catalog, over
// both transports. Built with -fsanitize=fuzzer when NUAGE_FUZZ=ON; the same function is
// replayed over tests/fuzz/corpus/fuzz_answer by fuzz_answer_replay in every build.
#include "dnsd/engine/answer.hpp"
#include "tests/fuzz/fuzz_catalog.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {
// Properties every answer must have, whatever the input: a header, QR set, the query's ID,
// and the UDP size bound (RFC 1035 §4.2.1, RFC 6891 §6.2.5).
void check(const std::uint8_t* q, std::size_t qlen, const std::uint8_t* r, std::size_t n,
           nuage::engine::Transport t)
{
    if (n == 0) {
        return;
    }
    bool ok = n >= 12 && qlen >= 12 && (r[2] & 0x80) && r[0] == q[0] && r[1] == q[1] &&
              n <= nuage::engine::kMaxMessage &&
              (t == nuage::engine::Transport::Tcp || n <= nuage::engine::kMaxUdpPayload);
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

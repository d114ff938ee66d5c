// api_cli.hpp -- `dnsctl --api URL --token T [--cacert F] [--json] VERB ...`: the command line
// of dnsctl over the REST API (CLI11), and its exit codes, which scripts test:
//   0  done
//   1  refused by the API (each errors[].code and message printed on stderr), or no such object
//   2  usage (bad flags or arguments; a verb the API does not offer, e.g. token create)
//   3  cannot connect (refused, timeout, TLS) or the credentials were refused (API.md §3 codes
//      9106, 6003/61xx, 9103, 9109, 10000, or HTTP 401)
//   4  the server failed (HTTP 5xx) or did not answer as the API does (wrong URL)
#pragma once

#include <iosfwd>

namespace nuage::dnsctl {

inline constexpr int kApiOk = 0;
inline constexpr int kApiRefused = 1;
inline constexpr int kApiUsage = 2;
inline constexpr int kApiUnreachable = 3;
inline constexpr int kApiServerFault = 4;

// True when argv asks for the API mode (an --api flag anywhere).
bool wants_api(int argc, const char* const* argv);

int run_api(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace nuage::dnsctl

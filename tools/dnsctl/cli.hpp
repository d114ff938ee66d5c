// cli.hpp -- dnsctl's command line (CLI11): the verbs and flags of DESIGN §4, dispatched to
// the offline commands. Owns exit codes: 0 done, 1 refused input or a failure (the field or
// file:line named on stderr), 2 usage.
#pragma once

#include <iosfwd>

namespace nuage::dnsctl {

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace nuage::dnsctl

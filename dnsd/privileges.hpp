// privileges.hpp -- dropping root after the sockets are bound (DESIGN §4: port 53 in
// production, "privileges dropped after binding"), as knotd's server.user and nsd's username.
#pragma once

#include <stdexcept>
#include <string>
#include <sys/types.h>

namespace nuage::dnsd {

struct PrivilegeError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "USER" or "USER:GROUP", looked up in the system's databases (names or numeric ids).
struct RunAs {
    std::string spec;
    uid_t uid = 0;
    gid_t gid = 0; // GROUP's, else USER's primary group
    std::string user_name;
};

// Looks `spec` up. Throws PrivilegeError naming what is missing ("no user nuage").
RunAs resolve_run_as(const std::string& spec);

// Switches the whole process (every thread) to `who`: supplementary groups, gid, then uid.
// A process already running as `who` keeps going; one that cannot switch (not root) is an
// error, as is a switch that root could undo. Throws PrivilegeError.
void drop_privileges(const RunAs& who);

} // namespace nuage::dnsd

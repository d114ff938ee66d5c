// privileges.cpp -- see privileges.hpp. glibc applies setuid/setgid/setgroups to every thread
// of the process (NPTL's setxid broadcast), so threads started before the switch drop too.
#include "dnsd/privileges.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>
#include <vector>

namespace nuage::dnsd {
namespace {

template <typename Id> bool numeric_id(const std::string& s, Id& out)
{
    unsigned long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
        return false;
    }
    out = static_cast<Id>(v);
    return static_cast<unsigned long>(out) == v;
}

std::string error_text(int err)
{
    return std::strerror(err);
}

} // namespace

RunAs resolve_run_as(const std::string& spec)
{
    RunAs who;
    who.spec = spec;
    auto colon = spec.find(':');
    std::string user = spec.substr(0, colon);
    std::string group_name = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (user.empty() || (colon != std::string::npos && group_name.empty())) {
        throw PrivilegeError("user: expected USER or USER:GROUP, got \"" + spec + "\"");
    }
    std::vector<char> buf(16384);
    passwd pw{};
    passwd* found = nullptr;
    uid_t uid = 0;
    int rc = numeric_id(user, uid) ? getpwuid_r(uid, &pw, buf.data(), buf.size(), &found)
                                   : getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found);
    if (rc != 0 || found == nullptr) {
        throw PrivilegeError("user: no user " + user + " on this system" +
                             (rc != 0 ? " (" + error_text(rc) + ")" : ""));
    }
    who.uid = pw.pw_uid;
    who.gid = pw.pw_gid;
    who.user_name = pw.pw_name;
    if (!group_name.empty()) {
        group gr{};
        group* gfound = nullptr;
        gid_t gid = 0;
        rc = numeric_id(group_name, gid)
                 ? getgrgid_r(gid, &gr, buf.data(), buf.size(), &gfound)
                 : getgrnam_r(group_name.c_str(), &gr, buf.data(), buf.size(), &gfound);
        if (rc != 0 || gfound == nullptr) {
            throw PrivilegeError("user: no group " + group_name + " on this system" +
                                 (rc != 0 ? " (" + error_text(rc) + ")" : ""));
        }
        who.gid = gr.gr_gid;
    }
    return who;
}

void drop_privileges(const RunAs& who)
{
    if (geteuid() == who.uid && getegid() == who.gid && getuid() == who.uid &&
        getgid() == who.gid) {
        return; // already that user: nothing to give up
    }
    if (geteuid() != 0) {
        throw PrivilegeError("user " + who.spec + ": cannot switch from uid " +
                             std::to_string(geteuid()) +
                             " (only root can; start dnsd as root, or "
                             "leave `user` unset)");
    }
    // The user's own supplementary groups (as a login would have), then the ids; the uid last,
    // since once it is gone nothing else may be changed.
    if (initgroups(who.user_name.c_str(), who.gid) != 0) {
        throw PrivilegeError("user " + who.spec + ": initgroups: " + error_text(errno));
    }
    if (setresgid(who.gid, who.gid, who.gid) != 0) {
        throw PrivilegeError("user " + who.spec + ": setresgid: " + error_text(errno));
    }
    if (setresuid(who.uid, who.uid, who.uid) != 0) {
        throw PrivilegeError("user " + who.spec + ": setresuid: " + error_text(errno));
    }
    if (who.uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
        throw PrivilegeError("user " + who.spec + ": root could be regained after the switch");
    }
}

} // namespace nuage::dnsd

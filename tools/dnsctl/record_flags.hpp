// record_flags.hpp -- the record fields that `record add` and `record edit` take, offline and
// over the API (DESIGN §4): one set of CLI11 flags, read back as RecordArgs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
} // namespace CLI

namespace nuage::dnsctl {

// A record's fields as the flags give them; unset fields are left as they are by an edit.
struct RecordArgs {
    std::optional<std::string> type;
    std::optional<std::string> content;
    std::optional<std::int64_t> ttl;
    std::optional<std::int64_t> priority;
    std::optional<bool> proxied; // --proxied / --dns-only
    bool flatten_cname = false;
    std::optional<std::string> comment;
    std::vector<std::string> tags;
};

// The flags of one subcommand, bound to this object's members: it must outlive the parse, and
// it does not move. Add: positionals TYPE CONTENT and --proxied (after the caller's ZONE NAME);
// edit: --type, --content and --proxied|--dns-only. Both: --ttl, --priority, --flatten-cname,
// --comment, --tag.
class RecordFlags {
public:
    enum class Verb { Add, Edit };
    RecordFlags(CLI::App* cmd, Verb verb);
    RecordFlags(const RecordFlags&) = delete;
    RecordFlags& operator=(const RecordFlags&) = delete;

    RecordArgs args() const;

private:
    Verb verb_;
    std::string type_, content_, comment_;
    std::int64_t ttl_ = 0, priority_ = 0;
    bool proxied_ = false, dns_only_ = false, flatten_ = false;
    std::vector<std::string> tags_;
    CLI::Option* ttl_opt_ = nullptr;
    CLI::Option* priority_opt_ = nullptr;
    CLI::Option* comment_opt_ = nullptr;
};

} // namespace nuage::dnsctl

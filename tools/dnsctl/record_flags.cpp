#include "tools/dnsctl/record_flags.hpp"

#include <CLI/CLI.hpp>

namespace nuage::dnsctl {

RecordFlags::RecordFlags(CLI::App* cmd, Verb verb) : verb_(verb)
{
    if (verb == Verb::Add) {
        cmd->add_option("TYPE", type_, "A, AAAA, CNAME, MX, TXT, ...")->required();
        cmd->add_option("CONTENT", content_, "the record's content")->required();
        cmd->add_flag("--proxied", proxied_, "answer with the edge's addresses");
    } else {
        cmd->add_option("--type", type_, "a new type");
        cmd->add_option("--content", content_, "new content");
        auto* prox = cmd->add_flag("--proxied", proxied_, "answer with the edge's addresses");
        auto* dns_only = cmd->add_flag("--dns-only", dns_only_, "answer with the record itself");
        prox->excludes(dns_only);
    }
    ttl_opt_ = cmd->add_option("--ttl", ttl_, "TTL in seconds: 1 (automatic) or 30..86400");
    priority_opt_ = cmd->add_option("--priority", priority_, "MX or URI priority");
    cmd->add_flag("--flatten-cname", flatten_, "flatten this CNAME (settings.flatten_cname)");
    comment_opt_ = cmd->add_option("--comment", comment_, "a note kept with the record");
    cmd->add_option("--tag", tags_, "a name:value tag (repeatable)");
}

RecordArgs RecordFlags::args() const
{
    RecordArgs r;
    bool all = verb_ == Verb::Add; // an add names every field; an edit only what changes
    if (all || !type_.empty()) {
        r.type = type_;
    }
    if (all || !content_.empty()) {
        r.content = content_;
    }
    if (ttl_opt_->count()) {
        r.ttl = ttl_;
    }
    if (priority_opt_->count()) {
        r.priority = priority_;
    }
    if (proxied_) {
        r.proxied = true;
    } else if (dns_only_) {
        r.proxied = false;
    }
    r.flatten_cname = flatten_;
    if (comment_opt_->count()) {
        r.comment = comment_;
    }
    r.tags = tags_;
    return r;
}

} // namespace nuage::dnsctl

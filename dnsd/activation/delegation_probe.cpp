#include "dnsd/activation/delegation_probe.hpp"

#include "zonestore/dns/ldns_handles.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <ldns/ldns.h>
#include <map>
#include <memory>

namespace nuage::activation {

namespace {

struct ResolverDeleter {
    void operator()(ldns_resolver* r) const { ldns_resolver_deep_free(r); }
};
struct PktDeleter {
    void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
using ResolverPtr = std::unique_ptr<ldns_resolver, ResolverDeleter>;
using PktPtr = std::unique_ptr<ldns_pkt, PktDeleter>;

struct Failure {
    std::string why;
};

// A resolver with our timeouts: one try per server, TCP when the UDP reply is truncated.
void tune(ldns_resolver* r, const ProbeOptions& o, bool recursion)
{
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(o.timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((o.timeout.count() % 1000) * 1000);
    ldns_resolver_set_timeout(r, tv);
    ldns_resolver_set_retry(r, 1);
    ldns_resolver_set_recursive(r, recursion);
    ldns_resolver_set_fallback(r, true);
    ldns_resolver_set_defnames(r, false);
    ldns_resolver_set_dnsrch(r, false);
    ldns_resolver_set_edns_udp_size(r, 1232);
}

ResolverPtr resolver_for(const std::string& address, std::uint16_t port, const ProbeOptions& o,
                         bool recursion)
{
    bool v6 = address.find(':') != std::string::npos;
    dns::RdfPtr ip(
        ldns_rdf_new_frm_str(v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, address.c_str()));
    ResolverPtr r(ldns_resolver_new());
    if (!ip || !r || ldns_resolver_push_nameserver(r.get(), ip.get()) != LDNS_STATUS_OK) {
        throw Failure{"'" + address + "' is not an address"};
    }
    ldns_resolver_set_port(r.get(), port);
    tune(r.get(), o, recursion);
    return r;
}

ResolverPtr system_resolver(const ProbeOptions& o)
{
    if (o.resolver) {
        return resolver_for(o.resolver->address, o.resolver->port, o, true);
    }
    ldns_resolver* raw = nullptr;
    ldns_status st = ldns_resolver_new_frm_file(&raw, nullptr);
    if (st != LDNS_STATUS_OK) {
        throw Failure{std::string("cannot read /etc/resolv.conf: ") + ldns_get_errorstr_by_id(st)};
    }
    ResolverPtr r(raw);
    tune(r.get(), o, true);
    return r;
}

dns::Name name_of(const ldns_rdf* rdf)
{
    auto n = dns::Name::from_wire(
        std::string_view(reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf)));
    return n ? *n : dns::Name();
}

std::string address_of(const ldns_rdf* rdf)
{
    char buf[INET6_ADDRSTRLEN] = {};
    int family = ldns_rdf_size(rdf) == 4 ? AF_INET : AF_INET6;
    if (ldns_rdf_size(rdf) != 4 && ldns_rdf_size(rdf) != 16) {
        return {};
    }
    inet_ntop(family, ldns_rdf_data(rdf), buf, sizeof buf);
    return buf;
}

// Sends one question; the reply must carry the query's id and question (RFC 5452 §9.1).
PktPtr ask(ldns_resolver* r, const dns::Name& qname, ldns_rr_type type, bool rd,
           const ProbeOptions& o)
{
    if (o.cancel && o.cancel->load()) {
        throw Failure{"cancelled"};
    }
    dns::RdfPtr name(ldns_dname_new_frm_str(qname.to_text().c_str()));
    ldns_pkt* q = nullptr;
    if (!name || ldns_resolver_prepare_query_pkt(&q, r, name.get(), type, LDNS_RR_CLASS_IN,
                                                 rd ? LDNS_RD : 0) != LDNS_STATUS_OK) {
        throw Failure{"cannot build a query for " + qname.to_text()};
    }
    PktPtr query(q);
    ldns_pkt_set_rd(query.get(), rd);
    ldns_pkt* a = nullptr;
    ldns_status st = ldns_resolver_send_pkt(&a, r, query.get());
    PktPtr reply(a);
    if (st != LDNS_STATUS_OK || !reply) {
        throw Failure{std::string("no answer: ") + ldns_get_errorstr_by_id(st)};
    }
    const ldns_rr_list* qs = ldns_pkt_question(reply.get());
    if (ldns_pkt_id(reply.get()) != ldns_pkt_id(query.get()) || ldns_rr_list_rr_count(qs) != 1 ||
        ldns_rr_get_type(ldns_rr_list_rr(qs, 0)) != type ||
        !(name_of(ldns_rr_owner(ldns_rr_list_rr(qs, 0))) == qname)) {
        throw Failure{"the reply does not match the question"};
    }
    return reply;
}

// Every RR of `type` owned by `owner` in the given sections.
std::vector<const ldns_rr*> rrs(const dns::Name& owner, ldns_rr_type type,
                                std::initializer_list<const ldns_rr_list*> sections)
{
    std::vector<const ldns_rr*> out;
    for (const ldns_rr_list* list : sections) {
        for (std::size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i) {
            const ldns_rr* rr = ldns_rr_list_rr(list, i);
            if (ldns_rr_get_type(rr) == type && name_of(ldns_rr_owner(rr)) == owner) {
                out.push_back(rr);
            }
        }
    }
    return out;
}

struct ParentServers {
    dns::Name parent;
    std::vector<std::string> addresses;
};

// The addresses of one NS name: the glue the resolver sent, else A and AAAA queries.
std::vector<std::string> addresses_of(ldns_resolver* r, const ldns_pkt* ns_reply,
                                      const dns::Name& host, const ProbeOptions& o)
{
    std::vector<std::string> out;
    for (ldns_rr_type t : {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA}) {
        auto glue = rrs(host, t, {ldns_pkt_additional(ns_reply)});
        if (glue.empty()) {
            try {
                PktPtr reply = ask(r, host, t, true, o);
                glue = rrs(host, t, {ldns_pkt_answer(reply.get())});
                for (const ldns_rr* rr : glue) {
                    out.push_back(address_of(ldns_rr_rdf(rr, 0)));
                }
            } catch (const Failure&) {
                // An address family that does not resolve: the other may.
            }
            continue;
        }
        for (const ldns_rr* rr : glue) {
            out.push_back(address_of(ldns_rr_rdf(rr, 0)));
        }
    }
    return out;
}

// Step 1: walks up from the zone's parent until the resolver returns an NS RRset.
ParentServers find_parent(const dns::Name& zone, const ProbeOptions& o)
{
    ResolverPtr r = system_resolver(o);
    dns::Name p = zone.parent();
    for (;;) {
        PktPtr reply = ask(r.get(), p, LDNS_RR_TYPE_NS, true, o);
        ldns_pkt_rcode rc = ldns_pkt_get_rcode(reply.get());
        if (rc != LDNS_RCODE_NOERROR && rc != LDNS_RCODE_NXDOMAIN) {
            throw Failure{"the resolver answered rcode " + std::to_string(int(rc)) + " for NS " +
                          p.to_text()};
        }
        // An authoritative-only resolver may answer with a referral: its NS count too.
        auto ns = rrs(p, LDNS_RR_TYPE_NS,
                      {ldns_pkt_answer(reply.get()), ldns_pkt_authority(reply.get())});
        if (rc == LDNS_RCODE_NOERROR && !ns.empty()) {
            ParentServers out{p, {}};
            for (const ldns_rr* rr : ns) {
                for (auto& a : addresses_of(r.get(), reply.get(), name_of(ldns_rr_rdf(rr, 0)), o)) {
                    if (!a.empty() && std::find(out.addresses.begin(), out.addresses.end(), a) ==
                                          out.addresses.end()) {
                        out.addresses.push_back(a);
                    }
                }
            }
            if (out.addresses.empty()) {
                throw Failure{"no address found for the name servers of " + p.to_text()};
            }
            return out;
        }
        if (p.is_root()) {
            throw Failure{"the resolver returned no NS for any parent of " + zone.to_text()};
        }
        p = p.parent();
    }
}

// Step 2: one parent server, asked without recursion.
ServerAnswer ask_parent(const std::string& address, const dns::Name& zone, const ProbeOptions& o)
{
    ServerAnswer out{address, std::nullopt, {}};
    try {
        ResolverPtr r = resolver_for(address, o.parent_port, o, false);
        PktPtr reply = ask(r.get(), zone, LDNS_RR_TYPE_NS, false, o);
        ldns_pkt_rcode rc = ldns_pkt_get_rcode(reply.get());
        if (rc != LDNS_RCODE_NOERROR && rc != LDNS_RCODE_NXDOMAIN) {
            out.error = "rcode " + std::to_string(int(rc));
            return out;
        }
        std::set<std::string> names;
        for (const ldns_rr* rr :
             rrs(zone, LDNS_RR_TYPE_NS,
                 {ldns_pkt_answer(reply.get()), ldns_pkt_authority(reply.get())})) {
            names.insert(name_of(ldns_rr_rdf(rr, 0)).to_text_no_dot());
        }
        out.ns = std::move(names);
    } catch (const Failure& f) {
        out.error = f.why;
    }
    return out;
}

} // namespace

std::string normalize_ns(std::string_view text)
{
    std::string s(text);
    while (s.size() > 1 && s.back() == '.') {
        s.pop_back();
    }
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

ProbeResult probe_delegation(const dns::Name& zone, const ProbeOptions& options)
{
    ProbeResult result;
    if (zone.is_root()) {
        result.error = "the root zone has no parent";
        return result;
    }
    try {
        ParentServers ps = find_parent(zone, options);
        result.parent = ps.parent.to_text();
        std::size_t n = std::min(ps.addresses.size(), options.max_servers);
        for (std::size_t i = 0; i < n; ++i) {
            result.servers.push_back(ask_parent(ps.addresses[i], zone, options));
        }
    } catch (const Failure& f) {
        result.error = f.why;
    }
    return result;
}

bool delegation_matches(const ProbeResult& result, const std::vector<dns::Name>& expected)
{
    std::set<std::string> want;
    for (const auto& n : expected) {
        want.insert(normalize_ns(n.to_text()));
    }
    bool any = false;
    for (const auto& s : result.servers) {
        if (!s.ns) {
            continue;
        }
        if (*s.ns != want) {
            return false;
        }
        any = true;
    }
    return any && !want.empty();
}

std::string describe(const ProbeResult& result)
{
    if (!result.error.empty()) {
        return result.error;
    }
    std::string s;
    for (const auto& srv : result.servers) {
        s += (s.empty() ? " " : "; ") + srv.address + " ";
        if (!srv.ns) {
            s += "failed (" + srv.error + ")";
        } else if (srv.ns->empty()) {
            s += "not delegated";
        } else {
            std::string list;
            for (const auto& n : *srv.ns) {
                list += (list.empty() ? "" : ",") + n;
            }
            s += "NS " + list;
        }
    }
    return "parent " + result.parent + ":" + s;
}

} // namespace nuage::activation

#include "tools/dnsctl/tunnels.hpp"

#include "zonestore/dns/rdata.hpp"
#include "zonestore/store/origin_exposure.hpp"

#include <ostream>

namespace nuage::dnsctl {

namespace {

std::ostream& warn(Context& c)
{
    return (c.err ? *c.err : c.out) << "dnsctl: warning: ";
}

store::Tunnel resolve_tunnel(Context& c, const std::string& id_or_name)
{
    if (store::is_tunnel_id(id_or_name)) {
        if (auto t = c.store.find_tunnel(id_or_name)) {
            return *t;
        }
    }
    store::TunnelFilter f;
    f.name = id_or_name;
    f.is_deleted = false;
    auto found = c.store.list_tunnels(f);
    if (found.empty()) {
        throw store::NotFound("no tunnel with id or name '" + id_or_name + "'");
    }
    return found.front();
}

} // namespace

void tunnel_create(Context& c, const std::string& name, const std::optional<std::string>& secret)
{
    store::TunnelCreate req;
    req.name = name;
    req.secret = secret;
    auto made = c.store.create_tunnel(req);
    c.out << "created tunnel " << made.tunnel.name << "; route names to it with a proxied CNAME to "
          << made.tunnel.id << "." << c.store.tunnel_domain().to_text_no_dot() << "\n";
    if (!secret) {
        c.out << "secret (shown once): " << made.secret << "\n";
    }
    c.out << made.tunnel.id << "\n";
}

void tunnel_list(Context& c, bool include_deleted)
{
    store::TunnelFilter f;
    if (!include_deleted) {
        f.is_deleted = false;
    }
    for (const auto& t : c.store.list_tunnels(f)) {
        std::string routes;
        for (const auto& r : c.store.tunnel_routes(t.id)) {
            routes += (routes.empty() ? "" : ",") + r.name;
        }
        c.out << t.id << "\t" << t.name << "\t" << store::to_string(t.status) << "\t"
              << t.created_at << "\t" << t.deleted_at.value_or("-") << "\t"
              << (routes.empty() ? "-" : routes) << "\n";
    }
}

void tunnel_delete(Context& c, const std::string& id_or_name)
{
    auto t = c.store.delete_tunnel(resolve_tunnel(c, id_or_name).id);
    c.out << "deleted tunnel " << t.id << " (" << t.name << ")\n";
}

void warn_after_write(Context& c, const store::Record& r)
{
    for (const auto& e : store::exposures_of(c.store, r)) {
        warn(c) << store::describe(e) << "\n";
    }
    // API.md §7: *.<tunnel domain> does not resolve publicly, so a DNS-only route is dead.
    if (r.type == dns::rrtype::CNAME && !r.proxied) {
        auto target = dns::Name::from_wire(r.rdata);
        if (target && store::tunnel_route_label(*target, c.store.tunnel_domain())) {
            warn(c) << r.name << " CNAME " << r.content
                    << " is a DNS-only tunnel route: the tunnel domain does not resolve "
                       "publicly, so the name will not work until it is proxied (--proxied)\n";
        }
    }
}

void warn_after_import(Context& c, std::int64_t zone_id)
{
    for (const auto& e : store::exposures_in_zone(c.store, zone_id)) {
        warn(c) << store::describe(e) << "\n";
    }
}

} // namespace nuage::dnsctl

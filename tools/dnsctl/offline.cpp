#include "tools/dnsctl/offline.hpp"

#include "dnsd/config.hpp"
#include "tools/dnsctl/public_export.hpp"
#include "tools/dnsctl/tunnels.hpp"
#include "zonestore/dns/rdata.hpp"
#include "zonestore/store/content.hpp"
#include "zonestore/store/record_rules.hpp"
#include "zonestore/store/zone_file_io.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

namespace nuage::dnsctl {

namespace {

const dns::Name kRoot;

std::string read_file(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        // An ifstream opens a directory and reads nothing: say so, not "no SOA record".
        throw std::runtime_error("cannot read " + path + ": is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

dns::Name zone_name(const std::string& text)
{
    std::string why;
    auto n = dns::Name::from_text(text, &kRoot, &why);
    if (!n || n->is_root()) {
        throw UsageError("'" + text + "' is not a zone name" + (why.empty() ? "" : ": " + why));
    }
    return *n;
}

store::Zone find_zone(Context& c, const std::string& text)
{
    auto z = c.store.find_zone_by_name(zone_name(text));
    if (!z) {
        throw store::NotFound("no zone named " + zone_name(text).to_text_no_dot());
    }
    return *z;
}

std::optional<config::DaemonConfig> load_config(const Context& c)
{
    if (!c.config_path) {
        return std::nullopt;
    }
    return config::load_config(*c.config_path);
}

std::string format_zone(const store::Zone& z)
{
    std::string ns;
    for (const auto& n : z.name_servers) {
        ns += (ns.empty() ? "" : ",") + n.to_text_no_dot();
    }
    return z.public_id + "\t" + z.name + "\t" + z.status +
           "\tserial=" + std::to_string(z.soa.serial) + "\t" +
           store::to_string(z.cname_flattening) + "\tpool=" + z.edge_pool.value_or("default") +
           "\tns=" + ns;
}

// The input that leaves `r` as it is: the base an edit changes field by field.
store::RecordInput input_of(const store::Record& r)
{
    store::RecordInput in;
    in.name = r.owner.to_text();
    in.type = dns::rrtype_to_text(r.type);
    in.content = r.content;
    if (r.priority) {
        in.priority = *r.priority;
    }
    in.ttl = r.ttl;
    in.proxied = r.proxied;
    in.flatten_cname = r.flatten_cname;
    in.ipv4_only = r.ipv4_only;
    in.ipv6_only = r.ipv6_only;
    in.comment = r.comment;
    in.tags = r.tags;
    return in;
}

} // namespace

std::string format_record(const store::Record& r)
{
    std::string content = r.priority ? std::to_string(*r.priority) + " " + r.content : r.content;
    std::string flags;
    if (r.proxied) {
        flags = "proxied";
    }
    if (r.flatten_cname) {
        flags += flags.empty() ? "flatten-cname" : ",flatten-cname";
    }
    return r.id + "\t" + r.name + "\t" + std::to_string(r.ttl) + "\t" +
           dns::rrtype_to_text(r.type) + "\t" + content + (flags.empty() ? "" : "\t" + flags);
}

void configure_store(Context& c)
{
    auto cfg = load_config(c);
    if (!cfg) {
        return;
    }
    std::vector<store::EdgePool> pools;
    for (const auto& p : cfg->edge_pools) {
        pools.push_back({p.name, p.ipv4, p.ipv6});
    }
    c.store.set_edge_pools(std::move(pools));
    c.store.set_tunnel_domain(dns::Name::parse(cfg->tunnels.domain + "."));
}

void zone_import(Context& c, const std::string& origin, const std::string& file, bool replace)
{
    std::string text = read_file(file);
    auto zone = store::parse_zone_import(text, zone_name(origin), file);
    auto z = c.store.import_zone(zone, replace);
    for (const auto& note : zone.notes) {
        if (c.err) {
            *c.err << "dnsctl: note: " << note << "\n";
        }
    }
    c.out << (replace ? "replaced " : "imported ") << zone.records.size() << " records into "
          << z.name << " (serial " << z.soa.serial << ")\n";
    warn_after_import(c, z.id);
}

void zone_export(Context& c, const std::string& origin, bool public_view)
{
    auto z = find_zone(c, origin);
    if (!public_view) {
        c.out << store::export_zone(z, c.store.list_records(z.id, {}));
        return;
    }
    if (!c.config_path && c.err) {
        *c.err << "dnsctl: warning: without --config the edge pools are unknown: proxied names "
                  "are exported without addresses\n";
    }
    c.out << public_export(c.store, z.id);
}

void zone_create(Context& c, const std::string& name, const std::vector<std::string>& ns)
{
    std::vector<std::string> servers = ns;
    if (servers.empty()) {
        if (auto cfg = load_config(c)) {
            servers = cfg->zones.name_servers;
        }
    }
    store::ZoneCreate req;
    req.name = name;
    for (const auto& s : servers) {
        std::string why;
        auto n = dns::Name::from_text(s, &kRoot, &why);
        if (!n) {
            store::refuse("name_servers", "'" + s + "' is not a name: " + why);
        }
        req.name_servers.push_back(*n);
    }
    c.out << format_zone(c.store.create_zone(req)) << "\n";
}

void zone_list(Context& c)
{
    for (const auto& z : c.store.list_zones()) {
        c.out << format_zone(z) << "\n";
    }
}

void zone_delete(Context& c, const std::string& zone)
{
    auto z = find_zone(c, zone);
    c.store.delete_zone(z.id);
    c.out << "deleted zone " << z.name << "\n";
}

void zone_set(Context& c, const std::string& zone, const std::string& key, const std::string& value)
{
    auto z = find_zone(c, zone);
    if (key == "cname_flattening") {
        auto v = store::cname_flattening_from_string(value);
        if (!v) {
            store::refuse("cname_flattening", "the value is flatten_at_root or flatten_all");
        }
        z = c.store.set_cname_flattening(z.id, *v);
    } else if (key == "edge_pool") {
        // With --config the store knows the pools (configure_store) and refuses one that is
        // not there or has no address, as dnsd would at start.
        z = c.store.set_edge_pool(z.id, value);
    } else {
        throw UsageError("zone set takes cname_flattening or edge_pool, not '" + key + "'");
    }
    c.out << format_zone(z) << "\n";
}

void record_add(Context& c, const std::string& zone, const std::string& name,
                const RecordArgs& args)
{
    auto z = find_zone(c, zone);
    store::RecordInput in;
    in.name = name;
    in.type = args.type.value_or("");
    in.content = args.content.value_or("");
    in.ttl = args.ttl.value_or(store::kAutomaticTtl);
    in.priority = args.priority;
    in.proxied = args.proxied.value_or(false);
    in.flatten_cname = args.flatten_cname;
    in.comment = args.comment;
    in.tags = args.tags;
    auto r = c.store.create_record(z.id, in);
    warn_after_write(c, r);
    c.out << format_record(r) << "\n" << r.id << "\n";
}

void record_list(Context& c, const std::string& zone, const std::optional<std::string>& name,
                 const std::optional<std::string>& type)
{
    auto z = find_zone(c, zone);
    store::RecordFilter f;
    if (name) {
        f.owner = store::resolve_owner(*name, z.origin);
    }
    if (type) {
        f.type = dns::rrtype_from_text(*type);
        if (!f.type) {
            throw UsageError("'" + *type + "' is not a record type");
        }
    }
    for (const auto& r : c.store.list_records(z.id, f)) {
        c.out << format_record(r) << "\n";
    }
}

void record_edit(Context& c, const std::string& zone, const std::string& id, const RecordArgs& args)
{
    if (!args.type && !args.content && !args.ttl && !args.priority && !args.proxied &&
        !args.flatten_cname && !args.comment && args.tags.empty()) {
        throw UsageError("record edit: nothing to change");
    }
    auto z = find_zone(c, zone);
    store::RecordInput in = input_of(c.store.get_record(z.id, id));
    if (args.type) {
        in.type = *args.type;
        auto t = dns::rrtype_from_text(*args.type);
        if (!t || !store::has_priority_field(*t)) {
            in.priority.reset(); // the old type's priority means nothing to the new one
        }
        if (t != dns::rrtype::CNAME) {
            in.flatten_cname = false;
        }
    }
    if (args.content) {
        in.content = *args.content;
    }
    if (args.ttl) {
        in.ttl = *args.ttl;
    }
    if (args.priority) {
        in.priority = args.priority;
    }
    if (args.proxied) {
        in.proxied = *args.proxied;
        if (in.proxied) {
            in.flatten_cname = false; // a proxied CNAME is always answered with edge addresses
        } else {
            in.ipv4_only = in.ipv6_only = false; // settings of proxied records only
        }
    }
    if (args.flatten_cname) {
        in.flatten_cname = true;
    }
    if (args.comment) {
        in.comment = args.comment->empty() ? std::nullopt : args.comment;
    }
    if (!args.tags.empty()) {
        in.tags = args.tags;
    }
    // A name's A and AAAA records share one proxied state (DESIGN §2): proxying one of them
    // carries the others along, in the same transaction, and says so.
    store::RecordBatch batch;
    batch.updates.emplace_back(id, in);
    auto t = dns::rrtype_from_text(in.type);
    if (args.proxied && (t == dns::rrtype::A || t == dns::rrtype::AAAA)) {
        auto owner = store::resolve_owner(in.name, z.origin);
        for (std::uint16_t family : {dns::rrtype::A, dns::rrtype::AAAA}) {
            for (const auto& other : c.store.list_records(z.id, {owner, family})) {
                if (other.id != id && other.proxied != in.proxied) {
                    store::RecordInput o = input_of(other);
                    o.proxied = in.proxied;
                    if (!o.proxied) {
                        o.ipv4_only = o.ipv6_only = false;
                    }
                    batch.updates.emplace_back(other.id, std::move(o));
                }
            }
        }
    }
    auto done = c.store.apply_batch(z.id, batch).updated;
    for (std::size_t i = 1; i < done.size(); ++i) {
        if (c.err != nullptr) {
            *c.err << "dnsctl: also " << (in.proxied ? "proxied" : "DNS only") << ": "
                   << format_record(done[i]) << " (a name's addresses share one proxied state)\n";
        }
        warn_after_write(c, done[i]);
    }
    warn_after_write(c, done.front());
    c.out << format_record(done.front()) << "\n";
}

void record_delete(Context& c, const std::string& zone, const std::string& id)
{
    auto z = find_zone(c, zone);
    c.store.delete_record(z.id, id);
    c.out << "deleted " << id << "\n";
}

void backup(Context& c, const std::string& dest)
{
    c.store.backup(dest);
    c.out << "backed up to " << dest << "\n";
}

} // namespace nuage::dnsctl

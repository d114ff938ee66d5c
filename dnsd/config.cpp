#include "dnsd/config.hpp"

#include "zonestore/dns/name.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace nuage::config {

std::string Endpoint::to_string() const
{
    std::string p = std::to_string(port);
    return ipv6 ? "[" + address + "]:" + p : address + ":" + p;
}

std::optional<Endpoint> parse_endpoint(std::string_view text, std::string* error)
{
    auto fail = [&](const char* why) -> std::optional<Endpoint> {
        if (error) {
            *error = why;
        }
        return std::nullopt;
    };
    Endpoint ep;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        std::size_t close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return fail("not an address:port");
        }
        ep.address = std::string(text.substr(1, close - 1));
        ep.ipv6 = true;
        port_text = text.substr(close + 2);
    } else {
        std::size_t colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            // Several colons without brackets: an IPv6 address needs "[addr]:port".
            return fail("not an address:port");
        }
        ep.address = std::string(text.substr(0, colon));
        port_text = text.substr(colon + 1);
    }
    unsigned char buf[16];
    if (inet_pton(ep.ipv6 ? AF_INET6 : AF_INET, ep.address.c_str(), buf) != 1) {
        return fail(ep.ipv6 ? "not an address:port (bad IPv6 address)"
                            : "not an address:port (bad IPv4 address)");
    }
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
        port == 0 || port > 65535) {
        return fail("not an address:port (port must be 1..65535)");
    }
    ep.port = static_cast<std::uint16_t>(port);
    return ep;
}

namespace {

std::string join(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v) {
        s += s.empty() ? x : "\n" + x;
    }
    return s;
}

// Walks the TOML tree, filling a DaemonConfig and collecting every problem with its line.
using N = const toml::node&;
using K = const std::string&;

constexpr const char* kLogLevels = "must be one of trace, debug, info, warn, error, critical, off";

bool valid_log_level(const std::string& s)
{
    static const std::set<std::string> levels{"trace", "debug",    "info", "warn",
                                              "error", "critical", "off"};
    return levels.count(s) != 0;
}

// The form only; whether the user exists is the daemon's question (it may be made later).
bool valid_user_spec(const std::string& s)
{
    auto colon = s.find(':');
    return !s.empty() && colon != 0 && colon != s.size() - 1 &&
           s.find(':', colon == std::string::npos ? s.size() : colon + 1) == std::string::npos;
}

class Parser {
public:
    explicit Parser(std::string_view file) : file_(file) {}

    void root(const toml::table& t, DaemonConfig& c);
    const std::vector<std::string>& problems() const { return problems_; }

private:
    using Handler = std::function<void(const toml::node&, const std::string&)>;

    void fail(const toml::source_region& where, const std::string& key, std::string_view why)
    {
        problems_.push_back(file_ + ":" + std::to_string(where.begin.line) + ": " + key + ": " +
                            std::string(why));
    }
    void fail(const toml::node& n, const std::string& key, std::string_view why)
    {
        fail(n.source(), key, why);
    }
    void table(const toml::table& t, const std::string& prefix,
               const std::map<std::string, Handler>& handlers);
    void section(const toml::node& n, const std::string& key,
                 const std::map<std::string, Handler>& handlers);

    std::optional<std::string> string(const toml::node& n, const std::string& key);
    std::optional<std::int64_t> integer(const toml::node& n, const std::string& key,
                                        std::int64_t min, std::int64_t max);
    std::optional<Endpoint> endpoint(const toml::node& n, const std::string& key);
    // Each element checked by `each`; the list is returned whole only when all are good.
    template <typename T>
    std::optional<std::vector<T>>
    list(const toml::node& n, const std::string& key,
         const std::function<std::optional<T>(const toml::node&, const std::string&)>& each);
    std::optional<std::string> address(const toml::node& n, const std::string& key, int family);
    std::optional<std::string> domain(const toml::node& n, const std::string& key);

    std::optional<std::string> non_empty(N n, K key);
    void u32(N n, K key, std::int64_t min, std::int64_t max, std::uint32_t& out)
    {
        if (auto i = integer(n, key, min, max)) {
            out = static_cast<std::uint32_t>(*i);
        }
    }
    std::function<std::optional<Endpoint>(N, K)> endpoint_fn()
    {
        return [this](N e, K ek) { return endpoint(e, ek); };
    }

    void edge_pools(N n, K key, std::vector<EdgePool>& pools);
    void api(N v, K k, ApiConfig& c);
    void account(N v, K k, AccountConfig& c);
    void flattening(N v, K k, FlatteningConfig& c);
    void zones(N v, K k, ZonesConfig& c);
    void tcp(N v, K k, TcpConfig& c);

    std::string file_;
    std::vector<std::string> problems_;
};

void Parser::table(const toml::table& t, const std::string& prefix,
                   const std::map<std::string, Handler>& handlers)
{
    for (auto&& [k, v] : t) {
        std::string name =
            prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        auto it = handlers.find(std::string(k.str()));
        if (it == handlers.end()) {
            fail(k.source(), name, "unknown key");
            continue;
        }
        it->second(v, name);
    }
}

void Parser::section(const toml::node& n, const std::string& key,
                     const std::map<std::string, Handler>& handlers)
{
    if (const toml::table* t = n.as_table()) {
        table(*t, key, handlers);
    } else {
        fail(n, key, "expected a table");
    }
}

std::optional<std::string> Parser::string(const toml::node& n, const std::string& key)
{
    if (auto s = n.value_exact<std::string>()) {
        return s;
    }
    fail(n, key, "expected a string");
    return std::nullopt;
}

std::optional<std::int64_t> Parser::integer(const toml::node& n, const std::string& key,
                                            std::int64_t min, std::int64_t max)
{
    auto v = n.value_exact<std::int64_t>();
    if (!v) {
        fail(n, key, "expected an integer");
        return std::nullopt;
    }
    if (*v < min || *v > max) {
        fail(n, key, "must be " + std::to_string(min) + ".." + std::to_string(max));
        return std::nullopt;
    }
    return v;
}

std::optional<Endpoint> Parser::endpoint(const toml::node& n, const std::string& key)
{
    auto s = string(n, key);
    if (!s) {
        return std::nullopt;
    }
    std::string why;
    auto ep = parse_endpoint(*s, &why);
    if (!ep) {
        fail(n, key, why);
    }
    return ep;
}

template <typename T>
std::optional<std::vector<T>>
Parser::list(const toml::node& n, const std::string& key,
             const std::function<std::optional<T>(const toml::node&, const std::string&)>& each)
{
    const toml::array* a = n.as_array();
    if (!a) {
        fail(n, key, "expected an array");
        return std::nullopt;
    }
    std::vector<T> out;
    bool good = true;
    for (std::size_t i = 0; i < a->size(); ++i) {
        auto v = each((*a)[i], key + "[" + std::to_string(i) + "]");
        if (v) {
            out.push_back(std::move(*v));
        } else {
            good = false;
        }
    }
    return good ? std::optional(std::move(out)) : std::nullopt;
}

std::optional<std::string> Parser::non_empty(N n, K key)
{
    auto s = string(n, key);
    if (s && s->empty()) {
        fail(n, key, "must not be empty");
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> Parser::address(const toml::node& n, const std::string& key, int family)
{
    auto s = string(n, key);
    unsigned char buf[16];
    if (s && inet_pton(family, s->c_str(), buf) != 1) {
        fail(n, key, family == AF_INET ? "not an IPv4 address" : "not an IPv6 address");
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> Parser::domain(const toml::node& n, const std::string& key)
{
    auto s = string(n, key);
    if (!s) {
        return std::nullopt;
    }
    // Host names (RFC 1123 §2.1; `_` too, for service labels): a typo such as a space or a
    // quote would otherwise become an escaped label that no query could ever reach.
    auto bad = std::find_if_not(s->begin(), s->end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
    });
    if (bad != s->end()) {
        fail(n, key,
             std::string("not a domain name: '") + *bad + "' is not allowed in a host name");
        return std::nullopt;
    }
    std::string why;
    const dns::Name root; // names in the file are absolute, with or without the final dot
    auto name = s->empty() ? std::nullopt : dns::Name::from_text(*s, &root, &why);
    if (!name || name->is_root()) {
        fail(n, key, why.empty() ? "not a domain name" : "not a domain name: " + why);
        return std::nullopt;
    }
    return name->to_text();
}

void Parser::edge_pools(const toml::node& n, const std::string& key, std::vector<EdgePool>& pools)
{
    const toml::array* a = n.as_array();
    if (!a || !a->is_array_of_tables()) {
        fail(n, key, "expected an array of tables ([[edge_pools]])");
        return;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < a->size(); ++i) {
        const toml::table& t = *(*a)[i].as_table();
        std::string k = key + "[" + std::to_string(i) + "]";
        EdgePool pool;
        std::set<std::string> addrs; // binary forms: "2001:db8::1" is "2001:0db8::1"
        auto edge = [&](const toml::node& e, const std::string& ek, int family) {
            auto addr = address(e, ek, family);
            unsigned char b[16] = {};
            if (!addr || inet_pton(family, addr->c_str(), b) != 1) {
                return addr;
            }
            std::size_t len = family == AF_INET ? 4 : 16;
            bool unspecified = std::all_of(b, b + len, [](unsigned char x) { return x == 0; });
            bool multicast = family == AF_INET ? (b[0] & 0xF0) == 0xE0 : b[0] == 0xFF;
            if (unspecified || multicast) {
                fail(e, ek,
                     std::string(unspecified ? "an unspecified" : "a multicast") +
                         " address cannot front proxied traffic");
                return std::optional<std::string>{};
            }
            if (!addrs.insert(std::string(reinterpret_cast<char*>(b), len)).second) {
                fail(e, ek, "duplicate address " + *addr + " in the pool");
                return std::optional<std::string>{};
            }
            return addr;
        };
        auto v4 = [&](const toml::node& e, const std::string& ek) { return edge(e, ek, AF_INET); };
        auto v6 = [&](const toml::node& e, const std::string& ek) { return edge(e, ek, AF_INET6); };
        table(t, k,
              {{"name",
                [&](const toml::node& v, const std::string& vk) {
                    auto s = string(v, vk);
                    if (s && s->empty()) {
                        fail(v, vk, "must not be empty");
                    } else if (s && !seen.insert(*s).second) {
                        fail(v, vk, "duplicate pool name \"" + *s + "\"");
                    } else if (s) {
                        pool.name = *s;
                    }
                }},
               {"ipv4",
                [&](const toml::node& v, const std::string& vk) {
                    pool.ipv4 = list<std::string>(v, vk, v4).value_or(pool.ipv4);
                }},
               {"ipv6", [&](const toml::node& v, const std::string& vk) {
                    pool.ipv6 = list<std::string>(v, vk, v6).value_or(pool.ipv6);
                }}});
        if (!t.contains("name")) {
            fail(t.source(), k + ".name", "missing (every pool needs a name)");
        }
        if (!t.contains("ipv4") && !t.contains("ipv6")) {
            fail(t.source(), k, "a pool needs ipv4 or ipv6 addresses");
        }
        pools.push_back(std::move(pool));
    }
}

void Parser::root(const toml::table& t, DaemonConfig& c)
{
    table(t, "",
          {{"database",
            [&](N v, K k) {
                auto s = string(v, k);
                if (s && s->empty()) {
                    fail(v, k, "must not be empty");
                } else if (s) {
                    c.database = *s;
                }
            }},
           {"listen",
            [&](N v, K k) {
                auto l = list<Endpoint>(v, k, endpoint_fn());
                if (l && l->empty()) {
                    fail(v, k, "needs at least one address");
                } else if (l) {
                    c.listen = std::move(*l);
                }
            }},
           {"user",
            [&](N v, K k) {
                auto s = string(v, k);
                if (s && !valid_user_spec(*s)) {
                    fail(v, k, "expected \"USER\" or \"USER:GROUP\"");
                } else if (s) {
                    c.user = *s;
                }
            }},
           {"threads",
            [&](N v, K k) {
                if (auto i = integer(v, k, 1, 256)) {
                    c.threads = static_cast<unsigned>(*i);
                }
            }},
           {"api", [&](N v, K k) { api(v, k, c.api); }},
           {"account", [&](N v, K k) { account(v, k, c.account); }},
           {"edge_pools", [&](N v, K k) { edge_pools(v, k, c.edge_pools); }},
           {"flattening", [&](N v, K k) { flattening(v, k, c.flattening); }},
           {"tunnels",
            [&](N v, K k) {
                section(v, k, {{"domain", [&](N x, K xk) {
                                    if (auto d = domain(x, xk)) {
                                        c.tunnels.domain = d->substr(0, d->size() - 1);
                                    }
                                }}});
            }},
           {"zones", [&](N v, K k) { zones(v, k, c.zones); }},
           {"tcp", [&](N v, K k) { tcp(v, k, c.tcp); }},
           {"log", [&](N v, K k) {
                section(v, k, {{"level", [&](N x, K xk) {
                                    auto s = string(x, xk);
                                    if (s && !valid_log_level(*s)) {
                                        fail(x, xk, kLogLevels);
                                    } else if (s) {
                                        c.log.level = *s;
                                    }
                                }}});
            }}});
}

void Parser::api(N v, K k, ApiConfig& c)
{
    section(v, k,
            {{"listen",
              [&](N x, K xk) {
                  c.listen = endpoint(x, xk).value_or(c.listen);
                  c.listen_set = true;
              }},
             {"tls_cert", [&](N x, K xk) { c.tls_cert = non_empty(x, xk).value_or(""); }},
             {"tls_key", [&](N x, K xk) { c.tls_key = non_empty(x, xk).value_or(""); }},
             {"max_body_bytes", [&](N x, K xk) { u32(x, xk, 1024, 1 << 30, c.max_body_bytes); }},
             {"rate_limit_per_minute",
              [&](N x, K xk) { u32(x, xk, 0, 1000000, c.rate_limit_per_minute); }},
             {"threads", [&](N x, K xk) { u32(x, xk, 1, 64, c.threads); }}});
    if (c.tls_cert.empty() != c.tls_key.empty()) {
        fail(v, k, "tls_cert and tls_key go together");
    }
}

void Parser::account(N v, K k, AccountConfig& c)
{
    section(v, k,
            {{"name", [&](N x, K xk) { c.name = non_empty(x, xk).value_or(c.name); }},
             {"email", [&](N x, K xk) {
                  auto s = string(x, xk);
                  if (s && s->find('@') == std::string::npos) {
                      fail(x, xk, "not an email address");
                  } else if (s) {
                      c.email = *s;
                  }
              }}});
}

void Parser::flattening(N v, K k, FlatteningConfig& c)
{
    section(
        v, k,
        {{"upstreams",
          [&](N x, K xk) {
              c.upstreams = list<Endpoint>(x, xk, endpoint_fn()).value_or(c.upstreams);
          }},
         {"stale_max_seconds", [&](N x, K xk) { u32(x, xk, 0, 604800 * 4, c.stale_max_seconds); }},
         {"serial_min_interval_seconds",
          [&](N x, K xk) { u32(x, xk, 0, 86400, c.serial_min_interval_seconds); }}});
}

void Parser::zones(N v, K k, ZonesConfig& c)
{
    section(v, k,
            {{"name_servers",
              [&](N x, K xk) {
                  auto dom = [this](N e, K ek) { return domain(e, ek); };
                  c.name_servers = list<std::string>(x, xk, dom).value_or(c.name_servers);
              }},
             {"activation_resolver",
              [&](N x, K xk) {
                  if (auto e = endpoint(x, xk)) {
                      c.activation_resolver = *e;
                  }
              }},
             {"activation_interval_seconds",
              [&](N x, K xk) { u32(x, xk, 1, 86400 * 7, c.activation_interval_seconds); }},
             {"activation_parent_port", [&](N x, K xk) {
                  std::uint32_t port = c.activation_parent_port;
                  u32(x, xk, 1, 65535, port);
                  c.activation_parent_port = static_cast<std::uint16_t>(port);
              }}});
}

void Parser::tcp(N v, K k, TcpConfig& c)
{
    section(v, k,
            {{"idle_timeout_ms", [&](N x, K xk) { u32(x, xk, 100, 3600000, c.idle_timeout_ms); }},
             {"max_connections", [&](N x, K xk) { u32(x, xk, 1, 1000000, c.max_connections); }},
             {"max_message_size", [&](N x, K xk) { u32(x, xk, 512, 65535, c.max_message_size); }}});
}

} // namespace

ConfigError::ConfigError(std::vector<std::string> p)
    : std::runtime_error(join(p)), problems(std::move(p))
{
}

DaemonConfig parse_config(std::string_view text, std::string_view filename)
{
    toml::table root;
    try {
        root = toml::parse(text, filename);
    } catch (const toml::parse_error& e) {
        throw ConfigError({std::string(filename) + ":" + std::to_string(e.source().begin.line) +
                           ": " + std::string(e.description())});
    }
    DaemonConfig cfg;
    Parser p(filename);
    p.root(root, cfg);
    if (!p.problems().empty()) {
        throw ConfigError(p.problems());
    }
    return cfg;
}

DaemonConfig load_config(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ConfigError({path + ": cannot read the configuration file"});
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_config(ss.str(), path);
}

void apply_overrides(DaemonConfig& cfg, const Overrides& o)
{
    std::vector<std::string> problems;
    if (o.database) {
        if (o.database->empty()) {
            problems.push_back("--db: must not be empty");
        } else {
            cfg.database = *o.database;
        }
    }
    if (!o.listen.empty()) {
        std::vector<Endpoint> eps;
        for (const auto& l : o.listen) {
            std::string why;
            if (auto ep = parse_endpoint(l, &why)) {
                eps.push_back(*ep);
            } else {
                problems.push_back("--listen " + l + ": " + why);
            }
        }
        cfg.listen = std::move(eps);
    }
    if (o.threads) {
        if (*o.threads < 1 || *o.threads > 256) {
            problems.push_back("--threads: must be 1..256");
        } else {
            cfg.threads = *o.threads;
        }
    }
    if (o.api_listen) {
        std::string why;
        if (auto ep = parse_endpoint(*o.api_listen, &why)) {
            cfg.api.listen = *ep;
            cfg.api.listen_set = true;
        } else {
            problems.push_back("--api-listen " + *o.api_listen + ": " + why);
        }
    }
    if (o.user) {
        if (!valid_user_spec(*o.user)) {
            problems.push_back("--user " + *o.user + R"(: expected "USER" or "USER:GROUP")");
        } else {
            cfg.user = *o.user;
        }
    }
    if (o.log_level) {
        if (!valid_log_level(*o.log_level)) {
            problems.push_back(std::string("--log-level: ") + kLogLevels);
        } else {
            cfg.log.level = *o.log_level;
        }
    }
    if (!problems.empty()) {
        throw ConfigError(problems);
    }
}

} // namespace nuage::config

// Zone activation without sockets: how the parent's answers are compared with the zone's
// assigned name servers (DESIGN §2 Zones).
#include "dnsd/activation/delegation_probe.hpp"

#include <doctest/doctest.h>

using namespace nuage;
using namespace nuage::activation;

namespace {

std::vector<dns::Name> names(std::initializer_list<const char*> texts)
{
    std::vector<dns::Name> out;
    for (const char* t : texts) {
        out.push_back(dns::Name::parse(t));
    }
    return out;
}

ServerAnswer says(std::string addr, std::set<std::string> ns)
{
    return {std::move(addr), std::move(ns), {}};
}

ServerAnswer failed(std::string addr)
{
    return {std::move(addr), std::nullopt, "timeout"};
}

} // namespace

TEST_CASE("normalize_ns: lowercase, no trailing dot")
{
    CHECK(normalize_ns("NS1.Example.NET.") == "ns1.example.net");
    CHECK(normalize_ns("ns1.example.net") == "ns1.example.net");
    CHECK(normalize_ns(".") == ".");
}

TEST_CASE("delegation_matches: every answering server gives exactly the assigned set")
{
    auto want = names({"ns1.nuage.test.", "NS2.nuage.test."});
    ProbeResult r;
    r.parent = "test.";
    r.servers = {says("192.0.2.1", {"ns1.nuage.test", "ns2.nuage.test"})};
    CHECK(delegation_matches(r, want));

    SUBCASE("a failed server is ignored")
    {
        r.servers.push_back(failed("2001:db8::1"));
        CHECK(delegation_matches(r, want));
    }
    SUBCASE("one server disagreeing holds the zone back")
    {
        r.servers.push_back(says("192.0.2.2", {"ns1.other.net"}));
        CHECK_FALSE(delegation_matches(r, want));
    }
    SUBCASE("a subset or a superset is not a match")
    {
        r.servers = {says("192.0.2.1", {"ns1.nuage.test"})};
        CHECK_FALSE(delegation_matches(r, want));
        r.servers = {says("192.0.2.1", {"ns1.nuage.test", "ns2.nuage.test", "ns3.nuage.test"})};
        CHECK_FALSE(delegation_matches(r, want));
    }
    SUBCASE("not delegated at all")
    {
        r.servers = {says("192.0.2.1", {})};
        CHECK_FALSE(delegation_matches(r, want));
    }
    SUBCASE("no server answered")
    {
        r.servers = {failed("192.0.2.1")};
        CHECK_FALSE(delegation_matches(r, want));
        r.servers.clear();
        r.error = "the resolver answered rcode 2";
        CHECK_FALSE(delegation_matches(r, want));
    }
    SUBCASE("a zone without assigned servers never matches")
    {
        r.servers = {says("192.0.2.1", {})};
        CHECK_FALSE(delegation_matches(r, {}));
    }
}

TEST_CASE("describe: one line for the log")
{
    ProbeResult r;
    r.parent = "test.";
    r.servers = {says("127.0.0.1", {"a.test", "b.test"}), says("127.0.0.2", {}), failed("::1")};
    CHECK(describe(r) ==
          "parent test.: 127.0.0.1 NS a.test,b.test; 127.0.0.2 not delegated; ::1 failed "
          "(timeout)");
    ProbeResult e;
    e.error = "cannot read /etc/resolv.conf";
    CHECK(describe(e) == "cannot read /etc/resolv.conf");
}

TEST_CASE("probe_delegation of the root has no parent")
{
    ProbeResult r = probe_delegation(dns::Name(), ProbeOptions{});
    CHECK_FALSE(r.error.empty());
    CHECK(r.servers.empty());
}

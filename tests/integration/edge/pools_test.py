#!/usr/bin/python3
"""pools_test.py -- edge pools against the real dnsd (issue 3 item 1): a zone naming a pool the
configuration lacks, or using an empty pool, stops dnsd at start with a message naming the
zone and the key; a pool without IPv6 answers AAAA at proxied names with NODATA (the SOA in
the authority section, RFC 2308), never the origin; `zone set ZONE edge_pool P` is followed
live.

Usage: pools_test.py --dnsd PATH --dnsctl PATH CASE
"""

import argparse
import os
import sys
import time

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "daemon"))
from harness import Env, TestFailure, check  # noqa: E402

POOLS = """
[[edge_pools]]
name = "default"
ipv4 = ["203.0.113.10"]
ipv6 = ["2001:db8:e::10"]

[[edge_pools]]
name = "v4only"
ipv4 = ["203.0.113.20"]
"""
ORIGIN = "198.51.100.77"

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def ask(port, qname, qtype):
    return dns.query.udp(dns.message.make_query(qname, qtype), "127.0.0.1", port=port, timeout=2)


def addrs(r, qtype):
    out = set()
    for rrset in r.answer:
        if rrset.rdtype == dns.rdatatype.from_text(qtype):
            out |= {x.to_text() for x in rrset}
    return out


def setup(env, pool=None):
    env.import_zone()
    env.dnsctl("record", "add", "example.test", "shop", "A", ORIGIN, "--proxied")
    if pool:
        env.dnsctl("zone", "set", "example.test", "edge_pool", pool)


def refused_at_start(env, config, *expect):
    cfg = env.write("refused.toml", config)
    for mode in ((), ("--check-config",)):
        r = env.run_dnsd("--config", cfg, "--db", env.db, "--listen", "127.0.0.1:1", *mode)
        check(r.returncode == 1, f"dnsd {' '.join(mode)} exit {r.returncode}: {r.stderr}")
        for e in expect:
            check(e in r.stderr, f"'{e}' not in: {r.stderr}")


@case
def unknown_pool_is_refused_at_start(env):
    setup(env, pool="eu")  # offline, without --config: the store cannot know
    refused_at_start(env, POOLS, "edge_pools: zone example.test: edge_pool 'eu' is not "
                                 "configured ([[edge_pools]])")


@case
def empty_pool_is_refused_at_start(env):
    setup(env)
    refused_at_start(env, '[[edge_pools]]\nname = "default"\nipv4 = []\nipv6 = []\n',
                     "zone example.test: edge_pools 'default' has no ipv4 and no ipv6 address")


@case
def proxied_records_without_pools_are_refused_at_start(env):
    setup(env)
    for mode in ((), ("--check-config",)):
        r = env.run_dnsd("--db", env.db, "--listen", "127.0.0.1:1", *mode)
        check(r.returncode == 1, f"exit {r.returncode}")
        check("zone example.test: shop.example.test is proxied but no edge pool is configured"
              in r.stderr, r.stderr)


@case
def ipv4_only_pool_answers_aaaa_with_nodata(env):
    setup(env, pool="v4only")
    d = env.start_dnsd(config=POOLS)
    r = ask(d.port, "shop.example.test.", "A")
    check(addrs(r, "A") == {"203.0.113.20"}, f"A from the v4only pool: {r}")
    r = ask(d.port, "shop.example.test.", "AAAA")
    check(r.rcode() == dns.rcode.NOERROR and not r.answer, f"AAAA: NODATA: {r}")
    check(r.authority and r.authority[0].rdtype == dns.rdatatype.SOA, "NODATA carries the SOA")
    check(ORIGIN not in r.to_text(), "the origin is never shown")
    # Switch the zone to the default pool live; the answers follow within a second.
    env.dnsctl("--config", env.path("dnsd.toml"), "zone", "set", "example.test", "edge_pool",
               "default")
    t0 = time.monotonic()
    while addrs(ask(d.port, "shop.example.test.", "AAAA"), "AAAA") != {"2001:db8:e::10"}:
        check(time.monotonic() - t0 < 1.0, "the pool change was not served within 1 s")
        time.sleep(0.01)
    check(addrs(ask(d.port, "shop.example.test.", "A"), "A") == {"203.0.113.10"}, "A follows")
    # With --config, dnsctl refuses a pool dnsd would refuse.
    r = env.dnsctl("--config", env.path("dnsd.toml"), "zone", "set", "example.test",
                   "edge_pool", "eu", ok=False)
    check(r.returncode == 1 and "edge_pool: no edge pool named 'eu'" in r.stderr, r.stderr)
    # Without --config dnsctl cannot check: dnsd logs the error and keeps serving the zone as
    # it was, never with no address at all.
    env.dnsctl("zone", "set", "example.test", "edge_pool", "eu")
    t0 = time.monotonic()
    while "edge_pool 'eu' is not configured" not in d.log_text():
        check(time.monotonic() - t0 < 2.0, f"no error logged: {d.log_text()[-800:]}")
        time.sleep(0.05)
    check(addrs(ask(d.port, "shop.example.test.", "A"), "A") == {"203.0.113.10"},
          "the zone keeps its previous pool")
    check(addrs(ask(d.port, "shop.example.test.", "AAAA"), "AAAA") == {"2001:db8:e::10"},
          "AAAA too")
    d.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dnsd", required=True)
    ap.add_argument("--dnsctl", required=True)
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    env = Env(a.dnsd, a.dnsctl)
    try:
        CASES[a.case](env)
    except TestFailure as e:
        print(f"FAIL {a.case}: {e}", file=sys.stderr)
        return 1
    finally:
        env.close()
    print(f"ok {a.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

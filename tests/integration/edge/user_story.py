#!/usr/bin/python3
"""user_story.py -- the user's story of DESIGN §1 (issue 3 item 6) against a running dnsd,
checked with the real `dig`, every edit made with `dnsctl` while dnsd serves:

  1. www A 1.2.3.4, proxied: dig shows the edge's addresses, never 1.2.3.4;
  2. git CNAME www, proxied: dig git shows the edge's addresses and no CNAME;
  3. a tunnel, then ONE `record edit` turns www's A into a proxied CNAME to
     <tunnel-id>.cfargotunnel.com; every name that pointed at www follows.

Each change is visible within a second. A background prober asks www and git (A and AAAA,
UDP and TCP) during the whole story and records every answer: 1.2.3.4 is never seen, a
proxied name never shows a CNAME, and once a name exists it never answers NXDOMAIN.

Usage: user_story.py --dnsd PATH --dnsctl PATH
"""

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "daemon"))
from harness import Env, TestFailure, check  # noqa: E402

ZONE = "votredomaine.fr"
ORIGIN_ADDRESS = "1.2.3.4"
EDGE_V4 = {"203.0.113.10", "203.0.113.11"}
EDGE_V6 = {"2001:db8:e::10", "2001:db8:e::11"}
CONFIG = """
[[edge_pools]]
name = "default"
ipv4 = ["203.0.113.10", "203.0.113.11"]
ipv6 = ["2001:db8:e::10", "2001:db8:e::11"]

[zones]
name_servers = ["ns1.example.net.", "ns2.example.net."]
"""
VISIBLE_WITHIN = 1.0  # seconds


def dig(port, *args):
    """The real dig against dnsd: +noall +answer lines as (owner, ttl, type, data) tuples."""
    r = subprocess.run(["dig", "@127.0.0.1", "-p", str(port), "+noall", "+answer", "+time=1",
                        "+tries=2", *args], capture_output=True, text=True, timeout=10)
    check(r.returncode == 0, f"dig {' '.join(args)}: exit {r.returncode}: {r.stdout}{r.stderr}")
    check(ORIGIN_ADDRESS not in r.stdout, f"dig {' '.join(args)} shows the origin: {r.stdout}")
    out = []
    for line in r.stdout.splitlines():
        if line.strip() and not line.startswith(";"):
            f = line.split(None, 4)
            out.append((f[0].lower(), int(f[1]), f[3], f[4].strip()))
    return out


def data(lines, rtype):
    return {d for (_, _, t, d) in lines if t == rtype}


def until_visible(what, fn):
    """Seconds until fn() holds (dig every few ms); fails past VISIBLE_WITHIN."""
    t0 = time.monotonic()
    while True:
        last = fn()
        if last is True:
            took = time.monotonic() - t0
            print(f"  {what}: visible after {took * 1000:.0f} ms")
            return took
        if time.monotonic() - t0 > VISIBLE_WITHIN:
            raise TestFailure(f"{what}: not visible within {VISIBLE_WITHIN} s (last: {last})")
        time.sleep(0.005)


class Prober:
    """Asks www and git, A and AAAA, over UDP and TCP, continuously; records every answer."""

    def __init__(self, port):
        self.port = port
        self.stop = threading.Event()
        self.answers = []  # (time, name, qtype, rcode, addresses, cname owners)
        self.errors = []
        self.thread = threading.Thread(target=self.run)

    def run(self):
        n = 0
        while not self.stop.is_set():
            name = ("www", "git")[n % 2]
            qtype = ("A", "AAAA")[(n // 2) % 2]
            tcp = (n // 4) % 2 == 1
            n += 1
            q = dns.message.make_query(f"{name}.{ZONE}.", qtype)
            try:
                r = (dns.query.tcp if tcp else dns.query.udp)(q, "127.0.0.1", port=self.port,
                                                              timeout=2.0)
            except Exception as e:  # a lost answer is a failure of the story
                self.errors.append(f"{name} {qtype} tcp={tcp}: {type(e).__name__} {e}")
                continue
            addrs, cnames = set(), set()
            for rrset in r.answer:
                if rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
                    addrs |= {x.to_text() for x in rrset}
                if rrset.rdtype == dns.rdatatype.CNAME:
                    cnames.add(rrset.name.to_text())
            self.answers.append((time.monotonic(), name, qtype, r.rcode(), addrs, cnames))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)

    def verify(self):
        check(not self.errors, f"{len(self.errors)} probe failures, first: {self.errors[:5]}")
        seen = {"www": False, "git": False}
        counts = {"www": 0, "git": 0}
        for (_, name, qtype, rcode, addrs, cnames) in self.answers:
            check(ORIGIN_ADDRESS not in addrs, f"the prober saw {ORIGIN_ADDRESS} for {name}")
            check(not cnames, f"a proxied name showed a CNAME: {name} {qtype} {cnames}")
            if rcode == dns.rcode.NOERROR and addrs:
                seen[name] = True
            if seen[name]:
                counts[name] += 1
                check(rcode == dns.rcode.NOERROR,
                      f"{name} {qtype}: {dns.rcode.to_text(rcode)} after it existed")
                check(addrs == (EDGE_V4 if qtype == "A" else EDGE_V6),
                      f"{name} {qtype}: {sorted(addrs)}, not the edge's")
        check(all(seen.values()), f"the prober saw both names answered: {seen}")
        return counts


def serial(env):
    for line in env.dnsctl("zone", "list").stdout.splitlines():
        if f"\t{ZONE}\t" in line:
            return int(line.split("serial=")[1].split("\t")[0])
    raise TestFailure("the zone is not listed")


def story(env):
    check(shutil.which("dig") is not None, "dig is not installed (bind9-dnsutils)")
    cfg = env.write("nuage.toml", CONFIG)
    env.dnsctl("--config", cfg, "zone", "create", ZONE)
    blog = env.dnsctl("record", "add", ZONE, "blog", "CNAME", f"www.{ZONE}").stdout.split()[-1]
    d = env.start_dnsd(config=CONFIG, threads=2)
    port = d.port
    with Prober(port) as prober:
        print("step 1: www A 1.2.3.4, proxied")
        www = env.dnsctl("--config", cfg, "record", "add", ZONE, "www", "A", ORIGIN_ADDRESS,
                         "--proxied").stdout.split()[-1]
        until_visible("www A", lambda: data(dig(port, f"www.{ZONE}"), "A") == EDGE_V4 or
                      dig(port, f"www.{ZONE}"))
        check(data(dig(port, f"www.{ZONE}", "AAAA"), "AAAA") == EDGE_V6,
              "www AAAA: the edge's IPv6 addresses, though the origin is IPv4 only")
        check(all(ttl == 300 for (_, ttl, _, _) in dig(port, f"www.{ZONE}")), "TTL 300")

        print("step 2: git CNAME www, proxied")
        env.dnsctl("--config", cfg, "record", "add", ZONE, "git", "CNAME", f"www.{ZONE}",
                   "--proxied")
        until_visible("git A", lambda: set(dig(port, f"git.{ZONE}")) == {
            (f"git.{ZONE}.", 300, "A", a) for a in EDGE_V4} or dig(port, f"git.{ZONE}"))
        check(not data(dig(port, f"git.{ZONE}", "CNAME"), "CNAME"), "git's CNAME is never shown")

        print("step 3: a tunnel, then ONE record edit: www becomes a proxied tunnel CNAME")
        tunnel = env.dnsctl("--config", cfg, "tunnel", "create", "home").stdout.split()[-1]
        before = serial(env)
        out = env.dnsctl("--config", cfg, "record", "edit", ZONE, www, "--type", "CNAME",
                         "--content", f"{tunnel}.cfargotunnel.com").stdout
        check(f"CNAME\t{tunnel}.cfargotunnel.com\tproxied" in out, f"the edit: {out}")
        after = serial(env)
        check(after == before + 1, f"one atomic change: serial {before} -> {after}")
        until_visible("the new serial", lambda: any(
            d_.split()[2] == str(after) for d_ in data(dig(port, ZONE, "SOA"), "SOA")) or
            dig(port, ZONE, "SOA"))
        for name in ("www", "git"):
            lines = dig(port, f"{name}.{ZONE}")
            check(data(lines, "A") == EDGE_V4 and not data(lines, "CNAME"),
                  f"{name} after the edit: {lines}")
            check(data(dig(port, f"{name}.{ZONE}", "AAAA"), "AAAA") == EDGE_V6, f"{name} AAAA")
        check(not dig(port, f"www.{ZONE}", "CNAME"), "the tunnel CNAME is never shown")
        # A DNS-only CNAME to www follows too: its chain ends at the edge.
        lines = dig(port, f"blog.{ZONE}")
        check(data(lines, "CNAME") == {f"www.{ZONE}."} and data(lines, "A") == EDGE_V4,
              f"blog follows www: {lines}")
        listed = env.dnsctl("tunnel", "list").stdout
        check(f"{tunnel}\thome\tinactive\t" in listed and f"www.{ZONE}" in listed,
              f"the tunnel and its route: {listed}")
        refused = env.dnsctl("tunnel", "delete", "home", ok=False)
        check(refused.returncode == 1 and f"www.{ZONE}" in refused.stderr,
              f"a routed tunnel is not deleted: {refused.stderr}")
        time.sleep(0.3)  # a last few probes on the final state
    counts = prober.verify()
    check(d.alive(), "dnsd survived")
    d.stop()
    check(blog, "blog was added")
    print(f"story done: {len(prober.answers)} probe answers (www {counts['www']}, "
          f"git {counts['git']} once they existed), 1.2.3.4 never seen, no NXDOMAIN")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dnsd", required=True)
    ap.add_argument("--dnsctl", required=True)
    a = ap.parse_args()
    env = Env(a.dnsd, a.dnsctl)
    try:
        story(env)
    except TestFailure as e:
        print(f"FAIL user_story: {e}", file=sys.stderr)
        return 1
    finally:
        env.close()
    print("ok user_story")
    return 0


if __name__ == "__main__":
    sys.exit(main())

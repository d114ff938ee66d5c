#!/usr/bin/python3
"""flatten_test.py -- CNAME flattening in the real dnsd (DESIGN §2, issue 3 item 4).

Targets served by dnsd itself (in-zone, cross-zone, proxied), and targets outside resolved
through a second authoritative server started here (knotd), a stalled upstream and an upstream
that answers garbage. Usage: flatten_test.py --dnsd PATH --dnsctl PATH CASE
"""

import argparse
import os
import socket
import statistics
import struct
import sys
import threading
import time

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "daemon"))
from harness import Env, TestFailure, check, free_port  # noqa: E402
from upstreams import Knot, Scripted, Staller  # noqa: E402

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


EDGE = ("203.0.113.10", "2001:db8:e::10")


def config(upstream_port, stale_max=86400, serial_interval=1):
    return f"""[api]
listen = "127.0.0.1:{free_port()}"

[[edge_pools]]
name = "default"
ipv4 = ["{EDGE[0]}"]
ipv6 = ["{EDGE[1]}"]

[flattening]
upstreams = ["127.0.0.1:{upstream_port}"]
stale_max_seconds = {stale_max}
serial_min_interval_seconds = {serial_interval}
"""


def zone(origin, body, ttl=300):
    return (f"$ORIGIN {origin}.\n$TTL {ttl}\n"
            f"@ IN SOA ns1.{origin}. hostmaster.{origin}. 1 10000 2400 604800 300\n"
            f"@ IN NS ns1.{origin}.\nns1 IN A 192.0.2.53\n" + body)


def ask(port, qname, qtype="A", tcp=False, timeout=2.0):
    q = dns.message.make_query(qname, qtype)
    if tcp:
        return dns.query.tcp(q, "127.0.0.1", port=port, timeout=timeout)
    return dns.query.udp(q, "127.0.0.1", port=port, timeout=timeout)


def rdatas(resp, qtype):
    t = dns.rdatatype.from_text(qtype)
    return {r.to_text() for rrset in resp.answer if rrset.rdtype == t for r in rrset}


def types(resp):
    return {dns.rdatatype.to_text(rrset.rdtype) for rrset in resp.answer}


def ttl_of(resp, qtype):
    t = dns.rdatatype.from_text(qtype)
    return [rrset.ttl for rrset in resp.answer if rrset.rdtype == t][0]


def serial(port, origin):
    return ask(port, origin, "SOA").answer[0][0].serial


def wait_for(what, pred, limit):
    """Polls pred() (every 50 ms) until it is true; fails naming `what` after `limit` s."""
    end = time.monotonic() + limit
    last = None
    while time.monotonic() < end:
        try:
            last = pred()
            if last:
                return time.monotonic()
        except (dns.exception.Timeout, OSError) as e:
            last = e
        time.sleep(0.05)
    raise TestFailure(f"{what}: not within {limit} s (last: {last})")


class Watch:
    """Asks (qname, A) in a loop on a thread; records every rcode and answer seen."""

    def __init__(self, port, qname):
        self.port, self.qname = port, qname
        self.seen = []
        self.stop_ev = threading.Event()
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()

    def _run(self):
        while not self.stop_ev.is_set():
            try:
                r = ask(self.port, self.qname, "A", timeout=1)
                self.seen.append((r.rcode(), frozenset(rdatas(r, "A")), frozenset(types(r))))
            except dns.exception.Timeout:
                self.seen.append(("timeout", frozenset(), frozenset()))
            time.sleep(0.01)

    def stop(self):
        self.stop_ev.set()
        self.t.join(timeout=5)
        return self.seen


def record_id(env, zone_name, name, rtype):
    out = env.dnsctl("record", "list", zone_name, "--name", name, "--type", rtype).stdout
    lines = [line for line in out.splitlines() if line.strip()]
    check(len(lines) == 1, f"one {rtype} at {name}: {out}")
    return lines[0].split("\t")[0]


# ---- targets served by dnsd itself --------------------------------------------------------

SERVED = zone("example.test", """@ 120 IN CNAME www
@ IN MX 10 mail
@ IN TXT "v=spf1 -all"
www 60 IN A 192.0.2.10
www IN AAAA 2001:db8::10
plain IN CNAME www
""")
OTHER = zone("other.test", "www 200 IN A 198.51.100.20\n")


@case
def served_targets(env):
    env.import_zone("example.test", SERVED)
    env.import_zone("other.test", OTHER)
    env.dnsctl("record", "add", "other.test", "shop", "A", "192.0.2.200", "--proxied")
    env.dnsctl("record", "add", "example.test", "cross", "CNAME", "www.other.test",
               "--flatten-cname")
    env.dnsctl("record", "add", "example.test", "toshop", "CNAME", "shop.other.test",
               "--flatten-cname", "--ttl", "600")
    d = env.start_dnsd(config=config(free_port()))
    p = d.port
    # The apex: the target's addresses under the original name, TTL min(120, 60); other
    # types as stored; the CNAME itself never shown.
    r = ask(p, "example.test.", "A")
    check(r.rcode() == dns.rcode.NOERROR and rdatas(r, "A") == {"192.0.2.10"}, f"apex A: {r}")
    check(types(r) == {"A"} and ttl_of(r, "A") == 60, f"apex A alone, TTL 60: {r}")
    r = ask(p, "example.test.", "AAAA", tcp=True)
    check(rdatas(r, "AAAA") == {"2001:db8::10"}, f"apex AAAA: {r}")
    check(rdatas(ask(p, "example.test.", "MX"), "MX") == {"10 mail.example.test."}, "apex MX")
    check(rdatas(ask(p, "example.test.", "TXT"), "TXT") == {'"v=spf1 -all"'}, "apex TXT")
    r = ask(p, "example.test.", "CNAME")
    check(r.rcode() == dns.rcode.NOERROR and not r.answer, f"no CNAME at the apex: {r}")
    r = ask(p, "example.test.", "ANY")
    check("CNAME" not in types(r), f"ANY shows no CNAME: {r}")
    # A DNS-only CNAME that no rule covers stays a CNAME chain.
    r = ask(p, "plain.example.test.", "A")
    check(types(r) == {"CNAME", "A"}, f"plain CNAME served as a chain: {r}")
    # Cross-zone and proxied targets.
    r = ask(p, "cross.example.test.", "A")
    check(rdatas(r, "A") == {"198.51.100.20"} and types(r) == {"A"}, f"cross-zone: {r}")
    check(ttl_of(r, "A") == 200, f"TTL min(300, 200): {r}")
    origin = socket.inet_aton("192.0.2.200")
    for qtype, want in (("A", {EDGE[0]}), ("AAAA", {EDGE[1]}), ("ANY", None)):
        for tcp in (False, True):
            r = ask(p, "toshop.example.test.", qtype, tcp=tcp)
            check(origin not in r.to_wire(), f"the origin leaked through flattening ({qtype})")
            if want:
                check(rdatas(r, qtype) == want, f"proxied target gives the edge: {r}")

    # A write to the target is published with the flattened name: never a SERVFAIL between.
    w = Watch(p, "example.test.")
    env.dnsctl("record", "edit", "example.test", record_id(env, "example.test", "www", "A"),
               "--content", "192.0.2.11")
    t0 = time.monotonic()
    wait_for("apex follows www", lambda: rdatas(ask(p, "example.test."), "A") == {"192.0.2.11"},
             3)
    check(time.monotonic() - t0 < 1.0, "the apex followed within a second")
    time.sleep(0.2)
    seen = w.stop()
    check(all(s[0] == dns.rcode.NOERROR and s[2] == {"A"} for s in seen),
          f"only NOERROR A answers during the edit: {set(seen)}")

    # Cross-zone: a write to other.test moves example.test's answer, then its serial.
    before = serial(p, "example.test.")
    w = Watch(p, "cross.example.test.")
    env.dnsctl("record", "edit", "other.test", record_id(env, "other.test", "www", "A"),
               "--content", "198.51.100.21")
    wait_for("cross follows other.test",
             lambda: rdatas(ask(p, "cross.example.test."), "A") == {"198.51.100.21"}, 1.5)
    seen = w.stop()
    check(all(s[0] == dns.rcode.NOERROR for s in seen), f"no SERVFAIL: {set(seen)}")
    wait_for("example.test's serial follows", lambda: serial(p, "example.test.") > before, 4)
    check(f"zone example.test.: serial {serial(p, 'example.test.')} (flattened answers changed)"
          in d.log_text(), "the serial bump is logged")
    # The bumped serial is the stored one: the export shows it.
    exported = env.dnsctl("zone", "export", "example.test").stdout
    check(f"Serial:     {serial(p, 'example.test.')}" in exported, "stored serial = served")

    # flatten_all, live: the plain CNAME becomes addresses; back to flatten_at_root.
    env.dnsctl("zone", "set", "example.test", "cname_flattening", "flatten_all")
    wait_for("flatten_all flattens plain",
             lambda: types(ask(p, "plain.example.test.")) == {"A"}, 2)
    env.dnsctl("zone", "set", "example.test", "cname_flattening", "flatten_at_root")
    wait_for("flatten_at_root serves plain as a CNAME",
             lambda: types(ask(p, "plain.example.test.")) == {"CNAME", "A"}, 2)
    # Per record.
    env.dnsctl("record", "edit", "example.test",
               record_id(env, "example.test", "plain", "CNAME"), "--flatten-cname")
    wait_for("flatten_cname flattens plain",
             lambda: types(ask(p, "plain.example.test.")) == {"A"}, 2)
    check(dns.rcode.NOERROR == ask(p, "plain.example.test.", "CNAME").rcode(), "CNAME: NODATA")
    d.stop()


@case
def settings_export_and_refusals(env):
    env.import_zone("example.test", SERVED)
    ctl = env.dnsctl
    cid = ctl("record", "add", "example.test", "one", "CNAME", "www.example.test",
              "--flatten-cname").stdout.split()[-1]
    exported = ctl("zone", "export", "example.test").stdout
    apex_line = [line for line in exported.splitlines() if "\tCNAME\t" in line and
                 line.startswith("example.test.")]
    check(apex_line and "cf_tags=cf-flatten-cname" in apex_line[0], f"apex tagged: {exported}")
    one_line = [line for line in exported.splitlines() if line.startswith("one.example.test.")]
    check(one_line and "cf_tags=cf-flatten-cname" in one_line[0], "flatten_cname tagged")
    public = ctl("zone", "export", "example.test", "--public").stdout
    cnames = [line.split("\t")[0] for line in public.splitlines() if "\tCNAME\t" in line]
    check(cnames == ["plain.example.test."], f"no flattened CNAME in the public view: {public}")
    # Flattened names hold their target's addresses, as dnsd answers them (TTL min(120, 60)
    # at the apex); a target outside the served zones is only named.
    lines = {tuple(line.split("\t")) for line in public.splitlines() if "\t" in line}
    for owner, ttl in (("example.test.", "60"), ("one.example.test.", "60")):
        check((owner, ttl, "IN", "A", "192.0.2.10") in lines, f"{owner} A: {public}")
        check((owner, "300" if owner == "one.example.test." else "120", "IN", "AAAA",
               "2001:db8::10") in lines, f"{owner} AAAA: {public}")
    ctl("record", "add", "example.test", "far", "CNAME", "x.example.net", "--flatten-cname")
    public = ctl("zone", "export", "example.test", "--public").stdout
    check("; far.example.test. A/AAAA: a flattened name whose target dnsd resolves from its "
          "upstreams" in public and "x.example.net" not in public, f"outside target: {public}")
    ctl("record", "delete", "example.test", ctl("record", "list", "example.test", "--name",
                                                "far").stdout.split()[0])
    # Refusals name the field; nothing is written.
    before = ctl("record", "list", "example.test").stdout
    r = ctl("record", "add", "example.test", "x", "A", "192.0.2.1", "--flatten-cname", ok=False)
    check(r.returncode != 0 and "settings.flatten_cname" in r.stderr, f"A: {r.stderr}")
    r = ctl("record", "add", "example.test", "y", "CNAME", "www.example.test", "--proxied",
            "--flatten-cname", ok=False)
    check(r.returncode != 0 and "settings.flatten_cname" in r.stderr, f"proxied: {r.stderr}")
    r = ctl("zone", "set", "example.test", "cname_flattening", "sometimes", ok=False)
    check(r.returncode != 0 and "cname_flattening" in r.stderr, f"bad value: {r.stderr}")
    # A non-address type may share a name with a flattened CNAME, never an A.
    ctl("record", "add", "example.test", "one", "TXT", "beside")
    r = ctl("record", "add", "example.test", "one", "A", "192.0.2.7", ok=False)
    check(r.returncode != 0, "an A beside a flattened CNAME is refused")
    # flatten_all lets a CNAME share its name; going back would break that: refused.
    ctl("zone", "set", "example.test", "cname_flattening", "flatten_all")
    ctl("record", "add", "example.test", "plain", "TXT", "shared")
    r = ctl("zone", "set", "example.test", "cname_flattening", "flatten_at_root", ok=False)
    check(r.returncode != 0 and "cname_flattening" in r.stderr, f"relied on: {r.stderr}")
    check("flatten_all" in ctl("zone", "list").stdout, "the setting is unchanged")
    after = ctl("record", "list", "example.test").stdout
    check(len(after.splitlines()) == len(before.splitlines()) + 2, "only the two TXT were added")
    check(cid in after, "the flattened record is listed")


# ---- targets outside: knotd as the upstream -----------------------------------------------

UPSTREAM = """$ORIGIN upstream.test.
$TTL {ttl}
@ IN SOA ns.upstream.test. h.upstream.test. {serial} 3600 600 86400 {ttl}
@ IN NS ns
ns IN A 127.0.0.1
target IN A {addr}
target IN AAAA 2001:db8::7
chain IN CNAME hop1
hop1 IN CNAME target
away IN CNAME x.far.test.
loop1 IN CNAME loop2
loop2 IN CNAME loop1
"""
FAR = """$ORIGIN far.test.
$TTL 60
@ IN SOA ns.far.test. h.far.test. 1 3600 600 86400 60
@ IN NS ns.upstream.test.
x IN A 198.51.100.9
"""
OUTSIDE = zone("example.test", """@ IN CNAME target.upstream.test.
@ IN MX 10 mail
www IN A 192.0.2.10
""")


def upstream_zone(addr="198.51.100.7", serial_=1, ttl=2):
    return UPSTREAM.format(addr=addr, serial=serial_, ttl=ttl)


def start_knot(env, **kw):
    k = Knot(env.dir, {"upstream.test.": upstream_zone(**kw), "far.test.": FAR}).start()
    env.knot = k
    return k


@case
def upstream_answers_follow_their_ttl(env):
    k = start_knot(env)
    env.import_zone("example.test", OUTSIDE)
    for name, target in (("chain", "chain.upstream.test"), ("away", "away.upstream.test"),
                         ("nx", "nothere.upstream.test"), ("loop", "loop1.upstream.test")):
        env.dnsctl("record", "add", "example.test", name, "CNAME", target, "--flatten-cname")
    d = env.start_dnsd(config=config(k.port))
    p = d.port
    wait_for("the first upstream answer", lambda: rdatas(ask(p, "example.test."), "A") ==
             {"198.51.100.7"}, 5)
    r = ask(p, "example.test.", "A")
    check(types(r) == {"A"} and ttl_of(r, "A") <= 2, f"TTL min(300, 2): {r}")
    check(rdatas(ask(p, "example.test.", "AAAA"), "AAAA") == {"2001:db8::7"}, "AAAA")
    check(rdatas(ask(p, "example.test.", "MX"), "MX") == {"10 mail.example.test."}, "MX")
    wait_for("upstream CNAME chain followed",
             lambda: rdatas(ask(p, "chain.example.test."), "A") == {"198.51.100.7"}, 5)
    wait_for("a chain into another zone followed (a second query)",
             lambda: rdatas(ask(p, "away.example.test."), "A") == {"198.51.100.9"}, 5)
    wait_for("NXDOMAIN upstream is NODATA here",
             lambda: (lambda r: r.rcode() == dns.rcode.NOERROR and not r.answer and r.authority)
             (ask(p, "nx.example.test.")), 5)
    time.sleep(3.5)  # the loop's three attempts are long over
    check(ask(p, "loop.example.test.").rcode() == dns.rcode.SERVFAIL, "an upstream loop: SERVFAIL")
    check("a CNAME loop" in d.log_text(), "the loop is logged")
    check(rdatas(ask(p, "www.example.test."), "A") == {"192.0.2.10"}, "the rest of the zone")

    # The upstream changes: the flattened answer follows when the TTL runs out.
    before = serial(p, "example.test.")
    k.reload("upstream.test.", upstream_zone(addr="198.51.100.8", serial_=2))
    t0 = time.monotonic()
    w = Watch(p, "example.test.")
    t = wait_for("the new upstream address", lambda: rdatas(ask(p, "example.test."), "A") ==
                 {"198.51.100.8"}, 6)
    seen = w.stop()
    check(t - t0 <= 3.5, f"followed within the TTL (2 s) and a bit: {t - t0:.2f} s")
    check(all(s[0] == dns.rcode.NOERROR and s[1] for s in seen),
          f"never SERVFAIL or empty while it changed: {set(seen)}")
    wait_for("the serial follows", lambda: serial(p, "example.test.") > before, 4)
    d.stop()
    k.stop()


# An upstream whose chains come back into zones dnsd serves, with an old copy of one of them
# (a previous provider's data): the served part is answered from dnsd's own snapshot.
BACK = """$ORIGIN back.test.
$TTL 60
@ IN SOA ns.back.test. h.back.test. 1 3600 600 86400 60
@ IN NS ns.upstream.test.
withdata IN CNAME host.old.test.
alone IN CNAME www.mine.test.
"""
OLD_COPY = """$ORIGIN old.test.
$TTL 60
@ IN SOA ns.old.test. h.old.test. 1 3600 600 86400 60
@ IN NS ns.upstream.test.
host IN A 198.18.30.1
host IN AAAA 2001:db8:bad::1
"""


@case
def upstream_chains_back_into_served_zones(env):
    k = Knot(env.dir, {"back.test.": BACK, "old.test.": OLD_COPY}).start()
    env.knot = k
    env.import_zone("example.test", zone("example.test", "www IN A 192.0.2.10\n"))
    env.import_zone("old.test", zone("old.test", "host IN A 198.18.30.1\n"))
    env.import_zone("mine.test", zone("mine.test", "www IN A 198.18.30.2\n"))
    env.dnsctl("record", "edit", "old.test", record_id(env, "old.test", "host", "A"),
               "--proxied")
    env.dnsctl("record", "edit", "mine.test", record_id(env, "mine.test", "www", "A"),
               "--proxied")
    for name, target in (("withdata", "withdata.back.test"), ("alone", "alone.back.test")):
        env.dnsctl("record", "add", "example.test", name, "CNAME", target, "--flatten-cname")
    d = env.start_dnsd(config=config(k.port))
    p = d.port
    origins = [socket.inet_aton("198.18.30.1"), socket.inet_aton("198.18.30.2"),
               socket.inet_pton(socket.AF_INET6, "2001:db8:bad::1")]
    for name in ("withdata", "alone"):
        q = f"{name}.example.test."
        wait_for(f"{name}: the edge's address", lambda: rdatas(ask(p, q), "A") == {EDGE[0]}, 5)
        wait_for(f"{name}: the edge's IPv6 address",
                 lambda: rdatas(ask(p, q, "AAAA"), "AAAA") == {EDGE[1]}, 5)
        for qtype in ("A", "AAAA", "ANY"):
            for tcp in (False, True):
                wire = ask(p, q, qtype, tcp=tcp).to_wire()
                check(not any(o in wire for o in origins),
                      f"the upstream's copy of a served name leaked ({name} {qtype})")
    # A write to the served zone is followed at once, as for any served target.
    env.dnsctl("record", "edit", "mine.test", record_id(env, "mine.test", "www", "A"),
               "--dns-only")
    wait_for("the served target's new answer",
             lambda: rdatas(ask(p, "alone.example.test."), "A") == {"198.18.30.2"}, 3)
    d.stop()
    k.stop()


@case
def stalled_upstream_then_stale_then_servfail(env):
    k = start_knot(env)
    env.import_zone("example.test", OUTSIDE)
    d = env.start_dnsd(config=config(k.port, stale_max=6))
    p = d.port
    wait_for("the first upstream answer", lambda: rdatas(ask(p, "example.test."), "A") ==
             {"198.51.100.7"}, 5)

    def latencies(n, qname="www.example.test."):
        out = []
        for _ in range(n):
            t = time.perf_counter()
            r = ask(p, qname, "A", timeout=1)
            out.append(time.perf_counter() - t)
            check(r.rcode() == dns.rcode.NOERROR, f"{qname}: {r.rcode()}")
        return sorted(out)

    before = latencies(300)
    # The upstream stalls: it reads every query and answers none.
    k.stop()
    t_stop = time.monotonic()
    staller = Staller(port=k.port)
    try:
        during = latencies(300)
        flattened = latencies(50, "example.test.")  # answered from the snapshot, stale or not
        def q(v, f):
            return v[int(len(v) * f)]
        p50b, p99b, p50d, p99d = q(before, .5), q(before, .99), q(during, .5), q(during, .99)
        print(f"latency before: p50 {p50b*1e3:.2f} ms p99 {p99b*1e3:.2f} ms; during the stall:"
              f" p50 {p50d*1e3:.2f} ms p99 {p99d*1e3:.2f} ms; flattened p99"
              f" {q(flattened, .99)*1e3:.2f} ms")
        check(p50d < max(10 * p50b, 0.005) and p99d < max(10 * p99b, 0.05),
              "other names as fast during the stall as before")
        check(q(flattened, .99) < 0.05, "the flattened name never waits for the upstream")
        # Past the TTL (2 s) the old answer is served stale...
        while time.monotonic() < t_stop + 3:
            time.sleep(0.1)
        r = ask(p, "example.test.")
        check(rdatas(r, "A") == {"198.51.100.7"}, f"serve-stale after the TTL: {r}")
        # ... and a write is not held back by the stalled upstream.
        env.dnsctl("record", "add", "example.test", "late", "CNAME", "new.upstream.test",
                   "--flatten-cname")
        env.dnsctl("record", "add", "example.test", "marker", "TXT", "written")
        t_write = time.monotonic()
        wait_for("a write during the stall",
                 lambda: rdatas(ask(p, "marker.example.test.", "TXT"), "TXT") == {'"written"'}, 2)
        check(time.monotonic() - t_write < 1.0, "published within a second")
        check(ask(p, "late.example.test.").rcode() == dns.rcode.SERVFAIL,
              "a new target nobody answered: SERVFAIL")
        # ... then SERVFAIL once stale_max (6 s) has passed since expiry.
        t = wait_for("SERVFAIL after stale_max",
                     lambda: ask(p, "example.test.").rcode() == dns.rcode.SERVFAIL, 12)
        check(t - t_stop >= 6, f"stale for stale_max at least ({t - t_stop:.1f} s)")
        check(rdatas(ask(p, "www.example.test."), "A") == {"192.0.2.10"}, "the rest: fine")
        check(rdatas(ask(p, "example.test.", "MX"), "MX") == {"10 mail.example.test."},
              "other types at the flattened name: fine")
        check(staller.queries > 0, "dnsd kept asking the stalled upstream")
        check("timed out" in d.log_text(), "the timeouts are logged")
    finally:
        staller.stop()
    d.stop()


# ---- an upstream that answers garbage ------------------------------------------------------

def scripted_answer(query, over_tcp):
    """Answers by the first label of the question: good ones properly, the rest badly."""
    qid = query[:2]
    end = 12
    while query[end] != 0:
        end += 1 + query[end]
    qname = query[12:end + 1]
    qtype = struct.unpack("!H", query[end + 1:end + 3])[0]
    question = qname + query[end + 1:end + 5]
    label = qname[1:1 + qname[0]].lower()

    def header(an, flags=0x8400, ident=qid):
        return ident + struct.pack("!HHHHH", flags, 1, an, 0, 0)

    def a_rr(addr):
        return b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 30, 4) + socket.inet_aton(addr)

    answer = [a_rr("198.51.100.50")] if qtype == 1 else []
    if label == b"good":
        return header(len(answer)) + question + b"".join(answer)
    if label == b"wrongid":
        return header(len(answer), ident=bytes([qid[0], qid[1] ^ 1])) + question + b"".join(answer)
    if label == b"badcase":
        flipped = bytes(c ^ 0x20 if chr(c).isalpha() else c for c in qname)
        return header(len(answer)) + flipped + query[end + 1:end + 5] + b"".join(answer)
    if label == b"junk":
        return header(1) + question + b"\xc0\x0c\x00\x01\x00\x01\xff\xff"
    if label == b"tc":
        return header(0, flags=0x8600) + question if not over_tcp else b"\x00" * 5
    if label == b"tcponly":  # truncated over UDP, answered over TCP (RFC 7766 §5)
        if not over_tcp:
            return header(0, flags=0x8600) + question
        return header(len(answer)) + question + b"".join(answer)
    if label == b"refused":
        return header(0, flags=0x8405) + question
    if label == b"loop":
        target = b"\x05loop2\x02up\x04test\x00"
        rr1 = b"\xc0\x0c" + struct.pack("!HHIH", 5, 1, 30, len(target)) + target
        rr2 = target + struct.pack("!HHIH", 5, 1, 30, len(qname)) + qname.lower()
        return header(2) + question + rr1 + rr2
    return None


@case
def garbage_upstream_is_servfail_for_that_name_only(env):
    up = Scripted(scripted_answer)
    try:
        env.import_zone("example.test", zone("example.test", "www IN A 192.0.2.10\n"))
        bad = ("wrongid", "badcase", "junk", "tc", "refused", "loop")
        for label in ("good", "tcponly") + bad:
            env.dnsctl("record", "add", "example.test", label, "CNAME", f"{label}.up.test",
                       "--flatten-cname")
        d = env.start_dnsd(config=config(up.port))
        p = d.port
        wait_for("the good name", lambda: rdatas(ask(p, "good.example.test."), "A") ==
                 {"198.51.100.50"}, 5)
        wait_for("TCP after a truncated answer",
                 lambda: rdatas(ask(p, "tcponly.example.test."), "A") == {"198.51.100.50"}, 5)
        time.sleep(4)  # three attempts of one second each, and then some
        for label in bad:
            r = ask(p, f"{label}.example.test.")
            check(r.rcode() == dns.rcode.SERVFAIL and not r.answer, f"{label}: {r}")
        check(rdatas(ask(p, "good.example.test."), "A") == {"198.51.100.50"}, "good still")
        check(rdatas(ask(p, "www.example.test."), "A") == {"192.0.2.10"}, "the rest")
        log = d.log_text()
        for why in ("wrong ID", "the question's name or case differs", "a malformed message",
                    "RCODE 5", "a CNAME loop", "an answer to another question"):
            check(why in log, f"'{why}' is logged: {log[-3000:]}")
        # Hardening: a fresh socket (a random port), a random ID and random case per query.
        n = len(up.seen)
        ports = {s[0] for s in up.seen}
        ids = {s[1] for s in up.seen}
        names = {s[2][:s[2].index(b"\x00") + 3] for s in up.seen}  # the name and the type
        print(f"{n} UDP queries from {len(ports)} ports with {len(ids)} IDs and "
              f"{len(names)} spellings")
        check(n >= 20 and len(ports) >= 0.8 * n and len(ids) >= 0.8 * n,
              "random source ports and IDs")
        check(len(names) >= 0.8 * n and any(any(65 <= c <= 90 for c in q) for q in names),
              "0x20: each name sent in random case")
        check("198.51.100.50" not in "".join(
            str(ask(p, f"{label}.example.test.").answer) for label in bad),
              "never the garbage's address")
        d.stop()
    finally:
        up.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dnsd", required=True)
    ap.add_argument("--dnsctl", required=True)
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    env = Env(a.dnsd, a.dnsctl)
    env.knot = None
    try:
        CASES[a.case](env)
    except TestFailure as e:
        print(f"FAIL {a.case}: {e}")
        for p in env.procs:
            if p.poll() is None:
                p.terminate()
        return 1
    finally:
        if env.knot:
            env.knot.stop()
        env.close()
    print(f"ok {a.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

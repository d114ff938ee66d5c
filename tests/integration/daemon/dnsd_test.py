#!/usr/bin/python3
"""dnsd_test.py -- the real dnsd on loopback, with a database made by dnsctl.

Usage: dnsd_test.py --dnsd PATH --dnsctl PATH CASE   (ctest runs one CASE per test)
"""

import argparse
import grp
import os
import pwd
import re
import signal
import socket
import struct
import sys
import threading
import time

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Env, TestFailure, check, free_port  # noqa: E402

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def ask(where, port, qname, qtype="A", tcp=False, timeout=2.0, qid=None):
    q = dns.message.make_query(qname, qtype)
    if qid is not None:
        q.id = qid
    if tcp:
        return dns.query.tcp(q, where, port=port, timeout=timeout)
    return dns.query.udp(q, where, port=port, timeout=timeout)


def rdatas(resp, qtype):
    out = set()
    for rrset in resp.answer:
        if rrset.rdtype == dns.rdatatype.from_text(qtype):
            out |= {r.to_text() for r in rrset}
    return out


def tcp_connect(host, port, timeout=3.0):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((host, port))
    return s


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise TestFailure(f"connection closed after {len(buf)} of {n} bytes")
        buf += chunk
    return buf


def read_framed(s):
    (n,) = struct.unpack("!H", recv_exact(s, 2))
    return dns.message.from_wire(recv_exact(s, n))


def framed(msg):
    w = msg.to_wire()
    return struct.pack("!H", len(w)) + w


def closed_by_server(s, limit):
    """True when the server closes `s` within `limit` seconds."""
    s.settimeout(limit)
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


# ---- serving -----------------------------------------------------------------------------

@case
def serves_udp_tcp_v4_v6(env):
    env.import_zone()
    d = env.start_dnsd()
    check("serving 1 zone on 127.0.0.1:%d, [::1]:%d" % (d.port, d.port) in d.log_text(),
          "the start log names the zone count and the addresses")
    for where in ("127.0.0.1", "::1"):
        for tcp in (False, True):
            r = ask(where, d.port, "www.example.test.", "A", tcp=tcp)
            check(r.rcode() == dns.rcode.NOERROR, f"rcode {r.rcode()} from {where} tcp={tcp}")
            check(r.flags & dns.flags.AA, "AA set")
            check(rdatas(r, "A") == {"192.0.2.10"}, f"answer {r.answer}")
            r = ask(where, d.port, "www.example.test.", "AAAA", tcp=tcp)
            check(rdatas(r, "AAAA") == {"2001:db8::10"}, f"answer {r.answer}")
    r = ask("127.0.0.1", d.port, "nowhere.invalid.", "A")
    check(r.rcode() == dns.rcode.REFUSED, "a name outside every zone is refused")
    d.stop(signal.SIGINT)


@case
def stops_on_sigterm(env):
    env.import_zone()
    d = env.start_dnsd(threads=4)
    ask("127.0.0.1", d.port, "www.example.test.")
    d.stop(signal.SIGTERM)  # checks exit status 0
    check("SIGTERM received" in d.log_text(), "the stop is logged")


@case
def zone_failing_to_compile_is_skipped(env):
    env.import_zone()
    env.import_zone("other.test", "$ORIGIN other.test.\n$TTL 300\n"
                    "@ SOA ns1.other.test. h.other.test. 1 2 3 4 5\n@ NS ns1.other.test.\n"
                    "www A 192.0.2.77\n")
    # Break other.test behind the store's back: an SOA record below the apex.
    import sqlite3
    con = sqlite3.connect(env.db)
    zid = con.execute("SELECT id FROM zones WHERE name='other.test'").fetchone()[0]
    owner = b"\x03bad\x05other\x04test\x00"
    con.execute("INSERT INTO records (public_id, zone_id, name, owner, type, content, ttl, "
                "created_on, modified_on, rdata) VALUES (?, ?, 'bad.other.test', ?, 6, 'x', "
                "300, 'now', 'now', x'00')", ("e" * 32, zid, owner))
    con.commit()
    con.close()
    d = env.start_dnsd()
    check("zone other.test.: not served" in d.log_text(), "the refused zone is logged by name")
    check(ask("127.0.0.1", d.port, "www.example.test.").rcode() == dns.rcode.NOERROR,
          "the other zones are served")
    r = ask("127.0.0.1", d.port, "www.other.test.")
    check(r.rcode() == dns.rcode.REFUSED and not r.answer, "nothing of the refused zone")
    d.stop()


# ---- start failures and --check-config --------------------------------------------------

@case
def bad_database_exits_1(env):
    r = env.run_dnsd("--db", "/nonexistent/dir/nuage.sqlite", "--listen", "127.0.0.1:1")
    check(r.returncode == 1, f"exit {r.returncode}")
    check("cannot open database /nonexistent/dir/nuage.sqlite" in r.stderr, r.stderr)
    env.write("junk.sqlite", "this is not a database\n" * 200)
    r = env.run_dnsd("--db", env.path("junk.sqlite"), "--listen", "127.0.0.1:1")
    check(r.returncode == 1, f"exit {r.returncode}")
    check("junk.sqlite" in r.stderr and "not a database" in r.stderr, r.stderr)


@case
def busy_port_exits_1(env):
    env.import_zone()
    d = env.start_dnsd()
    # A second dnsd on the same address must refuse, even though both use SO_REUSEPORT.
    r = env.run_dnsd("--db", env.db, "--listen", f"127.0.0.1:{d.port}")
    check(r.returncode == 1, f"exit {r.returncode}")
    check(f"cannot bind 127.0.0.1:{d.port}" in r.stderr, r.stderr)
    check(ask("127.0.0.1", d.port, "www.example.test.").rcode() == dns.rcode.NOERROR,
          "the first dnsd still answers")
    d.stop()


GOOD_CONFIG = """database = "nuage.sqlite"
listen = ["127.0.0.1:5300", "[::1]:5300"]
threads = 2

[api]
listen = "127.0.0.1:8053"

[account]
name = "Nuage"

[[edge_pools]]
name = "default"
ipv4 = ["203.0.113.10", "203.0.113.11"]
ipv6 = ["2001:db8:e::10", "2001:db8:e::11"]

[flattening]
upstreams = ["127.0.0.1:5301"]
stale_max_seconds = 86400
serial_min_interval_seconds = 60

[tunnels]
domain = "cfargotunnel.com"

[zones]
name_servers = ["ns1.example.net.", "ns2.example.net."]

[tcp]
idle_timeout_ms = 10000
max_connections = 1024
"""


@case
def check_config(env):
    good = env.write("config.toml", GOOD_CONFIG)
    r = env.run_dnsd("--config", good, "--check-config")
    check(r.returncode == 0, f"good file: exit {r.returncode}: {r.stderr}")

    bad = env.write("unknown.toml", GOOD_CONFIG.replace("[tunnels]\n", "[tunnels]\ncolour = 1\n"))
    r = env.run_dnsd("--config", bad, "--check-config")
    check(r.returncode == 1, f"unknown key: exit {r.returncode}")
    check("unknown.toml:22: tunnels.colour: unknown key" in r.stderr, r.stderr)

    bad = env.write("addr.toml", GOOD_CONFIG.replace('"[::1]:5300"', '"::1:5300"'))
    r = env.run_dnsd("--config", bad, "--check-config")
    check(r.returncode == 1, f"bad address: exit {r.returncode}")
    check("addr.toml:2: listen[1]: not an address:port" in r.stderr, r.stderr)

    bad = env.write("type.toml", GOOD_CONFIG.replace("threads = 2", 'threads = "2"'))
    r = env.run_dnsd("--config", bad, "--check-config")
    check(r.returncode == 1 and "type.toml:3: threads: expected an integer" in r.stderr, r.stderr)

    bad = env.write("pool.toml", GOOD_CONFIG + '[[edge_pools]]\nname = "default"\n'
                                               'ipv4 = ["203.0.113.99"]\n')
    r = env.run_dnsd("--config", bad, "--check-config")
    check(r.returncode == 1 and "edge_pools[1].name: duplicate pool name" in r.stderr,
          r.stderr)

    # Flags are checked too, and override the file.
    r = env.run_dnsd("--config", good, "--listen", "nowhere", "--check-config")
    check(r.returncode == 1 and "--listen nowhere: not an address:port" in r.stderr, r.stderr)
    r = env.run_dnsd("--config", env.path("missing.toml"), "--check-config")
    check(r.returncode == 1 and "cannot read" in r.stderr, r.stderr)


@case
def config_file_is_used(env):
    env.import_zone()
    # The file's database is used when --db is absent (relative to the working directory).
    d = env.start_dnsd(config='database = "nuage.sqlite"\nthreads = 1\n', db=False)
    check(re.search(r"with 1 thread$", d.log_text(), re.M), "threads from the file")
    check(ask("::1", d.port, "www.example.test.").rcode() == dns.rcode.NOERROR, "serves")
    d.stop()


# ---- changes made by another process -------------------------------------------------------

class Prober:
    """Queries dnsd continuously over UDP and TCP, recording every failure."""

    def __init__(self, port):
        self.port = port
        self.stop = threading.Event()
        self.errors = []
        self.count = 0
        self.threads = [threading.Thread(target=self.run, args=(tcp,)) for tcp in (False, True)]

    def run(self, tcp):
        n = 0
        while not self.stop.is_set():
            where = "127.0.0.1" if n % 2 else "::1"
            qname = "www.example.test." if n % 3 else "live.example.test."
            n += 1
            try:
                r = ask(where, self.port, qname, "TXT" if "live" in qname else "A", tcp=tcp,
                        timeout=2.0)
                if r.rcode() != dns.rcode.NOERROR:
                    self.errors.append(f"{qname} rcode {dns.rcode.to_text(r.rcode())}")
            except Exception as e:  # a timeout is a failure of the test
                self.errors.append(f"{qname} tcp={tcp}: {type(e).__name__} {e}")
            self.count += 1

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=10)


def wait_seen(port, qname, qtype, pred, limit=1.0):
    """Seconds until pred(answer) holds, over UDP and TCP alternately; fails past `limit`."""
    t0 = time.monotonic()
    n = 0
    while True:
        r = ask("127.0.0.1", port, qname, qtype, tcp=bool(n % 2))
        n += 1
        if pred(r):
            return time.monotonic() - t0
        if time.monotonic() - t0 > limit:
            raise TestFailure(f"{qname} {qtype} not updated within {limit} s: {r}")
        time.sleep(0.01)


@case
def hundred_live_edits(env):
    env.import_zone()
    d = env.start_dnsd()
    live_id = env.dnsctl("record", "list", "example.test", "--name", "live.example.test",
                         "--type", "TXT").stdout.split()[0]
    worst = 0.0
    added = []
    with Prober(d.port) as prober:
        for i in range(100):
            kind = i % 3
            if kind == 0:  # add a new name
                out = env.dnsctl("record", "add", "example.test", f"n{i}", "A", f"192.0.2.{i + 100}",
                                 "--ttl", "60").stdout
                added.append((i, out.strip().splitlines()[-1]))
                took = wait_seen(d.port, f"n{i}.example.test.", "A",
                                 lambda r, i=i: rdatas(r, "A") == {f"192.0.2.{i + 100}"})
            elif kind == 1:  # edit an existing record
                env.dnsctl("record", "edit", "example.test", live_id, "--content", f"v{i}")
                took = wait_seen(d.port, "live.example.test.", "TXT",
                                 lambda r, i=i: rdatas(r, "TXT") == {f'"v{i}"'})
            else:  # delete the name added last
                j, rid = added.pop()
                env.dnsctl("record", "delete", "example.test", rid)
                took = wait_seen(d.port, f"n{j}.example.test.", "A",
                                 lambda r: r.rcode() == dns.rcode.NXDOMAIN)
            worst = max(worst, took)
    check(not prober.errors, f"{len(prober.errors)} failed queries, first: {prober.errors[:5]}")
    check(prober.count > 100, f"the prober ran ({prober.count} queries)")
    check(d.alive(), "dnsd survived")
    print(f"100 edits: slowest seen after {worst * 1000:.0f} ms; {prober.count} probe queries")
    check("published in" in d.log_text(), "publish times are logged at debug level")
    d.stop()


@case
def zones_imported_and_deleted_live(env):
    env.import_zone()
    d = env.start_dnsd()
    env.import_zone("late.test", "$ORIGIN late.test.\n$TTL 300\n"
                    "@ SOA ns1.late.test. h.late.test. 7 2 3 4 5\n@ NS ns1.late.test.\n"
                    "www A 192.0.2.88\n")
    wait_seen(d.port, "www.late.test.", "A", lambda r: rdatas(r, "A") == {"192.0.2.88"})
    env.dnsctl("zone", "delete", "late.test")
    wait_seen(d.port, "www.late.test.", "A", lambda r: r.rcode() == dns.rcode.REFUSED)
    check(ask("127.0.0.1", d.port, "www.example.test.").rcode() == dns.rcode.NOERROR,
          "the other zone is untouched")
    d.stop()


@case
def proxied_names_get_the_configured_edge_pool(env):
    env.import_zone()
    d = env.start_dnsd(config='[[edge_pools]]\nname = "default"\n'
                              'ipv4 = ["203.0.113.10", "203.0.113.11"]\nipv6 = ["2001:db8:e::10"]\n')
    env.dnsctl("record", "add", "example.test", "shop", "A", "192.0.2.200", "--proxied")
    wait_seen(d.port, "shop.example.test.", "A",
              lambda r: rdatas(r, "A") == {"203.0.113.10", "203.0.113.11"})
    r = ask("::1", d.port, "shop.example.test.", "AAAA", tcp=True)
    check(rdatas(r, "AAAA") == {"2001:db8:e::10"}, f"AAAA from the pool: {r.answer}")
    origin = socket.inet_aton("192.0.2.200")
    for qtype in ("A", "AAAA", "ANY", "TXT", "MX"):
        for tcp in (False, True):
            q = dns.message.make_query("shop.example.test.", qtype)
            r = (dns.query.tcp if tcp else dns.query.udp)(q, "127.0.0.1", port=d.port, timeout=2)
            check(origin not in r.to_wire(), f"the origin address leaked in a {qtype} answer")
    d.stop()


# ---- TCP (RFC 7766) ---------------------------------------------------------------------------

@case
def tcp_pipelining(env):
    env.import_zone()
    d = env.start_dnsd()
    for where in ("127.0.0.1", "::1"):
        s = tcp_connect(where, d.port)
        names = ["www", "ns1", "ns2", "nope", "www", "live"] * 5
        qs = [dns.message.make_query(f"{n}.example.test.", "A") for n in names]
        for i, q in enumerate(qs):
            q.id = 1000 + i
        s.sendall(b"".join(framed(q) for q in qs))  # one send, thirty queries
        for i, q in enumerate(qs):
            r = read_framed(s)
            check(r.id == q.id, f"answer {i} has id {r.id}, wanted {q.id} (order)")
            check(r.question[0].name == q.question[0].name, "same question")
        s.close()
    d.stop()


@case
def tcp_idle_timeout(env):
    env.import_zone()
    d = env.start_dnsd(config="[tcp]\nidle_timeout_ms = 500\n")
    s = tcp_connect("127.0.0.1", d.port)
    s.sendall(framed(dns.message.make_query("www.example.test.", "A")))
    read_framed(s)
    t0 = time.monotonic()
    check(closed_by_server(s, 5.0), "the idle connection is closed")
    took = time.monotonic() - t0
    check(0.4 <= took <= 3.0, f"closed after {took:.2f} s, wanted about 0.5 s")
    d.stop()


@case
def tcp_slow_drip_is_closed(env):
    # RFC 7766 §6.2.3 and §10: a client that sends a message a byte at a time does not hold a
    # connection slot forever; the idle timer runs from the last complete message.
    env.import_zone()
    d = env.start_dnsd(config="[tcp]\nidle_timeout_ms = 600\n")
    query = framed(dns.message.make_query("www.example.test.", "A"))
    s = tcp_connect("127.0.0.1", d.port)
    t0 = time.monotonic()
    closed = False
    for b in query[:-1]:
        try:
            s.sendall(bytes([b]))
        except OSError:
            closed = True
            break
        if closed_by_server(s, 0.25):
            closed = True
            break
    took = time.monotonic() - t0
    check(closed, "a connection that never completes a message is closed")
    check(took <= 2.0, f"closed after {took:.2f} s, wanted about 0.6 s")
    # A client that completes its messages keeps its connection past the timeout.
    s = tcp_connect("127.0.0.1", d.port)
    for _ in range(4):
        s.sendall(query)
        check(rdatas(read_framed(s), "A") == {"192.0.2.10"}, "answered")
        time.sleep(0.4)
    d.stop()


@case
def tcp_connection_limit(env):
    env.import_zone()
    d = env.start_dnsd(config="[tcp]\nmax_connections = 5\n")
    conns = []
    for i in range(5):
        s = tcp_connect("127.0.0.1" if i % 2 else "::1", d.port)
        s.sendall(framed(dns.message.make_query("www.example.test.", "A")))
        read_framed(s)
        conns.append(s)
    extra = tcp_connect("127.0.0.1", d.port)
    check(closed_by_server(extra, 3.0), "the sixth connection is closed")
    for s in conns:  # the admitted ones still work
        s.sendall(framed(dns.message.make_query("ns1.example.test.", "A")))
        check(rdatas(read_framed(s), "A") == {"192.0.2.53"}, "answered")
    conns.pop().close()
    time.sleep(0.3)
    s = tcp_connect("127.0.0.1", d.port)
    s.sendall(framed(dns.message.make_query("www.example.test.", "A")))
    check(read_framed(s).rcode() == dns.rcode.NOERROR, "a freed slot is reused")
    d.stop()


@case
def bad_clients_do_not_disturb_others(env):
    env.import_zone()
    d = env.start_dnsd(config="[tcp]\nmax_message_size = 1024\n")
    good = tcp_connect("127.0.0.1", d.port)
    # Garbage framed as messages, a half message then close, an oversize prefix, a reset.
    g = tcp_connect("127.0.0.1", d.port)
    g.sendall(os.urandom(3000))
    g.close()
    h = tcp_connect("::1", d.port)
    w = framed(dns.message.make_query("www.example.test.", "A"))
    h.sendall(w[: len(w) // 2])
    h.close()
    o = tcp_connect("127.0.0.1", d.port)
    o.sendall(struct.pack("!H", 4000) + b"x" * 100)
    check(closed_by_server(o, 3.0), "an oversize length prefix closes the connection")
    r = tcp_connect("127.0.0.1", d.port)
    r.sendall(framed(dns.message.make_query("www.example.test.", "ANY")) * 50)
    r.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    r.close()  # reset with answers still queued
    # UDP garbage: random datagrams of every size, and runts.
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for n in list(range(0, 64)) + [512, 1500, 4096, 9000]:
        u.sendto(os.urandom(n), ("127.0.0.1", d.port))
    u.close()
    good.sendall(w)
    check(rdatas(read_framed(good), "A") == {"192.0.2.10"}, "the well-behaved client is answered")
    for tcp in (False, True):
        check(ask("127.0.0.1", d.port, "www.example.test.", tcp=tcp).rcode() == dns.rcode.NOERROR,
              "new clients are answered")
    check(d.alive(), "dnsd survived")
    d.stop()


# ---- privileges ----------------------------------------------------------------------------

def proc_ids(pid):
    """(uids, gids, groups) of a running process, from /proc."""
    ids = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("Uid", "Gid", "Groups"):
                ids[key] = [int(x) for x in value.split()]
    return ids["Uid"], ids["Gid"], ids["Groups"]


@case
def drops_privileges_after_binding(env):
    # Switching users needs root (as starting on port 53 does); CI runs the tests as root.
    check(os.geteuid() == 0, "this test starts dnsd as root: run it as root")
    env.import_zone()
    nobody = pwd.getpwnam("nobody")
    nogroup = grp.getgrnam("nogroup")

    # A database only root may read: refused at start, naming the user and what it must own.
    r = env.run_dnsd("--db", env.db, "--listen", f"127.0.0.1:{free_port()}", "--user", "nobody")
    check(r.returncode == 1 and "dnsd runs as nobody" in r.stderr, f"root's database: {r.stderr}")
    # An unknown user: refused by --check-config and at start, before anything is served.
    r = env.run_dnsd("--db", env.db, "--user", "no-such-user-here", "--check-config")
    check(r.returncode == 1 and "no user no-such-user-here" in r.stderr, r.stderr)
    r = env.run_dnsd("--db", env.db, "--listen", f"127.0.0.1:{free_port()}", "--user",
                     "nobody:no-such-group-here")
    check(r.returncode == 1 and "no group no-such-group-here" in r.stderr, r.stderr)
    r = env.run_dnsd("--db", env.db, "--user", "nobody:", "--check-config")
    check(r.returncode == 1 and "--user nobody:" in r.stderr, r.stderr)

    # The database handed to nobody: dnsd binds as root, then runs as nobody:nogroup with no
    # supplementary group, and still picks up edits and serves its API.
    for path in [env.dir] + [os.path.join(env.dir, n) for n in os.listdir(env.dir)]:
        os.chown(path, nobody.pw_uid, nogroup.gr_gid)
    api_port = free_port()
    d = env.start_dnsd("--user", "nobody:nogroup", "--api-listen", f"127.0.0.1:{api_port}")
    uids, gids, groups = proc_ids(d.proc.pid)
    check(uids == [nobody.pw_uid] * 4, f"uids {uids}")
    check(gids == [nogroup.gr_gid] * 4, f"gids {gids}")
    check(set(groups) <= {nogroup.gr_gid}, f"supplementary groups {groups}")
    check("running as user nobody" in d.log_text(), d.log_text()[-1000:])
    for tid in os.listdir(f"/proc/{d.proc.pid}/task"):  # every thread, not only the main one
        with open(f"/proc/{d.proc.pid}/task/{tid}/status") as f:
            line = next(x for x in f if x.startswith("Uid:"))
        check([int(x) for x in line.split()[1:]] == [nobody.pw_uid] * 4, f"thread {tid}: {line}")
    check(ask("127.0.0.1", d.port, "www.example.test.").rcode() == dns.rcode.NOERROR, "serves")
    env.dnsctl("record", "add", "example.test", "late", "A", "192.0.2.77")
    wait_seen(d.port, "late.example.test.", "A", lambda r: "192.0.2.77" in rdatas(r, "A"))
    with socket.create_connection(("127.0.0.1", api_port), timeout=5) as s:
        s.sendall(b"GET /client/v4/zones HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head = s.recv(4096).decode(errors="replace")
    check(head.startswith("HTTP/1.1 4"), f"API after the switch: {head[:200]}")
    for name in os.listdir(env.dir):  # files dnsd made (-wal, -shm) belong to nobody too
        if name.startswith("nuage.sqlite"):
            check(os.stat(env.path(name)).st_uid == nobody.pw_uid, f"{name} owned by root")
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

#!/usr/bin/python3
"""bench.py -- dnsperf against dnsd, knotd and nsd on the same generated zone, side by side.

Each server runs alone, pinned to one core, with dnsperf pinned to the other; rounds alternate
between servers and the medians are reported, with ratios to knotd (never absolute targets:
these machines are small and noisy). Server CPU per query is utime+stime from /proc over the
measured run, divided by the queries answered.

    tools/bench/bench.py --build build [--names 100000] [--rounds 3] [--seconds 10]
"""
import argparse
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ORIGIN = "bench.example."
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u, \
            socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
        t.bind(("127.0.0.1", 0))
        port = t.getsockname()[1]
        u.bind(("127.0.0.1", port))
        return port


def make_zone(path, names, rng):
    """A realistic mix: mostly addresses, some aliases, mail, text; returns the owner lists."""
    kinds = {"a": [], "aaaa": [], "cname": [], "mx": [], "txt": []}
    with open(path, "w") as f:
        f.write(f"$ORIGIN {ORIGIN}\n$TTL 3600\n")
        f.write("@ IN SOA ns1 hostmaster 1 10000 2400 604800 300\n")
        f.write("@ IN NS ns1\n@ IN NS ns2\nns1 IN A 192.0.2.1\nns2 IN A 192.0.2.2\n")
        for i in range(names):
            r = rng.random()
            host = f"host{i}" if i % 4 else f"h{i}.dept{i % 97}"
            if r < 0.55:
                f.write(f"{host} IN A 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}\n")
                kinds["a"].append(host)
                if r < 0.25:
                    f.write(f"{host} IN AAAA 2001:db8::{i >> 16:x}:{i & 0xffff:x}\n")
                    kinds["aaaa"].append(host)
            elif r < 0.70:
                target = kinds["a"][rng.randrange(len(kinds["a"]))] if kinds["a"] else "ns1"
                f.write(f"{host} IN CNAME {target}\n")
                kinds["cname"].append(host)
            elif r < 0.80:
                f.write(f"{host} IN MX 10 mx{i % 7}.mail.example.net.\n")
                kinds["mx"].append(host)
            else:
                f.write(f'{host} IN TXT "v=spf1 ip4:10.{i & 255}.0.0/16 -all" "id={i}"\n')
                kinds["txt"].append(host)
    return kinds


def make_queries(path, kinds, count, rng):
    mix = [("a", "A", 0.35), ("aaaa", "AAAA", 0.15), ("cname", "A", 0.10), ("mx", "MX", 0.07),
           ("txt", "TXT", 0.08), ("nx", "A", 0.15), ("nodata", "AAAA", 0.10)]
    with open(path, "w") as f:
        for _ in range(count):
            r, acc = rng.random(), 0.0
            for kind, qtype, share in mix:
                acc += share
                if r < acc:
                    break
            if kind == "nx":
                name = f"missing{rng.randrange(10**6)}"
            elif kind == "nodata":
                name = rng.choice(kinds["txt"] or kinds["a"])
            else:
                name = rng.choice(kinds[kind])
            f.write(f"{name}.{ORIGIN} {qtype}\n")


def _stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def cpu_ticks(pid):
    """utime+stime of pid and its live descendants (nsd serves from forked children)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                children.setdefault(int(_stat(entry)[1]), []).append(int(entry))
            except OSError:
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = _stat(p)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
        todo.extend(children.get(p, []))
    return total


def wait_answering(port, proc, timeout=30):
    q = bytes.fromhex("abcd01000001000000000000") + b"".join(
        bytes([len(label)]) + label.encode() for label in ORIGIN.rstrip(".").split(".")) + \
        b"\x00\x00\x06\x00\x01"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.2)
            try:
                s.sendto(q, ("127.0.0.1", port))
                if s.recv(4096)[:2] == q[:2]:
                    return
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError("server did not answer in time")


class Server:
    def __init__(self, name, tmp, zone_file, build, server_core):
        self.name, self.tmp, self.zone_file, self.build = name, tmp, zone_file, build
        self.core = server_core
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        self.proc = None

    def command(self):
        d, port = self.dir, self.port
        if self.name == "knotd":
            with open(f"{d}/knot.conf", "w") as f:
                f.write(f"server:\n  rundir: {d}\n  listen: 127.0.0.1@{port}\n"
                        f"  udp-workers: 1\n  tcp-workers: 1\n  background-workers: 1\n"
                        f"  udp-max-payload: 1232\n"
                        f"database:\n  storage: {d}\n"
                        f"log:\n  - target: stderr\n    any: warning\n"
                        f"template:\n  - id: default\n    storage: {d}\n    zonefile-sync: -1\n"
                        f"    zonefile-load: whole\n    journal-content: none\n"
                        f"    semantic-checks: off\n"
                        f"zone:\n  - domain: {ORIGIN}\n    file: {self.zone_file}\n")
            return ["knotd", "-c", f"{d}/knot.conf"]
        if self.name == "nsd":
            with open(f"{d}/nsd.conf", "w") as f:
                f.write(f"server:\n  ip-address: 127.0.0.1@{port}\n  server-count: 1\n"
                        f"  username: \"\"\n  chroot: \"\"\n  database: \"\"\n"
                        f"  zonesdir: {d}\n  pidfile: {d}/nsd.pid\n  xfrdfile: {d}/xfrd.state\n"
                        f"  zonelistfile: {d}/zone.list\n  logfile: {d}/nsd.log\n"
                        f"  rrl-ratelimit: 0\n  rrl-whitelist-ratelimit: 0\n"
                        f"  ipv4-edns-size: 1232\n  verbosity: 0\n"
                        f"remote-control:\n  control-enable: no\n"
                        f"zone:\n  name: {ORIGIN}\n  zonefile: {self.zone_file}\n")
            return ["nsd", "-d", "-c", f"{d}/nsd.conf"]
        db = f"{d}/nuage.sqlite"
        if not os.path.exists(db):
            subprocess.run([f"{self.build}/tools/dnsctl/dnsctl", "--db", db, "zone", "import",
                            ORIGIN, self.zone_file], check=True, stdout=subprocess.DEVNULL)
        return [f"{self.build}/dnsd/dnsd", "--db", db, "--listen", f"127.0.0.1:{port}",
                "--threads", "1"]

    def start(self):
        cmd = ["taskset", "-c", str(self.core)] + self.command()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                     stderr=open(f"{self.dir}/stderr.log", "a"))
        wait_answering(self.port, self.proc)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def run_dnsperf(server, queries, seconds, client_core):
    cmd = ["taskset", "-c", str(client_core), "dnsperf", "-s", "127.0.0.1",
           "-p", str(server.port), "-d", queries, "-l", str(seconds), "-c", "8", "-q", "500",
           "-t", "2"]
    t0 = cpu_ticks(server.proc.pid)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    t1 = cpu_ticks(server.proc.pid)
    completed = lost = 0
    qps = 0.0
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Queries completed:"):
            completed = int(line.split()[2])
        elif line.startswith("Queries lost:"):
            lost = int(line.split()[2])
        elif line.startswith("Queries per second:"):
            qps = float(line.split()[3])
    cpu_us = (t1 - t0) / CLK_TCK * 1e6 / max(completed, 1)
    return qps, cpu_us, lost


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="CMake build directory with dnsd and dnsctl")
    ap.add_argument("--names", type=int, default=100000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--servers", default="dnsd,knotd,nsd")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = ap.parse_args()
    for tool in ("dnsperf", "taskset", "knotd", "nsd"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} is missing (tools/install-deps.sh installs it)")
    cores = os.sched_getaffinity(0)
    if len(cores) < 2:
        sys.exit("bench: needs two cores (server and load generator apart)")
    client_core, server_core = sorted(cores)[0], sorted(cores)[1]
    rng = random.Random(2026)
    tmp = tempfile.mkdtemp(prefix="nuage-bench-")
    zone = os.path.join(tmp, "bench.zone")
    kinds = make_zone(zone, args.names, rng)
    queries = os.path.join(tmp, "queries.txt")
    make_queries(queries, kinds, 200000, rng)
    build = os.path.abspath(args.build)
    servers = [Server(n, tmp, zone, build, server_core) for n in args.servers.split(",")]
    results = {s.name: [] for s in servers}
    try:
        for rnd in range(args.rounds):
            for s in servers:
                s.start()
                run_dnsperf(s, queries, 2, client_core)  # warm-up
                qps, cpu_us, lost = run_dnsperf(s, queries, args.seconds, client_core)
                s.stop()
                results[s.name].append((qps, cpu_us, lost))
                print(f"round {rnd + 1} {s.name:6} {qps:10.0f} qps  {cpu_us:6.2f} us/query"
                      f"  lost {lost}", flush=True)
    finally:
        for s in servers:
            s.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nmedians over {args.rounds} rounds, {args.names} names, server on core "
          f"{server_core}, dnsperf on core {client_core}:")
    med = {n: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v))
           for n, v in results.items()}
    ref = med.get("knotd")
    for n, (qps, cpu) in med.items():
        ratio = f"  {qps / ref[0]:.2f}x knotd qps, {cpu / ref[1]:.2f}x knotd cpu" if ref else ""
        print(f"  {n:6} {qps:10.0f} qps  {cpu:6.2f} us/query{ratio}")


if __name__ == "__main__":
    main()

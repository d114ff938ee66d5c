"""upstreams.py -- the upstreams a flattening test points dnsd at, all on loopback.

Knot: a real second authoritative server (knotd) in the test's temp dir, its zones changed
with `knotc zone-reload`. Staller: UDP and TCP sockets that read queries and never answer.
Scripted: a UDP/TCP server whose answer to each query a Python function decides (garbage,
wrong IDs, wrong case...). Every process and thread is stopped by the test; waits are bounded.
"""

import os
import select
import shutil
import socket
import struct
import subprocess
import threading
import time

from harness import TestFailure, check, free_port


def _tool(name):
    for d in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        p = os.path.join(d, name)
        if os.access(p, os.X_OK):
            return p
    p = shutil.which(name)
    check(p is not None, f"missing tool {name}")
    return p


class Knot:
    """knotd serving `zones` ({origin: text}) on a free loopback port."""

    def __init__(self, workdir, zones):
        self.dir = os.path.join(workdir, "knot")
        os.makedirs(self.dir, exist_ok=True)
        self.knotd = _tool("knotd")
        self.knotc = _tool("knotc")
        self.zones = dict(zones)
        self.proc = None
        self.port = None
        self.conf = os.path.join(self.dir, "knot.conf")

    def zone_file(self, origin):
        return os.path.join(self.dir, origin.rstrip(".") + ".zone")

    def write_zone(self, origin, text):
        with open(self.zone_file(origin), "w") as f:
            f.write(text)

    def start(self):
        for attempt in range(3):
            self.port = free_port()
            lines = ["server:", f'    rundir: "{self.dir}"', f"    listen: 127.0.0.1@{self.port}",
                     "    udp-workers: 1", "    tcp-workers: 1", "    background-workers: 1",
                     "control:", f'    listen: "{os.path.join(self.dir, "knot.sock")}"',
                     "database:", f'    storage: "{self.dir}"',
                     "log:", "  - target: stderr", "    any: info",
                     "template:", "  - id: default", f'    storage: "{self.dir}"',
                     "    zonefile-sync: -1", "    zonefile-load: whole",
                     "    journal-content: none", "    semantic-checks: off", "zone:"]
            for origin, text in self.zones.items():
                self.write_zone(origin, text)
                lines += [f'  - domain: "{origin}"', f'    file: "{self.zone_file(origin)}"']
            with open(self.conf, "w") as f:
                f.write("\n".join(lines) + "\n")
            log = open(os.path.join(self.dir, "knotd.log"), "w")
            self.proc = subprocess.Popen([self.knotd, "-c", self.conf], stdout=log,
                                         stderr=subprocess.STDOUT)
            if self._wait_ready():
                return self
            self.stop()
        raise TestFailure("knotd did not start: " + self.log_text())

    def log_text(self):
        try:
            with open(os.path.join(self.dir, "knotd.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def _wait_ready(self, limit=10.0):
        import dns.message
        import dns.query
        origin = next(iter(self.zones))
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                return False
            try:
                r = dns.query.udp(dns.message.make_query(origin, "SOA"), "127.0.0.1",
                                  port=self.port, timeout=0.5)
                if r.answer:
                    return True
            except Exception:
                pass
            time.sleep(0.1)
        return False

    def reload(self, origin, text):
        """Rewrites a zone's file and has knotd load it (`knotc zone-reload`)."""
        self.write_zone(origin, text)
        r = subprocess.run([self.knotc, "-c", self.conf, "-t", "10", "zone-reload", origin],
                           capture_output=True, text=True, timeout=20)
        check(r.returncode == 0, f"knotc zone-reload failed: {r.stdout} {r.stderr}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class _Server:
    """UDP and TCP sockets on 127.0.0.1:`port`, served by a thread until stop()."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.udp.bind(("127.0.0.1", self.port))
        self.tcp.bind(("127.0.0.1", self.port))
        self.tcp.listen(16)
        self.udp.settimeout(0.1)
        self.tcp.settimeout(0.1)
        self.queries = 0
        self.stopping = threading.Event()
        self.conns = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set():
            try:
                ready, _, _ = select.select([self.udp, self.tcp], [], [], 0.1)
            except (OSError, ValueError):
                return
            for s in ready:
                try:
                    if s is self.udp:
                        data, peer = self.udp.recvfrom(65535)
                        self.queries += 1
                        self.on_udp(data, peer)
                    else:
                        c, _ = self.tcp.accept()
                        c.settimeout(2)
                        self.conns.append(c)
                        self.on_tcp(c)
                except OSError:
                    pass

    def on_udp(self, data, peer):
        pass

    def on_tcp(self, conn):
        pass

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        for s in [self.udp, self.tcp, *self.conns]:
            s.close()


class Staller(_Server):
    """Reads every query and never answers (TCP connections are accepted and left hanging)."""


class Scripted(_Server):
    """Answers each query with whatever `respond(query_bytes, over_tcp)` returns (None: none)."""

    def __init__(self, respond, port=None):
        self.respond = respond
        self.seen = []  # UDP: (source port, ID, the question and what follows) of each query
        super().__init__(port)

    def on_udp(self, data, peer):
        self.seen.append((peer[1], data[:2], data[12:]))
        out = self.respond(data, False)
        if out is not None:
            self.udp.sendto(out, peer)

    def on_tcp(self, conn):
        try:
            n = struct.unpack("!H", conn.recv(2))[0]
            data = b""
            while len(data) < n:
                chunk = conn.recv(n - len(data))
                if not chunk:
                    return
                data += chunk
            self.queries += 1
            out = self.respond(data, True)
            if out is not None:
                conn.sendall(struct.pack("!H", len(out)) + out)
        except (OSError, struct.error):
            pass

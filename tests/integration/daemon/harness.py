"""harness.py -- runs the real dnsd and dnsctl for the daemon's integration tests.

Each test gets its own temp dir and free loopback ports; every process it starts is stopped by
PID, and every wait is bounded. A missing tool is a failure, never a skip.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

# dnsd's last start line: "serving 2 zones on 127.0.0.1:5300 (udp and tcp) with 2 threads".
SERVING = re.compile(r"serving \d+ zones? on ")

ZONE = """$ORIGIN example.test.
$TTL 300
@      IN SOA ns1.example.test. hostmaster.example.test. 1 10000 2400 604800 300
       IN NS  ns1.example.test.
       IN NS  ns2.example.test.
@      IN A   192.0.2.1
www    IN A   192.0.2.10
www    IN AAAA 2001:db8::10
ns1    IN A   192.0.2.53
ns2    IN A   192.0.2.54
live   IN TXT "v0"
"""


class TestFailure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise TestFailure(what)


def free_port():
    """A port free for UDP and TCP on 127.0.0.1 and ::1 (checked, then released)."""
    for _ in range(50):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        held = [s]
        try:
            for fam, addr, typ in ((socket.AF_INET, "127.0.0.1", socket.SOCK_STREAM),
                                   (socket.AF_INET6, "::1", socket.SOCK_DGRAM),
                                   (socket.AF_INET6, "::1", socket.SOCK_STREAM)):
                t = socket.socket(fam, typ)
                held.append(t)
                t.bind((addr, port))
            return port
        except OSError:
            continue
        finally:
            for h in held:
                h.close()
    raise TestFailure("no free port found")


class Env:
    """A temp dir with a database, and the dnsd/dnsctl binaries."""

    def __init__(self, dnsd, dnsctl):
        for tool in (dnsd, dnsctl):
            check(os.access(tool, os.X_OK), f"missing tool {tool}")
        self.dnsd_bin = dnsd
        self.dnsctl_bin = dnsctl
        self.dir = tempfile.mkdtemp(prefix="nuage-dnsd-it-")
        self.db = os.path.join(self.dir, "nuage.sqlite")
        self.procs = []

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def dnsctl(self, *args, ok=True):
        r = subprocess.run([self.dnsctl_bin, "--db", self.db, *args], capture_output=True,
                           text=True, timeout=30)
        if ok:
            check(r.returncode == 0, f"dnsctl {' '.join(args)} failed: {r.stderr.strip()}")
        return r

    def import_zone(self, origin="example.test", text=ZONE):
        zf = self.write(origin + ".zone", text)
        self.dnsctl("zone", "import", origin, zf)

    def run_dnsd(self, *args, timeout=15):
        """Runs dnsd to completion (for --check-config and start failures)."""
        return subprocess.run([self.dnsd_bin, *args], capture_output=True, text=True,
                              timeout=timeout, cwd=self.dir)

    def start_dnsd(self, *args, config=None, threads=None, db=True):
        """Starts dnsd on fresh ports; returns a Dnsd once it logged that it serves."""
        for attempt in range(3):
            port = free_port()
            argv = [self.dnsd_bin]
            if config is not None:
                argv += ["--config", self.write("dnsd.toml", config)]
            argv += ["--db", self.db] if db else []
            argv += ["--listen", f"127.0.0.1:{port}",
                     "--listen", f"[::1]:{port}", "--log-level", "debug", *args]
            argv += ["--threads", str(threads)] if threads else []
            log = self.path(f"dnsd-{port}.log")
            with open(log, "w") as out:
                p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=self.dir)
            self.procs.append(p)
            d = Dnsd(p, port, log)
            if d.wait_serving():
                return d
            p.wait(timeout=10)
            if "cannot bind" not in d.log_text():  # a port race is retried, nothing else
                break
        raise TestFailure(f"dnsd did not start: {d.log_text()}")


class Dnsd:
    def __init__(self, proc, port, log):
        self.proc = proc
        self.port = port
        self.log = log

    def log_text(self):
        with open(self.log) as f:
            return f.read()

    def wait_serving(self, limit=15.0):
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if SERVING.search(self.log_text()):
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM):
        """Stops dnsd by PID and checks that it exits 0 within 10 s."""
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise TestFailure(f"dnsd did not stop on signal {sig}")
        check(rc == 0, f"dnsd exited {rc} on signal {sig}: {self.log_text()[-2000:]}")

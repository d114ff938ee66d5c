"""api_harness.py -- the real dnsd with its REST API on free loopback ports, for the API's
integration tests.

Each test gets its own temp dir, a database with tokens made by `dnsctl --db F token create`,
and a dnsd started with --api-listen on a free port. Every process is stopped by PID and every
wait is bounded. A missing tool is a failure, never a skip.
"""

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time

import dns.message
import dns.query
import requests

# dnsd's last start line: "serving 2 zones on 127.0.0.1:5300 (udp and tcp) with 2 threads".
SERVING = re.compile(r"serving \d+ zones? on ")

CONFIG = """
[zones]
name_servers = ["ns1.example.net.", "ns2.example.net."]

[account]
name = "Test account"
{account_email}

[[edge_pools]]
name = "default"
ipv4 = ["203.0.113.10", "203.0.113.11"]
ipv6 = ["2001:db8:e::10"]

[api]
{api}
"""


class TestFailure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise TestFailure(what)


def free_port():
    """A port free for TCP and UDP on 127.0.0.1 (checked, then released)."""
    for _ in range(50):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            t.bind(("127.0.0.1", 0))
            port = t.getsockname()[1]
            u.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            t.close()
            u.close()
    raise TestFailure("no free port found")


class Env:
    """A temp dir, a database, the binaries, and the processes started (stopped by PID)."""

    def __init__(self, dnsd, dnsctl):
        for tool in (dnsd, dnsctl):
            check(os.access(tool, os.X_OK), f"missing tool {tool}")
        self.dnsd_bin = os.path.abspath(dnsd)
        self.dnsctl_bin = os.path.abspath(dnsctl)
        self.dir = tempfile.mkdtemp(prefix="nuage-api-it-")
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
            check(r.returncode == 0, f"dnsctl {' '.join(args)}: {r.stderr.strip()}")
        return r

    def run_check(self, config):
        """dnsd --check-config on a file."""
        return subprocess.run([self.dnsd_bin, "--config", config, "--check-config"],
                              capture_output=True, text=True, timeout=30, cwd=self.dir)

    def run_dnsd(self, *args, timeout=20):
        """dnsd to completion (start failures): it must exit by itself."""
        return subprocess.run([self.dnsd_bin, *args], capture_output=True, text=True,
                              timeout=timeout, cwd=self.dir)

    def token(self, name, *scope):
        """A token's secret (the last line `token create` prints)."""
        out = self.dnsctl("token", "create", "--name", name, *scope).stdout
        return out.strip().splitlines()[-1]

    def start(self, api_config="", threads=2, account_email="", tls=False, extra=()):
        """dnsd on fresh ports; returns a Dnsd once its API answers."""
        for _ in range(3):
            dns_port, api_port = free_port(), free_port()
            config = CONFIG.format(api=api_config, account_email=account_email)
            argv = [self.dnsd_bin, "--config", self.write("dnsd.toml", config), "--db", self.db,
                    "--listen", f"127.0.0.1:{dns_port}", "--api-listen",
                    f"127.0.0.1:{api_port}", "--threads", str(threads), "--log-level", "trace",
                    *extra]
            log = self.path(f"dnsd-{dns_port}.log")
            with open(log, "w") as out:
                p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=self.dir)
            self.procs.append(p)
            d = Dnsd(p, dns_port, api_port, log, tls)
            if d.wait_serving():
                return d
            p.wait(timeout=10)
            if "cannot bind" not in d.log_text() and "cannot listen" not in d.log_text():
                break  # only a port race is retried
        raise TestFailure(f"dnsd did not start: {d.log_text()[-3000:]}")

    def rows(self):
        """(record rows, zone serials) straight from the database."""
        con = sqlite3.connect(self.db, timeout=10)
        try:
            n = con.execute("SELECT count(*) FROM records").fetchone()[0]
            serials = dict(con.execute("SELECT name, soa_serial FROM zones").fetchall())
            return n, serials
        finally:
            con.close()


class Dnsd:
    def __init__(self, proc, dns_port, api_port, log, tls):
        self.proc = proc
        self.port = dns_port
        self.api_port = api_port
        self.log = log
        scheme = "https" if tls else "http"
        self.base = f"{scheme}://127.0.0.1:{api_port}/client/v4"

    def log_text(self):
        with open(self.log, errors="replace") as f:
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

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise TestFailure("dnsd did not stop on SIGTERM")
        check(rc == 0, f"dnsd exited {rc}: {self.log_text()[-2000:]}")

    def ask(self, qname, qtype="A", tcp=False, timeout=3.0):
        q = dns.message.make_query(qname, qtype)
        if tcp:
            return dns.query.tcp(q, "127.0.0.1", port=self.port, timeout=timeout)
        return dns.query.udp(q, "127.0.0.1", port=self.port, timeout=timeout)


class Api:
    """requests against dnsd's API with one token (Bearer), or legacy headers."""

    def __init__(self, dnsd, secret=None, headers=None, verify=True):
        self.base = dnsd.base
        self.session = requests.Session()
        self.verify = verify
        if secret is not None:
            self.session.headers["Authorization"] = f"Bearer {secret}"
        self.session.headers.update(headers or {})

    def call(self, method, path, json=None, params=None, data=None, files=None, headers=None):
        # verify per request: REQUESTS_CA_BUNDLE in the environment would beat the session's.
        r = self.session.request(method, self.base + path, json=json, params=params, data=data,
                                 files=files, headers=headers, timeout=30, verify=self.verify)
        return r

    def ok(self, method, path, **kw):
        r = self.call(method, path, **kw)
        check(r.status_code == 200, f"{method} {path}: {r.status_code} {r.text[:500]}")
        body = r.json()
        check(body["success"] is True and body["errors"] == [], f"{method} {path}: {body}")
        return body["result"]

    def fail(self, method, path, status, code, **kw):
        """A refused request: its status, errors[0].code, and the body."""
        r = self.call(method, path, **kw)
        check(r.status_code == status,
              f"{method} {path}: status {r.status_code}, wanted {status}: {r.text[:500]}")
        body = r.json()
        check(body["success"] is False and body["result"] is None, f"{method} {path}: {body}")
        check(body["errors"][0]["code"] == code,
              f"{method} {path}: code {body['errors'][0]['code']}, wanted {code}: {body}")
        return body

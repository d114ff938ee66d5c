"""harness.py -- the real dnsd with its REST API for the client tests (real third-party clients,
dnsctl --api, zone activation).

Each test gets its own temp dir (also its HOME: certbot and python-cloudflare read
~/.cloudflare.cfg), free loopback ports, and a token made by `dnsctl --db F token create`.
Every process a test starts is stopped by PID; every wait is bounded. A missing tool is a
failure, never a skip.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import dns.message
import dns.query
import dns.rdatatype

# dnsd's last start line: "serving 2 zones on 127.0.0.1:5300 (udp and tcp) with 2 threads".
SERVING = re.compile(r"serving \d+ zones? on ")

DNS_WAIT = 15.0  # seconds for a server to come up


class TestFailure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise TestFailure(what)


def need_tool(path):
    """The absolute path of a tool the test needs; a missing one fails the test."""
    if "/" in path:
        found = os.path.abspath(path)
    else:
        found = shutil.which(path, path="/usr/sbin:/usr/bin:/bin")
    check(found and os.access(found, os.X_OK), f"missing tool {path} (install its package)")
    return found


def free_port():
    """A port free for UDP and TCP on 127.0.0.1 (checked, then released)."""
    for _ in range(50):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.bind(("127.0.0.1", 0))
        port = t.getsockname()[1]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            u.close()
            t.close()
    raise TestFailure("no free loopback port found")


def wait_tcp(port, proc=None, limit=DNS_WAIT, host="127.0.0.1"):
    """True once something accepts TCP connections on host:port."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def ask(port, qname, qtype="A", tcp=False, timeout=2.0):
    q = dns.message.make_query(qname, qtype)
    if tcp:
        return dns.query.tcp(q, "127.0.0.1", port=port, timeout=timeout)
    return dns.query.udp(q, "127.0.0.1", port=port, timeout=timeout)


def rdatas(resp, qtype):
    out = set()
    for rrset in resp.answer:
        if rrset.rdtype == dns.rdatatype.from_text(qtype):
            out |= {r.to_text() for r in rrset}
    return out


def dig(port, qname, qtype):
    """`dig +short` at dnsd: the answer lines (the tool users check with)."""
    r = subprocess.run([need_tool("dig"), "@127.0.0.1", "-p", str(port), "+short", "+norec",
                        "+time=2", "+tries=1", qname, qtype],
                       capture_output=True, text=True, timeout=15)
    check(r.returncode == 0, f"dig {qname} {qtype} failed: {r.stdout} {r.stderr}")
    return [line for line in r.stdout.splitlines() if line.strip()]


class Proc:
    """A child process with its log file, stopped by PID."""

    def __init__(self, name, argv, log, env=None, cwd=None):
        self.name = name
        self.log = log
        with open(log, "w") as out:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                                         cwd=cwd, stdin=subprocess.DEVNULL,
                                         start_new_session=True)

    def log_text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self, expect_zero=False):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
                raise TestFailure(f"{self.name} did not stop on SIGTERM")
        if expect_zero:
            check(self.proc.returncode == 0,
                  f"{self.name} exited {self.proc.returncode}: {self.log_text()[-2000:]}")


class Env:
    """A temp dir (also HOME) with a database, dnsd/dnsctl, and the processes started."""

    def __init__(self, dnsd, dnsctl):
        self.dnsd_bin = need_tool(dnsd)
        self.dnsctl_bin = need_tool(dnsctl)
        self.dir = tempfile.mkdtemp(prefix="nuage-clients-")
        self.home = os.path.join(self.dir, "home")
        os.makedirs(self.home)
        self.db = os.path.join(self.dir, "nuage.sqlite")
        self.procs = []
        self.dnsd = None

    def close(self, keep=False):
        for p in reversed(self.procs):
            if p.alive():
                try:
                    p.stop()
                except TestFailure:
                    pass
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def write(self, name, text, mode=None):
        p = self.path(name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        if mode is not None:
            os.chmod(p, mode)
        return p

    def env(self, **extra):
        """A clean environment: HOME is the temp dir; no CLOUDFLARE_* or CF_* leaks in."""
        e = {k: v for k, v in os.environ.items()
             if not k.startswith(("CLOUDFLARE_", "CF_", "REQUESTS_CA", "SSL_CERT", "NUAGE_"))}
        e["HOME"] = self.home
        e.update(extra)
        return e

    def run(self, argv, timeout=60, env=None, ok=True, what=None):
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                           env=env or self.env(), cwd=self.dir, stdin=subprocess.DEVNULL)
        if ok:
            check(r.returncode == 0, f"{what or argv[0]} exited {r.returncode}:\n"
                  f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
        return r

    def start(self, name, argv, env=None, ready_port=None):
        p = Proc(name, argv, self.path(f"{name}.log"), env=env or self.env(), cwd=self.dir)
        self.procs.append(p)
        if ready_port is not None and not wait_tcp(ready_port, p.proc):
            raise TestFailure(f"{name} did not start:\n{p.log_text()[-3000:]}")
        return p

    # ---- dnsctl offline ------------------------------------------------------------------
    def dnsctl(self, *args, ok=True):
        return self.run([self.dnsctl_bin, "--db", self.db, *args], ok=ok,
                        what="dnsctl " + " ".join(args))

    def token(self, name="test", edit=True, zones=()):
        """A new token's secret (`dnsctl token create` prints it last)."""
        args = ["token", "create", "--name", name, "--edit" if edit else "--read"]
        for z in zones:
            args += ["--zone", z]
        out = self.dnsctl(*args).stdout.strip().splitlines()
        check(out and len(out[-1]) == 40, f"token create printed no secret: {out}")
        return out[-1]

    # ---- dnsd -----------------------------------------------------------------------------
    def start_dnsd(self, tls=None, email=None, zones_extra="", name_servers=None, threads=2):
        """dnsd on a free DNS port and a free API port; tls = (cert, key) for the API."""
        for _ in range(3):
            self.dns_port, self.api_port = free_port(), free_port()
            ns = name_servers or ["ns1.nuage.test.", "ns2.nuage.test."]
            conf = [f'database = "{self.db}"', f'listen = ["127.0.0.1:{self.dns_port}"]',
                    f"threads = {threads}", "", "[api]", f'listen = "127.0.0.1:{self.api_port}"']
            if tls:
                conf += [f'tls_cert = "{tls[0]}"', f'tls_key = "{tls[1]}"']
            conf += ["", "[account]", 'name = "Nuage test"']
            if email:
                conf += [f'email = "{email}"']
            conf += ["", "[[edge_pools]]", 'name = "default"',
                     'ipv4 = ["203.0.113.10", "203.0.113.11"]', 'ipv6 = ["2001:db8:e::10"]',
                     "", "[zones]", "name_servers = [" + ", ".join(f'"{n}"' for n in ns) + "]",
                     zones_extra]
            if "activation_resolver" not in zones_extra:
                # Nothing listens there: an activation check never leaves loopback.
                conf += [f'activation_resolver = "127.0.0.1:{free_port()}"']
            cfg = self.write("dnsd.toml", "\n".join(conf) + "\n")
            name = f"dnsd-{self.dns_port}"
            p = Proc(name, [self.dnsd_bin, "--config", cfg, "--log-level", "debug"],
                     self.path(f"{name}.log"), env=self.env(), cwd=self.dir)
            self.procs.append(p)
            if self._wait_dnsd(p):
                self.dnsd = p
                scheme = "https" if tls else "http"
                self.api_url = f"{scheme}://127.0.0.1:{self.api_port}/client/v4"
                return p
            p.stop()
            if "bind" not in p.log_text():  # a port race is retried, nothing else
                break
        raise TestFailure(f"dnsd did not start:\n{p.log_text()[-3000:]}")

    def _wait_dnsd(self, p):
        end = time.monotonic() + DNS_WAIT
        while time.monotonic() < end:
            if not p.alive():
                return False
            if SERVING.search(p.log_text()) and wait_tcp(self.api_port, p.proc, limit=0.2):
                return True
            time.sleep(0.05)
        return False

    # ---- the API, read directly (to check what clients did) ------------------------------
    def api(self, method, path, token, body=None, cafile=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.api_url + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "application/json"})
        import ssl
        ctx = ssl.create_default_context(cafile=cafile) if cafile else None
        try:
            with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def api_ok(self, method, path, token, body=None, cafile=None):
        status, env = self.api(method, path, token, body, cafile)
        check(status == 200 and env and env.get("success") is True,
              f"{method} {path}: HTTP {status} {env}")
        return env["result"]

    def zone_id(self, token, name, cafile=None):
        zones = self.api_ok("GET", f"/zones?name={name}", token, cafile=cafile)
        check(len(zones) == 1, f"zone {name}: {zones}")
        return zones[0]["id"]


# ---- PKI (Debian ships no pebble test certs: CLIENTS.md §2) --------------------------------

def make_pki(env, names=("localhost",), ips=("127.0.0.1",)):
    """A CA and a leaf for the names and IPs; returns dict(ca, cert, key) of PEM paths."""
    openssl = need_tool("openssl")
    d = env.path("pki")
    os.makedirs(d, exist_ok=True)
    ca_key, ca = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
    key, csr, cert = (os.path.join(d, f) for f in ("leaf.key", "leaf.csr", "leaf.pem"))
    env.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2", "-subj", "/CN=Nuage test CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"], what="openssl ca")
    env.run([openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", key, "-out", csr, "-subj", f"/CN={(list(names) + list(ips))[0]}"],
            what="openssl csr")
    san = ",".join([f"DNS:{n}" for n in names] + [f"IP:{i}" for i in ips])
    ext = env.write("pki/leaf.ext", f"subjectAltName={san}\nbasicConstraints=CA:FALSE\n"
                    "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    env.run([openssl, "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
             "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext], what="openssl sign")
    os.chmod(key, 0o600)
    return {"ca": ca, "cert": cert, "key": key}

"""servers.py -- start knotd, nsd and dnsd on loopback for the differential suite.

Each server gets its own temporary directory and a free port (UDP and TCP), is started as a
child process and stopped by its PID. A server is ready when it answers SOA for every zone of
the zone set with AA and NOERROR.
"""

import os
import signal
import socket
import subprocess
import time

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

READY_TIMEOUT = 20.0  # seconds to wait until every zone answers
STOP_TIMEOUT = 5.0
UDP_EDNS_SIZE = 1232  # what dnsd advertises; knotd and nsd are configured the same


class ServerError(Exception):
    """A server could not be started or never became ready (a test failure, never a skip)."""


def free_port():
    """A port free for both TCP and UDP on 127.0.0.1 (bound then released)."""
    for _ in range(50):
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.bind(("127.0.0.1", 0))
        port = tcp.getsockname()[1]
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            udp.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            udp.close()
            tcp.close()
        return port
    raise ServerError("no free loopback port found")


def find_binary(name, explicit=None):
    """The binary's path: the explicit one, else /usr/sbin, else PATH. Missing = failure."""
    candidates = [explicit] if explicit else [f"/usr/sbin/{name}", f"/usr/bin/{name}"]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise ServerError(f"{name}: binary not found ({explicit or 'not in /usr/sbin or /usr/bin'})")


class Server:
    """One running server: name, port, process and its temp dir."""

    name = "?"
    import_errors = ()

    def __init__(self, workdir, zones):
        self.workdir = workdir
        self.zones = zones  # list of (origin, absolute zone file path)
        self.port = free_port()
        self.proc = None
        self.log_path = os.path.join(workdir, "server.log")
        os.makedirs(workdir, exist_ok=True)

    # Subclasses write their config and return the argv.
    def prepare(self):
        raise NotImplementedError

    def start(self):
        argv = self.prepare()
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                argv, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            log.close()
        self.wait_ready()

    def wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        pending = [origin for origin, _ in self.zones]
        while pending and time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"{self.name} exited with {self.proc.returncode} at start:\n"
                                  + self.log_tail())
            pending = [o for o in pending if not self._zone_answers(o)]
            if pending:
                time.sleep(0.1)
        if pending:
            raise ServerError(f"{self.name}: zones not served after {READY_TIMEOUT}s: "
                              f"{', '.join(pending)}\n" + self.log_tail())

    def _zone_answers(self, origin):
        query = dns.message.make_query(origin, dns.rdatatype.SOA)
        query.flags &= ~dns.flags.RD
        try:
            reply = dns.query.udp(query, "127.0.0.1", port=self.port, timeout=0.3)
        except (OSError, dns.exception.DNSException):
            return False
        return reply.rcode() == dns.rcode.NOERROR and bool(reply.flags & dns.flags.AA) \
            and len(reply.answer) == 1

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        """Stop by PID: SIGTERM, then SIGKILL after STOP_TIMEOUT."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            # The server leads its own process group (start_new_session): NSD's forked
            # children go with it.
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=STOP_TIMEOUT)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None


class Knot(Server):
    name = "knotd"

    def __init__(self, workdir, zones, binary=None):
        self.binary = find_binary("knotd", binary)
        super().__init__(workdir, zones)

    def prepare(self):
        conf = os.path.join(self.workdir, "knot.conf")
        storage = os.path.join(self.workdir, "storage")
        os.makedirs(storage, exist_ok=True)
        lines = [
            "server:",
            f"    rundir: \"{self.workdir}\"",
            f"    listen: 127.0.0.1@{self.port}",
            f"    udp-max-payload: {UDP_EDNS_SIZE}",
            "    udp-workers: 1",
            "    tcp-workers: 1",
            "    background-workers: 1",
            "    answer-rotation: off",
            # CH TXT id.server/version.bind would name the software: disabled, as in dnsd.
            "    identity: \"\"",
            "    version: \"\"",
            "    nsid: \"\"",  # RFC 5001: no NSID unless configured, as in nsd and dnsd
            "control:",
            f"    listen: \"{os.path.join(self.workdir, 'knot.sock')}\"",
            "database:",
            f"    storage: \"{storage}\"",
            "log:",
            "  - target: stderr",
            "    any: info",
            "template:",
            "  - id: default",
            f"    storage: \"{storage}\"",
            "    zonefile-sync: -1",
            "    zonefile-load: whole",
            "    journal-content: none",
            "    semantic-checks: off",
            "zone:",
        ]
        for origin, path in self.zones:
            lines += [f"  - domain: \"{origin}\"", f"    file: \"{path}\""]
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        return [self.binary, "-c", conf]


class Nsd(Server):
    name = "nsd"

    def __init__(self, workdir, zones, binary=None):
        self.binary = find_binary("nsd", binary)
        super().__init__(workdir, zones)

    def prepare(self):
        conf = os.path.join(self.workdir, "nsd.conf")
        d = self.workdir
        lines = [
            "server:",
            f"    ip-address: 127.0.0.1@{self.port}",
            f"    port: {self.port}",
            "    do-ip6: no",
            "    server-count: 1",
            f"    zonesdir: \"{d}\"",
            f"    pidfile: \"{os.path.join(d, 'nsd.pid')}\"",
            "    database: \"\"",
            "    username: \"\"",
            "    chroot: \"\"",
            f"    xfrdfile: \"{os.path.join(d, 'xfrd.state')}\"",
            f"    zonelistfile: \"{os.path.join(d, 'zone.list')}\"",
            f"    logfile: \"{os.path.join(d, 'nsd.log')}\"",
            "    verbosity: 1",
            # Debian's NSD rate-limits by default; a test sends bursts, so turn it off.
            "    rrl-ratelimit: 0",
            "    rrl-whitelist-ratelimit: 0",
            "    round-robin: no",
            # Knot answers positive queries without the NS RRset in the authority section.
            "    minimal-responses: yes",
            "    refuse-any: no",
            "    hide-version: yes",
            "    hide-identity: yes",
            f"    ipv4-edns-size: {UDP_EDNS_SIZE}",
            f"    ipv6-edns-size: {UDP_EDNS_SIZE}",
            "remote-control:",
            "    control-enable: no",
        ]
        for origin, path in self.zones:
            lines += ["zone:", f"    name: \"{origin}\"", f"    zonefile: \"{path}\""]
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        return [self.binary, "-d", "-c", conf]

    def log_tail(self, lines=30):
        own = super().log_tail(lines)
        try:
            with open(os.path.join(self.workdir, "nsd.log"), "rb") as f:
                text = f.read().decode("utf-8", "replace")
            return own + "\n" + "\n".join(text.splitlines()[-lines:])
        except OSError:
            return own


class Dnsd(Server):
    name = "dnsd"

    def __init__(self, workdir, zones, dnsd, dnsctl):
        self.binary = find_binary("dnsd", dnsd)
        self.dnsctl = find_binary("dnsctl", dnsctl)
        super().__init__(workdir, zones)

    def prepare(self):
        """Import every zone; a refused zone is recorded (a failure of the run), not fatal,
        so that the cases of the other zones still run."""
        db = os.path.join(self.workdir, "nuage.sqlite")
        self.import_errors = []
        imported = []
        for origin, path in self.zones:
            res = subprocess.run([self.dnsctl, "--db", db, "zone", "import", origin, path],
                                 cwd=self.workdir, capture_output=True, timeout=60)
            if res.returncode != 0:
                self.import_errors.append(
                    f"dnsctl zone import {origin} {path} failed ({res.returncode}): "
                    + (res.stdout + res.stderr).decode(errors="replace").strip())
            else:
                imported.append((origin, path))
        if not imported:
            raise ServerError("dnsctl imported no zone:\n" + "\n".join(self.import_errors))
        self.zones = imported  # readiness waits for these only
        return [self.binary, "--db", db, "--listen", f"127.0.0.1:{self.port}", "--threads", "1"]

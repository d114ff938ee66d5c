"""case_activation.py -- zone activation (DESIGN §2 Zones, issue 4 item 6): a zone stays pending
until the parent's servers delegate it to its assigned name servers, then becomes active.

The parent zone `test.` is served by knotd, started by the test on a free loopback port. It is
both the activation resolver (asked for the NS of `test.` and their addresses) and the parent
(asked without recursion for the NS of `example.test.`): [zones] activation_resolver and
activation_parent_port point at it. First the delegation names other servers (pending stays);
then the test rewrites the parent zone to delegate to the assigned servers, reloads knotd and
the zone becomes active, by the periodic check (interval 1 s) or on demand (the API's
PUT /zones/:id/activation_check through dnsctl).
"""

import os
import re
import time

from harness import check, free_port, need_tool, wait_tcp
from case_dnsctl import Cli

CASES = {}

ASSIGNED = ["ns1.nuage.test.", "ns2.nuage.test."]


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def parent_zone(serial, delegation):
    lines = ["$ORIGIN test.", "$TTL 300",
             f"@ SOA ns.test. hostmaster.test. {serial} 3600 600 86400 300",
             "@ NS ns.test.", "ns A 127.0.0.1"]
    lines += [f"example NS {n}" for n in delegation]
    lines += ["other NS ns1.elsewhere.net."]
    return "\n".join(lines) + "\n"


class Knot:
    """knotd serving `test.` on a free loopback port; reloaded through knotc."""

    def __init__(self, env):
        self.env = env
        self.knotd, self.knotc = need_tool("knotd"), need_tool("knotc")
        self.dir = env.path("knot")
        os.makedirs(os.path.join(self.dir, "storage"), exist_ok=True)
        self.zonefile = os.path.join(self.dir, "test.zone")
        self.sock = os.path.join(self.dir, "knot.sock")

    def start(self, delegation):
        with open(self.zonefile, "w") as f:
            f.write(parent_zone(1, delegation))
        for _ in range(3):
            self.port = free_port()
            conf = "\n".join([
                "server:", f'    rundir: "{self.dir}"', f"    listen: 127.0.0.1@{self.port}",
                "    udp-workers: 1", "    tcp-workers: 1", "    background-workers: 1",
                "control:", f'    listen: "{self.sock}"',
                "database:", f'    storage: "{self.dir}/storage"',
                "log:", "  - target: stderr", "    any: info",
                "template:", "  - id: default", f'    storage: "{self.dir}/storage"',
                "    zonefile-sync: -1", "    zonefile-load: whole", "    journal-content: none",
                "zone:", '  - domain: "test."', f'    file: "{self.zonefile}"', ""])
            self.conf = self.env.write("knot/knot.conf", conf)
            self.proc = self.env.start("knotd", [self.knotd, "-c", self.conf])
            if wait_tcp(self.port, self.proc.proc) and self.wait_serial(1):
                return
            self.proc.stop()
        raise AssertionError(f"knotd did not start: {self.proc.log_text()[-2000:]}")

    def soa_serial(self):
        r = self.env.run([need_tool("dig"), "@127.0.0.1", "-p", str(self.port), "+short",
                          "+norec", "+time=1", "+tries=1", "test.", "SOA"], ok=False)
        parts = r.stdout.split()
        return int(parts[2]) if len(parts) >= 3 and parts[2].isdigit() else None

    def wait_serial(self, serial, limit=10.0):
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if self.soa_serial() == serial:
                return True
            time.sleep(0.1)
        return False

    def delegate(self, serial, delegation):
        with open(self.zonefile, "w") as f:
            f.write(parent_zone(serial, delegation))
        self.env.run([self.knotc, "-c", self.conf, "zone-reload", "test."], what="knotc reload")
        check(self.wait_serial(serial), f"knotd did not load serial {serial}")


def start(env, interval, api=True):
    knot = Knot(env)
    knot.start(["ns1.elsewhere.net.", "ns2.elsewhere.net."])
    admin = env.token("admin") if api else None
    extra = "\n".join([f'activation_resolver = "127.0.0.1:{knot.port}"',
                       f"activation_parent_port = {knot.port}",
                       f"activation_interval_seconds = {interval}"])
    env.start_dnsd(zones_extra=extra, name_servers=ASSIGNED)
    return knot, Cli(env, admin)


def checks_logged(env):
    """How many completed checks of example.test dnsd has logged so far."""
    return len(re.findall(r"zone example\.test\.: (still pending|active)", env.dnsd.log_text()))


def wait_for(cond, limit, what):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {limit}s waiting for {what}")


def zone_row(env, name):
    """(status, activated_on) of a zone, read from the database (read-only)."""
    import sqlite3

    con = sqlite3.connect(f"file:{env.db}?mode=ro", uri=True, timeout=5)
    try:
        row = con.execute("SELECT status, activated_on FROM zones WHERE name = ?",
                          (name,)).fetchone()
    finally:
        con.close()
    check(row is not None, f"no zone {name} in the database")
    return row


@case
def activation_periodic(env):
    """Interval 1 s: pending while the parent delegates elsewhere, then active by itself.
    The zone is made offline (`dnsctl --db F --config dnsd.toml zone create`, the configured
    name servers), so this case needs no API."""
    knot, _ = start(env, 1, api=False)
    env.dnsctl("--config", env.path("dnsd.toml"), "zone", "create", "example.test")
    check(zone_row(env, "example.test") == ("pending", None), "a new zone is pending")
    wait_for(lambda: checks_logged(env) >= 2, 10, "two periodic checks")
    check("still pending (parent test.: 127.0.0.1 NS ns1.elsewhere.net,ns2.elsewhere.net"
          in env.dnsd.log_text(), "the log says what the parent returned")
    check(zone_row(env, "example.test")[0] == "pending", "still pending")
    # Half right is not right: one of the two assigned servers only.
    knot.delegate(2, ["ns1.nuage.test."])
    seen = checks_logged(env)
    wait_for(lambda: checks_logged(env) >= seen + 2, 10, "checks after the partial delegation")
    check(zone_row(env, "example.test")[0] == "pending", "partial: pending")
    # The right set, spelled in another case: active within a few intervals.
    knot.delegate(3, ["NS1.Nuage.Test.", "ns2.nuage.test."])
    wait_for(lambda: zone_row(env, "example.test")[0] == "active", 10, "active")
    check(zone_row(env, "example.test")[1], "activated_on set")
    check("zone example.test.: active" in env.dnsd.log_text(), "activation logged")
    # An active zone is no longer checked.
    n = checks_logged(env)
    time.sleep(2.5)
    check(checks_logged(env) == n, "no checks of an active zone")


@case
def activation_on_demand(env):
    """Interval one hour: only PUT /zones/:id/activation_check (dnsctl) runs the check."""
    knot, c = start(env, 3600)
    c.run("zone", "create", "example.test")
    time.sleep(1.0)
    before = checks_logged(env)
    c.run("zone", "activation-check", "example.test")
    wait_for(lambda: checks_logged(env) > before, 10, "the requested check")
    check(c.json("zone", "get", "example.test")["status"] == "pending", "wrong NS: pending")
    knot.delegate(2, ASSIGNED)
    time.sleep(1.5)
    check(c.json("zone", "get", "example.test")["status"] == "pending",
          "no periodic check within the hour: still pending until asked")
    c.run("zone", "activation-check", "example.test")
    wait_for(lambda: c.json("zone", "get", "example.test")["status"] == "active", 10, "active")
    # A zone the parent does not know at all (NXDOMAIN there) stays pending.
    c.run("zone", "create", "missing.test")
    c.run("zone", "activation-check", "missing.test")
    wait_for(lambda: "zone missing.test.: still pending" in env.dnsd.log_text(), 10,
             "the check of missing.test")
    check(c.json("zone", "get", "missing.test")["status"] == "pending", "missing: pending")

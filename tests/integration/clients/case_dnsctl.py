"""case_dnsctl.py -- `dnsctl --api URL --token T ...` against the real dnsd (issue 4 item 5):
zones, records, tunnels, tokens and export/import over the REST API; tables by default, --json
for scripts, and the exit codes scripts test (0 ok, 1 refused, 2 usage, 3 cannot connect or
credentials refused, 4 server fault).
"""

import contextlib
import http.server
import json
import threading

from harness import check, dig, free_port, make_pki

CASES = {}

EDGE_V4 = {"203.0.113.10", "203.0.113.11"}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@contextlib.contextmanager
def not_the_api():
    """An HTTP server on a free loopback port that answers every request with an HTML 404."""
    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 -- http.server's naming
            body = b"<html><body>not here</body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), NotFound)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        t.join(timeout=10)


class Cli:
    """dnsctl --api with one token (the secret through --token, or NUAGE_API_TOKEN)."""

    def __init__(self, env, token, url=None, cacert=None):
        self.env, self.token, self.url, self.cacert = env, token, url or env.api_url, cacert

    def run(self, *args, rc=0, via_env=False):
        argv = [self.env.dnsctl_bin, "--api", self.url]
        extra = {}
        if via_env:
            extra["NUAGE_API_TOKEN"] = self.token
        else:
            argv += ["--token", self.token]
        if self.cacert:
            argv += ["--cacert", self.cacert]
        r = self.env.run(argv + list(args), ok=False, env=self.env.env(**extra))
        check(r.returncode == rc, f"dnsctl --api {' '.join(args)}: exit {r.returncode}, "
              f"expected {rc}\nstdout: {r.stdout}\nstderr: {r.stderr}")
        return r

    def json(self, *args):
        return json.loads(self.run("--json", *args).stdout)


@case
def dnsctl_api_zones_records(env):
    admin = env.token("admin")
    env.start_dnsd()
    c = Cli(env, admin)

    out = c.run("zone", "create", "example.test").stdout
    check("example.test" in out and "pending" in out and out.startswith("ID"), f"table: {out}")
    zones = c.json("zone", "list")
    check([z["name"] for z in zones] == ["example.test"], f"zone list --json: {zones}")
    zid = zones[0]["id"]
    got = c.json("zone", "get", "example.test")
    check(got["id"] == zid and got["status"] == "pending", f"zone get: {got}")
    check(c.json("zone", "get", zid)["name"] == "example.test", "zone get by id")

    # record add prints the id last; the record is served at once.
    r = c.run("record", "add", "example.test", "www", "A", "192.0.2.10", "--proxied")
    www = r.stdout.strip().splitlines()[-1]
    check(len(www) == 32, f"last line is the id: {r.stdout}")
    check(set(dig(env.dns_port, "www.example.test", "A")) == EDGE_V4, "proxied www")
    mx = c.json("record", "add", "example.test", "@", "MX", "mail.example.test",
                "--priority", "10", "--ttl", "3600")
    check(mx["priority"] == 10 and mx["ttl"] == 3600, f"MX: {mx}")
    c.run("record", "add", "example.test", "mail", "A", "192.0.2.25", "--comment", "mx host")
    txt = c.run("record", "add", "example.test", "@", "TXT", "v=spf1 mx -all").stdout
    check(dig(env.dns_port, "example.test", "TXT") == ['"v=spf1 mx -all"'], f"TXT: {txt}")

    table = c.run("record", "list", "example.test").stdout.splitlines()
    check(table[0].split() == ["ID", "NAME", "TYPE", "CONTENT", "TTL", "PROXIED"], table[0])
    check(len(table) == 5, f"4 records + header: {table}")
    row = [line for line in table if line.startswith(www)][0].split()
    check(row[1:] == ["www.example.test", "A", "192.0.2.10", "auto", "yes"], f"row {row}")
    mx_row = [line for line in table if " MX " in line][0]
    check("10 mail.example.test" in mx_row, f"priority shown: {mx_row}")
    only_a = c.json("record", "list", "example.test", "--type", "A")
    check({r["name"] for r in only_a} == {"www.example.test", "mail.example.test"}, "--type")
    by_name = c.json("record", "list", "example.test", "--name", "mail")
    check([r["type"] for r in by_name] == ["A"], f"--name mail (relative): {by_name}")

    # edit: A -> CNAME in one step, then DNS-only.
    e = c.json("record", "edit", "example.test", www, "--type", "CNAME", "--content",
               "mail.example.test", "--dns-only")
    check(e["type"] == "CNAME" and e["proxied"] is False, f"edit: {e}")
    check(dig(env.dns_port, "www.example.test", "CNAME") == ["mail.example.test."], "CNAME now")
    c.run("record", "edit", "example.test", www, rc=2)  # nothing to change: usage

    # Refusals: exit 1 with the API's code and message on stderr.
    r = c.run("record", "add", "example.test", "mail", "A", "192.0.2.25", rc=1)
    check("81058" in r.stderr or "81057" in r.stderr, f"duplicate: {r.stderr}")
    r = c.run("record", "add", "example.test", "bad", "A", "300.1.2.3", rc=1)
    check("9005" in r.stderr, f"bad A: {r.stderr}")
    r = c.run("record", "add", "example.test", "x", "A", "192.0.2.1", "--ttl", "5", rc=1)
    check("9021" in r.stderr, f"bad TTL: {r.stderr}")
    r = c.run("record", "delete", "example.test", "0" * 32, rc=1)
    check("81044" in r.stderr, f"unknown record: {r.stderr}")
    r = c.run("zone", "get", "nowhere.test", rc=1)
    check("nowhere.test" in r.stderr, f"unknown zone: {r.stderr}")
    r = c.run("zone", "create", "example.test", rc=1)
    check("1061" in r.stderr, f"duplicate zone: {r.stderr}")

    # Settings, activation check, export -> import into another zone.
    c.run("zone", "set", "example.test", "cname_flattening", "flatten_all")
    check(c.json("zone", "set", "example.test", "cname_flattening", "flatten_at_root")["value"]
          == "flatten_at_root", "zone set")
    check(c.json("zone", "activation-check", "example.test")["id"] == zid, "activation-check")
    export = c.run("zone", "export", "example.test").stdout
    check("mail.example.test." in export and "cf-proxied" not in export, f"export: {export}")
    zf = env.write("copy.zone", export.replace("example.test.", "copy.test."))
    r = c.run("zone", "import", "copy.test", zf)
    check("imported" in r.stdout, r.stdout)
    check(dig(env.dns_port, "mail.copy.test", "A") == ["192.0.2.25"], "imported zone served")
    c.run("zone", "import", "copy.test", zf, "--replace", rc=2)
    c.run("zone", "export", "copy.test", "--public", rc=2)

    # delete record and zone.
    c.run("record", "delete", "example.test", www)
    check(dig(env.dns_port, "www.example.test", "A") == [], "deleted record gone")
    check("deleted zone" in c.run("zone", "delete", "copy.test").stdout, "zone delete")
    check([z["name"] for z in c.json("zone", "list")] == ["example.test"], "copy.test gone")


@case
def dnsctl_api_tokens_exit_codes(env):
    admin = env.token("admin")
    env.start_dnsd()
    c = Cli(env, admin)
    c.run("zone", "create", "example.test")

    # Tokens: list (no secrets), verify, revoke; a revoked token is refused (exit 3).
    other = env.token("other", edit=False)
    tokens = c.json("token", "list")
    names = {t["name"]: t["id"] for t in tokens}
    check(set(names) >= {"admin", "other"}, f"token list: {tokens}")
    check(other not in json.dumps(tokens) and admin not in json.dumps(tokens), "no secrets")
    check("active" in Cli(env, other).run("token", "verify").stdout, "verify")
    check(Cli(env, other).run("zone", "list", via_env=True).returncode == 0, "NUAGE_API_TOKEN")
    r = Cli(env, other).run("record", "add", "example.test", "a", "A", "192.0.2.1", rc=3)
    check("10000" in r.stderr, f"read token writing: {r.stderr}")
    c.run("token", "revoke", names["other"])
    r = Cli(env, other).run("zone", "list", rc=3)
    check("9109" in r.stderr, f"revoked token: {r.stderr}")
    c.run("token", "create", "--name", "x", "--edit", rc=2)  # offline only

    # Exit codes: bad token 3, malformed token 3, nothing listening 3, wrong path 4, usage 2.
    r = Cli(env, "y" * 40).run("zone", "list", rc=3)
    check("9109" in r.stderr, r.stderr)
    Cli(env, "not a token").run("zone", "list", rc=3)
    Cli(env, admin, url=f"http://127.0.0.1:{free_port()}").run("zone", "list", rc=3)
    r = Cli(env, admin, url=f"http://127.0.0.1:{env.api_port}/nowhere").run("zone", "list", rc=1)
    check("7000" in r.stderr, f"a wrong base path is the API's 7000: {r.stderr}")
    with not_the_api() as port:  # something else answers HTTP there: exit 4
        r = Cli(env, admin, url=f"http://127.0.0.1:{port}/client/v4").run("zone", "list", rc=4)
        check("did not answer as Nuage's API" in r.stderr, r.stderr)
    c.run("zone", "frobnicate", rc=2)
    c.run("record", "add", "example.test", "www", rc=2)
    Cli(env, admin, url="ftp://x").run("zone", "list", rc=2)
    r = env.run([env.dnsctl_bin, "--api", env.api_url, "zone", "list"], ok=False)
    check(r.returncode == 2 and "--token" in r.stderr, f"no token: {r.stderr}")


@case
def dnsctl_api_tunnels(env):
    admin = env.token("admin")
    env.start_dnsd()
    c = Cli(env, admin)
    c.run("zone", "create", "example.test")
    # Tunnels: create prints the id last; list; delete by name.
    out = c.run("tunnel", "create", "home").stdout.strip().splitlines()
    tid = out[-1]
    check(len(tid) == 36, f"tunnel id last: {out}")
    tunnels = c.json("tunnel", "list")
    check([(t["id"], t["name"]) for t in tunnels] == [(tid, "home")], f"tunnels: {tunnels}")
    c.run("record", "add", "example.test", "app", "CNAME", f"{tid}.cfargotunnel.com",
          "--proxied")
    check(set(dig(env.dns_port, "app.example.test", "A")) == EDGE_V4, "tunnel route proxied")
    c.run("tunnel", "delete", "home", rc=1)  # refused while routed
    # The API's warnings (messages) reach stderr; stdout stays the table or the JSON.
    r = c.run("record", "add", "example.test", "dns-only", "CNAME", f"{tid}.cfargotunnel.com")
    check("10101" in r.stderr and "10101" not in r.stdout
          and "dns-only.example.test" in r.stderr, f"DNS-only route warning: {r.stderr}")
    r = c.run("--json", "record", "add", "example.test", "dns-only2", "CNAME",
              f"{tid}.cfargotunnel.com")
    check("10101" in r.stderr and json.loads(r.stdout)["name"] == "dns-only2.example.test",
          f"--json: the warning on stderr: {r.stderr} {r.stdout}")
    for name in ("app", "dns-only", "dns-only2"):
        c.run("record", "delete", "example.test",
              c.json("record", "list", "example.test", "--name", name)[0]["id"])
    c.run("tunnel", "delete", "home")
    check(c.json("tunnel", "list") == [], "deleted tunnel not listed")
    # --deleted includes deleted tunnels, over the API as offline (not only the deleted ones).
    live = c.run("tunnel", "create", "office").stdout.strip().splitlines()[-1]
    both = {t["id"]: t["deleted_at"] is not None for t in c.json("tunnel", "list", "--deleted")}
    check(both == {tid: True, live: False}, f"tunnel list --deleted: {both}")
    offline = env.dnsctl("tunnel", "list", "--deleted").stdout
    check({line.split("\t")[0] for line in offline.splitlines()} == set(both),
          f"offline --deleted: {offline}")


@case
def dnsctl_api_tls(env):
    """dnsd's own TLS listener: trusted with --cacert, refused without (exit 3)."""
    pki = make_pki(env)
    admin = env.token("admin")
    env.start_dnsd(tls=(pki["cert"], pki["key"]))
    check(env.api_url.startswith("https://"), env.api_url)
    c = Cli(env, admin, cacert=pki["ca"])
    c.run("zone", "create", "example.test")
    rid = c.run("record", "add", "example.test", "www", "A", "192.0.2.10").stdout.split()[-1]
    check(c.json("record", "get", "example.test", rid)["content"] == "192.0.2.10", "over TLS")
    r = Cli(env, admin).run("zone", "list", rc=3)
    check("certificate" in r.stderr, f"untrusted certificate: {r.stderr}")
    http = env.api_url.replace("https://", "http://")
    Cli(env, admin, url=http).run("zone", "list", rc=3)

#!/usr/bin/python3
"""api_test.py -- the REST API of the real dnsd (issue 4): every endpoint over HTTP, the auth
table and scopes, publish before respond under concurrent UDP and TCP queries, bad input with
the store unchanged, the body limit, the rate limit, no secret in the logs, TLS.

Usage: api_test.py --dnsd PATH --dnsctl PATH CASE   (ctest runs one CASE per test)
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import time

import dns.rcode
import dns.rdatatype

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_harness import Api, Env, TestFailure, check, free_port  # noqa: E402

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def answers(resp, qtype):
    out = set()
    for rrset in resp.answer:
        if rrset.rdtype == dns.rdatatype.from_text(qtype):
            out |= {r.to_text() for r in rrset}
    return out


def make_zone(api, name):
    return api.ok("POST", "/zones", json={"name": name})["id"]


@case
def endpoints(env):
    """Every endpoint once over the wire, with the shapes clients rely on."""
    admin = env.token("admin", "--edit")
    d = env.start()
    api = Api(d, admin)
    verify = api.ok("GET", "/user/tokens/verify")
    check(verify["status"] == "active", f"verify: {verify}")

    accounts = api.ok("GET", "/accounts")
    check(len(accounts) == 1 and accounts[0]["name"] == "Test account", f"accounts: {accounts}")
    acc = accounts[0]["id"]
    check(api.ok("GET", f"/accounts/{acc}")["id"] == acc, "GET /accounts/:id")

    zone = api.ok("POST", "/zones", json={"name": "example.test", "account": {"id": acc},
                                          "type": "full"})
    check(zone["status"] == "pending" and zone["name_servers"] == ["ns1.example.net",
                                                                   "ns2.example.net"],
          f"zone: {zone}")
    zid = zone["id"]
    check(api.ok("GET", "/zones/", params={"name": "example.test"})[0]["id"] == zid,
          "GET /zones/?name= (trailing slash)")
    check(api.ok("GET", "/zones", params={"name": "www.example.test", "per_page": 1}) == [],
          "a zone-name miss is []")
    r = api.call("GET", "/zones", params={"page": 5})
    check(r.status_code == 200 and r.json()["result"] == [], "a page past the end is []")
    check(api.ok("GET", f"/zones/{zid}")["name"] == "example.test", "GET /zones/:id")
    check(api.ok("PATCH", f"/zones/{zid}", json={"paused": False})["paused"] is False, "PATCH")
    api.fail("PATCH", f"/zones/{zid}", 400, 1001, json={"paused": True})
    check(api.ok("PUT", f"/zones/{zid}/activation_check")["id"] == zid, "activation_check")

    recs = f"/zones/{zid}/dns_records"
    a = api.ok("POST", recs, json={"type": "A", "name": "home", "content": "192.0.2.1",
                                   "ttl": 300, "proxied": True})
    check(a["name"] == "home.example.test" and a["ttl"] == 1 and a["proxied"], f"A: {a}")
    # A DNS-only record that shows the proxied origin is written, with a warning naming both.
    r = api.call("POST", recs, json={"type": "TXT", "name": "@",
                                     "content": "v=spf1 ip4:192.0.2.0/24 -all"})
    warned = [m for m in r.json()["messages"] if m["code"] == 10102]
    check(r.status_code == 200 and len(warned) == 1 and "home.example.test" in
          warned[0]["message"] and "SPF ip4:192.0.2.0/24" in warned[0]["message"],
          f"exposure warning: {r.text[:600]}")
    api.ok("DELETE", f"{recs}/{r.json()['result']['id']}")
    txt = api.ok("POST", recs, json={"type": "TXT", "name": "_acme-challenge",
                                     "content": "challenge-token", "ttl": 120})
    found = api.ok("GET", recs, params={"type": "TXT", "name": "_acme-challenge.example.test",
                                        "content": "challenge-token", "per_page": 1})
    check(len(found) == 1 and found[0]["id"] == txt["id"], f"certbot's lookup: {found}")
    check(api.ok("GET", f"{recs}/{a['id']}")["content"] == "192.0.2.1", "GET record")
    p = api.ok("PATCH", f"{recs}/{a['id']}", json={"content": "198.51.100.77"})
    check(p["content"] == "198.51.100.77" and p["proxied"] and p["ttl"] == 1, f"PATCH: {p}")
    u = api.ok("PUT", f"{recs}/{a['id']}", json={"type": "A", "name": "home",
                                                 "content": "198.51.100.78", "ttl": 600})
    check(u["proxied"] is False and u["ttl"] == 600, f"PUT resets omitted fields: {u}")
    resp = d.ask("home.example.test", "A")
    check(answers(resp, "A") == {"198.51.100.78"}, f"dig after PUT: {resp}")
    check(api.ok("DELETE", f"{recs}/{txt['id']}")["id"] == txt["id"], "DELETE record")

    batch = api.ok("POST", f"{recs}/batch", json={
        "deletes": [{"id": a["id"]}],
        "posts": [{"type": "A", "name": "b1", "content": "192.0.2.11"},
                  {"type": "MX", "name": "@", "content": "mail.example.test", "priority": 10}]})
    check(len(batch["deletes"]) == 1 and len(batch["posts"]) == 2, f"batch: {batch}")

    settings = f"/zones/{zid}/settings/cname_flattening"
    check(api.ok("GET", settings)["value"] == "flatten_at_root", "cname_flattening")
    check(api.ok("PATCH", settings, json={"value": "flatten_all"})["value"] == "flatten_all", "")
    check(api.ok("GET", f"/zones/{zid}/dns_settings")["flatten_all_cnames"] is True, "")
    check(api.ok("PATCH", f"/zones/{zid}/dns_settings",
                 json={"flatten_all_cnames": False})["flatten_all_cnames"] is False, "")

    r = api.call("GET", f"{recs}/export")
    check(r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain"),
          f"export: {r.status_code} {r.headers}")
    exported = r.text
    check("b1.example.test." in exported and "IN\tMX" in exported, f"export: {exported}")
    other = make_zone(api, "example.test2")
    text = exported.replace("example.test.", "example.test2.")
    imp = api.ok("POST", f"/zones/{other}/dns_records/import",
                 files={"file": ("zone.txt", text)})
    check(imp == {"recs_added": 2, "total_records_parsed": 5}, f"import: {imp}")
    got = {(x["type"], x["name"]) for x in api.ok("GET", f"/zones/{other}/dns_records")}
    check(got == {("A", "b1.example.test2"), ("MX", "example.test2")}, f"imported: {got}")

    tokens = api.ok("GET", "/user/tokens")
    check(len(tokens) == 1 and admin not in str(tokens), "tokens list has no secret")
    reader = env.token("reader", "--read")
    rid = [t for t in api.ok("GET", "/user/tokens") if t["name"] == "reader"][0]["id"]
    check(api.ok("DELETE", f"/user/tokens/{rid}")["id"] == rid, "revoke")
    Api(d, reader).fail("GET", "/zones", 403, 9109)

    api.fail("PUT", "/zones", 405, 7001)
    api.fail("GET", "/no/such/route", 400, 7003)
    check(api.ok("DELETE", f"/zones/{other}")["id"] == other, "DELETE zone")
    api.fail("GET", f"/zones/{other}", 404, 7003)
    d.stop()


@case
def auth_table(env):
    """API.md §3, each row over HTTP, and scopes."""
    admin = env.token("admin", "--edit")
    d = env.start(account_email='email = "owner@example.net"')
    api = Api(d, admin)
    zid = make_zone(api, "one.test")
    other = make_zone(api, "two.test")
    scoped = env.token("scoped", "--zone", "one.test", "--edit")
    reader = env.token("reader", "--zone", "one.test", "--read")

    Api(d).fail("GET", "/zones", 400, 9106)
    body = Api(d, "not-a-token").fail("GET", "/zones", 400, 6003)
    check(body["errors"][0]["error_chain"][0]["code"] == 6111, f"6111: {body}")
    Api(d, "A" * 40).fail("GET", "/zones", 403, 9109)
    Api(d, "A" * 40).fail("GET", "/user/tokens/verify", 401, 9109)
    legacy = {"X-Auth-Email": "owner@example.net", "X-Auth-Key": admin}
    check(len(Api(d, headers=legacy).ok("GET", "/zones")) == 2, "legacy pair accepted")
    Api(d, headers={"X-Auth-Email": "other@example.net", "X-Auth-Key": admin}).fail(
        "GET", "/zones", 403, 9103)
    Api(d, headers={"X-Auth-Email": "owner@example.net", "X-Auth-Key": "B" * 40}).fail(
        "GET", "/zones", 403, 9103)
    body = Api(d, headers={"X-Auth-Email": "owner@example.net", "X-Auth-Key": "short"}).fail(
        "GET", "/zones", 400, 6003)
    check(body["errors"][0]["error_chain"][0]["code"] == 6103, f"6103: {body}")
    body = Api(d, headers={"X-Auth-Email": "nobody", "X-Auth-Key": admin}).fail(
        "GET", "/zones", 400, 6003)
    check(body["errors"][0]["error_chain"][0]["code"] == 6102, f"6102: {body}")
    Api(d, headers=legacy).fail("GET", "/user/tokens/verify", 400, 1001)

    s = Api(d, scoped)
    check([z["name"] for z in s.ok("GET", "/zones")] == ["one.test"], "list filtered to scope")
    s.fail("GET", f"/zones/{other}", 403, 10000)
    s.fail("GET", f"/zones/{other}/dns_records", 403, 10000)
    s.ok("POST", f"/zones/{zid}/dns_records", json={"type": "A", "name": "x",
                                                    "content": "192.0.2.1"})
    s.fail("POST", "/zones", 403, 10000, json={"name": "three.test"})
    s.fail("DELETE", f"/zones/{zid}", 403, 10000)
    s.fail("GET", "/user/tokens", 403, 10000)
    r = Api(d, reader)
    check(len(r.ok("GET", f"/zones/{zid}/dns_records")) == 1, "read token reads")
    r.fail("POST", f"/zones/{zid}/dns_records", 403, 10000,
           json={"type": "A", "name": "y", "content": "192.0.2.2"})
    d.stop()


@case
def publish_before_respond(env):
    """A write's reply comes after every worker serves it: 100 writes, each followed at once by
    queries over UDP and TCP from many source ports; the old answer is never seen."""
    admin = env.token("admin", "--edit")
    d = env.start(threads=4)
    api = Api(d, admin)
    zid = make_zone(api, "pub.test")
    recs = f"/zones/{zid}/dns_records"
    live = api.ok("POST", recs, json={"type": "TXT", "name": "live", "content": "v0", "ttl": 60})
    stale = 0
    for i in range(1, 101):
        want = f"v{i}"
        api.ok("PATCH", f"{recs}/{live['id']}", json={"content": want})
        new = api.ok("POST", recs, json={"type": "A", "name": f"n{i}", "content": "192.0.2.1"})
        for j in range(10):
            tcp = j % 5 == 4  # 8 UDP queries (each from a new socket and port) and 2 TCP
            resp = d.ask("live.pub.test", "TXT", tcp=tcp)
            got = {t.strip('"') for t in answers(resp, "TXT")}
            if got != {want}:
                stale += 1
                raise TestFailure(f"write {i}: {'tcp' if tcp else 'udp'} answered {got}")
            resp = d.ask(f"n{i}.pub.test", "A", tcp=not tcp)
            check(resp.rcode() == dns.rcode.NOERROR and answers(resp, "A") == {"192.0.2.1"},
                  f"write {i}: the new name is not served yet: {resp}")
        if i % 10 == 0:  # deletes too: gone at once
            api.ok("DELETE", f"{recs}/{new['id']}")
            check(d.ask(f"n{i}.pub.test", "A").rcode() == dns.rcode.NXDOMAIN,
                  f"delete {i} not served yet")
    check(stale == 0, "stale answers")
    d.stop()


@case
def bad_input(env):
    """Refusals: the status and code, the field named, the store unchanged."""
    admin = env.token("admin", "--edit")
    d = env.start(api_config="max_body_bytes = 4096")
    api = Api(d, admin)
    zid = make_zone(api, "bad.test")
    recs = f"/zones/{zid}/dns_records"
    api.ok("POST", recs, json={"type": "A", "name": "www", "content": "192.0.2.1"})
    api.ok("POST", recs, json={"type": "CNAME", "name": "alias", "content": "www.bad.test"})
    before = env.rows()
    cases = [
        ("{not json", 6007, None),
        ({"name": "x", "content": "192.0.2.1"}, 1004, "type"),
        ({"type": "NOPE", "name": "x", "content": "1"}, 1004, "type"),
        ({"type": "A", "name": "x", "content": "192.0.2.1", "ttl": "300"}, 9021, "ttl"),
        ({"type": "A", "name": "x", "content": "192.0.2.1", "ttl": 29}, 9021, "ttl"),
        ({"type": "A", "name": "x", "content": "192.0.2.1", "ttl": 86401}, 9021, "ttl"),
        ({"type": "A", "name": "x", "content": "192.0.2.1", "proxied": "true"}, 1004, "proxied"),
        ({"type": "A", "name": "x", "content": ["192.0.2.1"]}, 1004, "content"),
        ({"type": "A", "name": "x", "content": "192.0.2.256"}, 9005, "content"),
        ({"type": "AAAA", "name": "x", "content": "2001:db8::g"}, 9006, "content"),
        ({"type": "CNAME", "name": "x", "content": "a..b"}, 9007, "content"),
        ({"type": "MX", "name": "x", "content": "mail.bad.test", "priority": 70000}, 1004,
         "priority"),
        ({"type": "TXT", "name": "x", "content": ""}, 1004, "content"),
        ({"type": "SRV", "name": "_s._tcp", "content": "1 2 target"}, 1004, "content"),
        ({"type": "CAA", "name": "x", "content": "0 issue"}, 1004, "content"),
        ({"type": "PTR", "name": "x", "content": "a..b"}, 1004, "content"),
        ({"type": "NS", "name": "sub", "content": "ns..bad"}, 1004, "content"),
        ({"type": "HTTPS", "name": "x", "content": "1 . nokey=1"}, 1004, "content"),
        ({"type": "SVCB", "name": "x", "content": "x . alpn=h2"}, 1004, "content"),
        ({"type": "DS", "name": "sub", "content": "1 8 2 xyz"}, 1004, "content"),
        ({"type": "TLSA", "name": "x", "content": "3 1 1 nothex"}, 1004, "content"),
        ({"type": "SSHFP", "name": "x", "content": "2 1 zz"}, 1004, "content"),
        ({"type": "NAPTR", "name": "x", "content": "100 10 U"}, 1004, "content"),
        ({"type": "URI", "name": "x", "content": "10", "priority": 1}, 1004, "content"),
        ({"type": "LOC", "name": "x", "content": "north"}, 1004, "content"),
        ({"type": "CERT", "name": "x", "content": "PKIX 1"}, 1004, "content"),
        ({"type": "TXT", "name": "x", "content": "t", "proxied": True}, 9004, "proxied"),
        ({"type": "A", "name": "alias", "content": "192.0.2.9"}, 81054, "name"),
        ({"type": "CNAME", "name": "www", "content": "elsewhere.test"}, 81053, "name"),
        ({"type": "A", "name": "www", "content": "192.0.2.1"}, 81058, "content"),
        ({"type": "A", "name": "bad..name", "content": "192.0.2.1"}, 9000, "name"),
    ]
    for body, code, field in cases:
        kw = {"data": body, "headers": {"Content-Type": "application/json"}} \
            if isinstance(body, str) else {"json": body}
        b = api.fail("POST", recs, 400, code, **kw)
        if field:
            check(field in b["errors"][0]["message"], f"{body}: field {field} not named: {b}")
    rid = api.ok("GET", recs, params={"type": "A"})[0]["id"]
    api.fail("PATCH", f"{recs}/{rid}", 400, 9021, json={"ttl": 5})
    api.fail("PATCH", f"{recs}/{'0' * 32}", 404, 81044, json={"ttl": 60})
    api.fail("DELETE", f"{recs}/{'0' * 32}", 404, 81044)
    api.fail("GET", f"{recs}/not-an-id", 400, 7003)
    api.fail("GET", f"/zones/{'0' * 32}/dns_records", 404, 7003)
    api.fail("GET", "/zones/not-an-id/dns_records", 400, 7003)
    big = {"type": "TXT", "name": "big", "content": "x" * 5000}
    api.fail("POST", recs, 413, 1012, json=big)
    api.fail("POST", f"{recs}/batch", 400, 81053, json={"posts": [
        {"type": "A", "name": "new", "content": "192.0.2.5"},
        {"type": "CNAME", "name": "new", "content": "www.bad.test"}]})
    check(env.rows() == before, f"the store changed: {before} -> {env.rows()}")
    check(d.proc.poll() is None, "dnsd died")
    d.stop()


@case
def rate_limit(env):
    """Past rate_limit_per_minute a client gets 429 (code 971); another address does not."""
    admin = env.token("admin", "--edit")
    d = env.start(api_config="rate_limit_per_minute = 20")
    api = Api(d, admin)
    statuses = [api.call("GET", "/zones").status_code for _ in range(30)]
    check(statuses[:20] == [200] * 20, f"the first 20 pass: {statuses}")
    check(429 in statuses[20:], f"429 past the limit: {statuses}")
    r = api.call("GET", "/zones")
    check(r.status_code == 429 and r.json()["errors"][0]["code"] == 971, f"429: {r.text}")
    check(int(r.headers["Retry-After"]) >= 1, f"Retry-After: {r.headers}")
    conn = http.client.HTTPConnection("127.0.0.1", d.api_port, timeout=10,
                                      source_address=("127.0.0.2", 0))
    conn.request("GET", "/client/v4/zones", headers={"Authorization": f"Bearer {admin}"})
    check(conn.getresponse().status == 200, "another client is not limited")
    conn.close()
    d.stop()


@case
def secrets_not_logged(env):
    """No secret reaches the log, whatever the request (dnsd at trace level)."""
    admin = env.token("admin", "--edit")
    revoked = env.token("revoked", "--read")
    rid = env.dnsctl("token", "list").stdout.splitlines()[-1].split("\t")[0]
    env.dnsctl("token", "revoke", rid)
    unknown = "Zq9" + "x" * 37
    malformed = "secret-but-malformed!"
    d = env.start(account_email='email = "owner@example.net"')
    api = Api(d, admin)
    zid = make_zone(api, "log.test")
    api.ok("POST", f"/zones/{zid}/dns_records", json={"type": "A", "name": "a",
                                                      "content": "192.0.2.1"})
    for s in (unknown, malformed, revoked):
        Api(d, s).call("GET", "/zones")
        Api(d, headers={"X-Auth-Email": "owner@example.net", "X-Auth-Key": s}).call("GET", "/zones")
    Api(d, headers={"X-Auth-Email": "owner@example.net", "X-Auth-Key": admin}).ok("GET", "/zones")
    api.call("GET", "/zones", params={"name": admin})  # even in a query string
    d.stop()
    text = d.log_text()
    check("api" in text and "GET /client/v4/zones" in text, f"requests are logged: {text[-500:]}")
    for s in (admin, revoked, unknown, malformed):
        check(s not in text, "a secret is in the log")
    check("Bearer" not in text and "X-Auth-Key" not in text, "a credential header is in the log")


@case
def tls(env):
    """tls_cert/tls_key: the API speaks HTTPS with the test's own certificate."""
    admin = env.token("admin", "--edit")
    cert, key = env.path("cert.pem"), env.path("key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                        "subjectAltName=IP:127.0.0.1"], capture_output=True, text=True,
                       timeout=60)
    check(r.returncode == 0, f"openssl: {r.stderr}")
    d = env.start(api_config=f'tls_cert = "{cert}"\ntls_key = "{key}"', tls=True)
    api = Api(d, admin, verify=cert)
    check(api.ok("GET", "/user/tokens/verify")["status"] == "active", "verify over TLS")
    zid = make_zone(api, "tls.test")
    api.ok("POST", f"/zones/{zid}/dns_records", json={"type": "A", "name": "home",
                                                      "content": "192.0.2.1"})
    check(answers(d.ask("home.tls.test"), "A") == {"192.0.2.1"}, "written over TLS")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", d.api_port, timeout=5)
        conn.request("GET", "/client/v4/zones")
        status = conn.getresponse().status
    except (OSError, http.client.HTTPException):
        status = None
    check(status is None, f"plain HTTP on the TLS port answered {status}")
    check(d.proc.poll() is None, "dnsd died")
    d.stop()


@case
def tunnels(env):
    """Tunnels over the API: create, a proxied route answered with edge addresses, the
    connections report with the tunnel's secret, delete refused while routed."""
    admin = env.token("admin", "--edit")
    d = env.start()
    api = Api(d, admin)
    acc = api.ok("GET", "/accounts")[0]["id"]
    base = f"/accounts/{acc}/cfd_tunnel"
    t = api.ok("POST", base, json={"name": "home", "config_src": "local"})
    check(t["status"] == "inactive" and t["credentials_file"]["TunnelID"] == t["id"], f"{t}")
    zid = make_zone(api, "tun.test")
    route = api.ok("POST", f"/zones/{zid}/dns_records", json={
        "type": "CNAME", "name": "www", "content": f"{t['id']}.cfargotunnel.com",
        "proxied": True})
    resp = d.ask("www.tun.test", "A")
    check(answers(resp, "A") == {"203.0.113.10", "203.0.113.11"}, f"edge addresses: {resp}")
    secret = t["credentials_file"]["TunnelSecret"]
    conns = {"connections": [{"id": "c1", "origin_ip": "198.51.100.9",
                              "opened_at": "2026-01-01T00:00:00Z", "colo_name": "home"}]}
    rep = Api(d, secret).ok("PUT", f"{base}/{t['id']}/connections", json=conns)
    check(rep["status"] == "healthy", f"report: {rep}")
    Api(d, admin).fail("PUT", f"{base}/{t['id']}/connections", 403, 10000, json=conns)
    check([x["name"] for x in api.ok("GET", base, params={"status": "healthy"})] == ["home"],
          "list by status")
    b = api.call("DELETE", f"{base}/{t['id']}")
    check(b.status_code == 400 and "www.tun.test" in b.text, f"delete while routed: {b.text}")
    api.ok("DELETE", f"/zones/{zid}/dns_records/{route['id']}")
    gone = api.ok("DELETE", f"{base}/{t['id']}")
    check(gone["deleted_at"] is not None, f"deleted: {gone}")
    check(api.ok("GET", base, params={"is_deleted": "false"}) == [], "is_deleted=false")
    d.stop()


def raw_get(port, path, headers="", method="GET"):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                  f"{headers}\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    hdrs = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    return lines[0], hdrs, body


@case
def wire(env):
    """What ddclient needs from the raw socket: Content-Length, no chunking, JSON type."""
    admin = env.token("admin", "--edit")
    d = env.start()
    for path in ("/client/v4/zones/?name=x.test", "/client/v4/nowhere", "/client/v4/zones"):
        auth = f"Authorization: Bearer {admin}\r\n" if "nowhere" not in path else ""
        status, hdrs, body = raw_get(d.api_port, path, auth)
        check("transfer-encoding" not in hdrs, f"{path}: chunked: {hdrs}")
        check(int(hdrs["content-length"]) == len(body), f"{path}: length {hdrs}")
        check(hdrs["content-type"] == "application/json", f"{path}: type {hdrs}")
        check(body.startswith(b'{"success":'), f"{path}: body {body[:80]}")
    status, hdrs, body = raw_get(d.api_port, "/client/v4/zones", "X-Stainless-Lang: js\r\n"
                                 "api-version: 2024\r\nAuthorization: Bearer " + admin + "\r\n")
    check(" 200 " in status, f"unknown headers are ignored: {status}")
    # RFC 9112 §6.3: no Content-Length and no Transfer-Encoding is an empty body, not one that
    # lasts until the client closes (Cloudflare's own `curl -X PUT .../activation_check`).
    zid = Api(d, admin).ok("POST", "/zones", json={"name": "wire.test"})["id"]
    for method, path in (("PUT", f"/client/v4/zones/{zid}/activation_check"),
                         ("POST", "/client/v4/zones"), ("DELETE", f"/client/v4/zones/{zid}")):
        t0 = time.monotonic()
        status, hdrs, body = raw_get(d.api_port, path, f"Authorization: Bearer {admin}\r\n",
                                     method=method)
        took = time.monotonic() - t0
        want = " 400 " if method == "POST" else " 200 "  # POST /zones needs a name
        check(want in status and took < 2, f"{method} {path} without a body: {status} in "
              f"{took:.1f} s: {body[:300]}")
        if method == "POST":
            check(b'"code":6007' in body, f"an empty body is read as empty: {body[:300]}")
    d.stop()


@case
def config_and_default_port(env):
    """[api] keys are checked; an explicit busy address stops dnsd, the default one does not."""
    bad = env.write("bad.toml", "[api]\nmax_body_bytes = 10\nrate_limit_per_minute = -1\n")
    r = env.run_check(bad)
    check(r.returncode == 1 and "max_body_bytes" in r.stderr and "rate_limit_per_minute"
          in r.stderr, f"--check-config: {r.stderr}")
    good = env.write("good.toml", "[api]\nmax_body_bytes = 65536\nrate_limit_per_minute = 0\n"
                     "threads = 2\n")
    check(env.run_check(good).returncode == 0, "valid [api] keys")

    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(("127.0.0.1", 8053))
        holder.listen(1)
    except OSError:
        pass  # taken by someone else: busy all the same
    try:
        busy = env.run_dnsd("--db", env.db, "--listen", f"127.0.0.1:{free_port()}", "--api-listen",
                            "127.0.0.1:8053")
        check(busy.returncode == 1 and "cannot listen" in busy.stderr,
              f"explicit busy address: {busy.returncode} {busy.stderr[-500:]}")
        p = subprocess.Popen([env.dnsd_bin, "--db", env.db, "--listen", f"127.0.0.1:{free_port()}"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        env.procs.append(p)
        time.sleep(1.5)
        check(p.poll() is None, "dnsd stopped when the default API address was busy")
        p.terminate()
        out = p.communicate(timeout=10)[0]
        check("the API is off, DNS goes on without it" in out, f"no warning: {out[-1000:]}")
    finally:
        holder.close()

    # A listener with SO_REUSEPORT (another dnsd, say) must not be joined: that would split
    # the API's connections between two processes.
    sharer = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sharer.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sharer.bind(("127.0.0.1", 0))
    sharer.listen(1)
    try:
        port = sharer.getsockname()[1]
        shared = env.run_dnsd("--db", env.db, "--listen", f"127.0.0.1:{free_port()}",
                              "--api-listen", f"127.0.0.1:{port}")
        check(shared.returncode == 1 and "cannot listen" in shared.stderr,
              f"a port held with SO_REUSEPORT: {shared.returncode} {shared.stderr[-500:]}")
    finally:
        sharer.close()


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
        print(f"FAIL {a.case}: {e}")
        return 1
    finally:
        env.close()
    print(f"ok {a.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

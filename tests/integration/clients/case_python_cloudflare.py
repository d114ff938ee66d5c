"""case_python_cloudflare.py -- Debian's python3-cloudflare 2.11 against dnsd's API (CLIENTS.md §1):
list zones; create, list with filters, patch and delete records, a proxied A and a TXT among
them; what it does shows in DNS answers at once.

The client is pointed at dnsd only by its base URL: the `base_url` argument, and once through
CLOUDFLARE_API_URL (HOME and the working directory are the test's own, so no
.cloudflare.cfg beats the environment).
"""

import os

from harness import check, dig, rdatas, ask

CASES = {}

EDGE_V4 = {"203.0.113.10", "203.0.113.11"}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def api_error(fn, *args, **kwargs):
    """The (code, message) of the CloudFlareAPIError the call raises."""
    import CloudFlare

    try:
        fn(*args, **kwargs)
    except CloudFlare.exceptions.CloudFlareAPIError as e:
        return int(e), str(e)
    raise AssertionError(f"{fn} did not fail")


def by_name(records):
    return {(r["name"], r["type"]): r for r in records}


@case
def python_cloudflare(env):
    import CloudFlare

    token = env.token("python-cloudflare")
    env.start_dnsd()
    os.environ.clear()
    os.environ.update(env.env())  # HOME is the temp dir; no CLOUDFLARE_* from outside
    os.chdir(env.dir)
    cf = CloudFlare.CloudFlare(base_url=env.api_url, token=token)

    # Zones: create two, list them, filter by name; a miss is an empty list (certbot needs it).
    zone = cf.zones.post(data={"name": "example.test"})
    check(zone["status"] == "pending" and zone["name"] == "example.test", f"zone {zone}")
    check(zone["name_servers"] == ["ns1.nuage.test", "ns2.nuage.test"], f"ns {zone}")
    cf.zones.post(data={"name": "other.test"})
    names = sorted(z["name"] for z in cf.zones.get())
    check(names == ["example.test", "other.test"], f"zones.get: {names}")
    found = cf.zones.get(params={"name": "example.test"})
    check(len(found) == 1 and found[0]["id"] == zone["id"], f"name filter: {found}")
    check(cf.zones.get(params={"name": "www.example.test", "per_page": 1}) == [], "miss")
    code, _ = api_error(cf.zones.post, data={"name": "example.test"})
    check(code == 1061, f"duplicate zone code {code}")
    zid = zone["id"]

    # Records: a proxied A, a DNS-only A, a TXT, a CNAME.
    rec = cf.zones.dns_records
    www = rec.post(zid, data={"type": "A", "name": "www", "content": "192.0.2.10",
                              "proxied": True, "ttl": 120})
    check(www["proxied"] is True and www["ttl"] == 1 and www["name"] == "www.example.test",
          f"proxied A stored as automatic TTL: {www}")
    api = rec.post(zid, data={"type": "A", "name": "api.example.test", "content": "192.0.2.20",
                              "ttl": 120})
    txt = rec.post(zid, data={"type": "TXT", "name": "_note", "content": "hello world",
                              "ttl": 300})
    rec.post(zid, data={"type": "CNAME", "name": "git", "content": "www.example.test",
                        "proxied": True})
    check(txt["content"] in ("hello world", '"hello world"'), f"txt {txt}")
    check(int(api["ttl"]) == 120 and api["proxied"] is False, f"api {api}")

    # What DNS shows: edge addresses for the proxied names, never the origin.
    check(set(dig(env.dns_port, "www.example.test", "A")) == EDGE_V4, "www -> edge")
    check(set(dig(env.dns_port, "git.example.test", "A")) == EDGE_V4, "git -> edge")
    check(dig(env.dns_port, "api.example.test", "A") == ["192.0.2.20"], "api -> origin")
    check(dig(env.dns_port, "_note.example.test", "TXT") == ['"hello world"'], "txt served")

    # Lists with filters.
    all_recs = rec.get(zid)
    check(len(all_recs) == 4, f"all records: {[(r['name'], r['type']) for r in all_recs]}")
    a_recs = rec.get(zid, params={"type": "A"})
    check({r["name"] for r in a_recs} == {"www.example.test", "api.example.test"}, "type=A")
    check([r["id"] for r in rec.get(zid, params={"name": "www.example.test"})] == [www["id"]],
          "name filter")
    check([r["id"] for r in rec.get(zid, params={"type": "TXT", "content": "hello world"})]
          == [txt["id"]], "content filter (unquoted, as certbot looks it up)")
    check({r["id"] for r in rec.get(zid, params={"proxied": "true"})} ==
          {www["id"], by_name(all_recs)[("git.example.test", "CNAME")]["id"]}, "proxied=true")
    check([r["id"] for r in rec.get(zid, params={"name.startswith": "api"})] == [api["id"]],
          "name.startswith")
    check(len(rec.get(zid, params={"type": "MX"})) == 0, "no MX")
    paged = rec.get(zid, params={"per_page": 2, "page": 2})
    check(len(paged) == 2, f"page 2 of 2: {paged}")
    check(rec.get(zid, params={"per_page": 2, "page": 3}) == [], "a page past the end is []")

    # PATCH keeps what it does not name (ddclient relies on it); the change is served at once.
    p = rec.patch(zid, www["id"], data={"content": "192.0.2.11"})
    check(p["content"] == "192.0.2.11" and p["proxied"] is True and p["ttl"] == 1, f"patch {p}")
    p = rec.patch(zid, txt["id"], data={"content": "second value"})
    check(p["ttl"] == 300, f"patched TXT keeps its TTL: {p}")
    check(dig(env.dns_port, "_note.example.test", "TXT") == ['"second value"'], "patched TXT")
    p = rec.patch(zid, api["id"], data={"proxied": True})
    check(p["proxied"] is True, f"api now proxied: {p}")
    r = ask(env.dns_port, "api.example.test.", "A")
    check(rdatas(r, "A") == EDGE_V4 and "192.0.2.20" not in r.to_text(), "origin hidden")
    full = rec.put(zid, txt["id"], data={"type": "TXT", "name": "_note.example.test",
                                         "content": "third"})
    check(full["ttl"] == 1, f"PUT resets omitted fields: {full}")

    # Refusals come back as CloudFlareAPIError with the API.md codes.
    code, _ = api_error(rec.post, zid, data={"type": "A", "name": "api", "content": "192.0.2.20"})
    check(code in (81057, 81058), f"duplicate record code {code}")
    code, msg = api_error(rec.post, zid, data={"type": "A", "name": "bad", "content": "1.2.3"})
    check(code == 9005 or "9005" in msg, f"bad A content code {code} {msg}")
    code, _ = api_error(rec.post, zid, data={"type": "CNAME", "name": "api", "content": "x.test"})
    check(code == 81053, f"CNAME beside an A: code {code}")
    code, _ = api_error(rec.post, zid, data={"type": "TXT", "name": "t", "content": "x",
                                             "proxied": True})
    check(code == 9004, f"proxied TXT: code {code}")

    # Delete: gone from the API and from DNS.
    for r in rec.get(zid):
        check(rec.delete(zid, r["id"])["id"] == r["id"], "delete returns the id")
    check(rec.get(zid) == [], "no records left")
    r = ask(env.dns_port, "www.example.test.", "A")
    check(r.rcode() == 3, f"www gone from DNS: rcode {r.rcode()}")

    # The same client configured by the environment only (CLOUDFLARE_API_URL + token).
    os.environ["CLOUDFLARE_API_URL"] = env.api_url
    os.environ["CLOUDFLARE_API_TOKEN"] = token
    cf2 = CloudFlare.CloudFlare()
    check(sorted(z["name"] for z in cf2.zones.get()) == ["example.test", "other.test"],
          "configured by CLOUDFLARE_API_URL")
    verify = cf2.user.tokens.verify.get()
    check(verify["status"] == "active", f"verify {verify}")


@case
def python_cloudflare_scopes(env):
    """A token limited to one zone, and a read-only token, as python-cloudflare sees them."""
    import CloudFlare

    admin = env.token("admin")
    env.start_dnsd()
    os.environ.clear()
    os.environ.update(env.env())
    os.chdir(env.dir)
    cf = CloudFlare.CloudFlare(base_url=env.api_url, token=admin)
    z1 = cf.zones.post(data={"name": "example.test"})["id"]
    cf.zones.post(data={"name": "other.test"})
    scoped = env.token("scoped", zones=["example.test"])
    reader = env.token("reader", edit=False)
    cfs = CloudFlare.CloudFlare(base_url=env.api_url, token=scoped)
    check([z["name"] for z in cfs.zones.get()] == ["example.test"], "list filtered to scope")
    cfs.zones.dns_records.post(z1, data={"type": "A", "name": "a", "content": "192.0.2.1"})
    cfr = CloudFlare.CloudFlare(base_url=env.api_url, token=reader)
    check(len(cfr.zones.dns_records.get(z1)) == 1, "a read token reads")
    code, _ = api_error(cfr.zones.dns_records.post, z1,
                        data={"type": "A", "name": "b", "content": "192.0.2.2"})
    check(code == 10000, f"read token writing: code {code}")
    bad = CloudFlare.CloudFlare(base_url=env.api_url, token="x" * 40)
    code, _ = api_error(bad.zones.get)
    check(code == 9109, f"unknown token: code {code}")

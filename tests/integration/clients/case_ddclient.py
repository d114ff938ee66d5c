"""case_ddclient.py -- ddclient 3.10 with protocol=cloudflare against dnsd's own TLS listener
([api] tls_cert/tls_key, CLIENTS.md §3): it updates an existing A record to a new address and
`dig` shows it. ddclient always speaks HTTPS; the test makes a CA and a certificate for
IP:127.0.0.1 with openssl, and ddclient trusts that CA with ssl_ca_file.
"""

from harness import check, dig, make_pki, need_tool

CASES = {}

EMAIL = "admin@example.test"
NEW_V4 = "198.51.100.77"


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def ddclient_conf(env, pki, login, password, address):
    # server= carries host:port and the base path (a bare host:port fails ddclient's regex).
    return "\n".join([
        "daemon=0", "ssl=yes", f"ssl_ca_file={pki['ca']}", f"use=ip, ip={address}",
        "protocol=cloudflare", f"server=127.0.0.1:{env.api_port}/client/v4",
        "zone=example.test", f"login={login}", f"password={password}", "ttl=1",
        "home.example.test", ""])


def run_ddclient(env, conf_text, tag):
    ddclient = need_tool("ddclient")
    conf = env.write(f"{tag}.conf", conf_text, mode=0o600)
    r = env.run([ddclient, "-file", conf, "-cache", env.path(f"{tag}.cache"), "-foreground",
                 "-daemon=0", "-force", "-verbose", "-noquiet"], timeout=60, ok=False)
    out = r.stdout + r.stderr
    check(r.returncode == 0 and "SUCCESS" in out and "FAILED" not in out,
          f"ddclient exited {r.returncode}:\n{out[-4000:]}")
    return out


def setup(env, email=None):
    pki = make_pki(env, names=("localhost",), ips=("127.0.0.1",))
    admin = env.token("admin")
    env.start_dnsd(tls=(pki["cert"], pki["key"]), email=email)
    zone = env.api_ok("POST", "/zones", admin, {"name": "example.test"}, cafile=pki["ca"])
    rec = env.api_ok("POST", f"/zones/{zone['id']}/dns_records", admin,
                     {"type": "A", "name": "home", "content": "192.0.2.1", "ttl": 120,
                      "comment": "home router"}, cafile=pki["ca"])
    check(dig(env.dns_port, "home.example.test", "A") == ["192.0.2.1"], "before: 192.0.2.1")
    return pki, admin, zone["id"], rec


def check_updated(env, pki, admin, zid, rec, address):
    check(dig(env.dns_port, "home.example.test", "A") == [address], f"dig shows {address}")
    after = env.api_ok("GET", f"/zones/{zid}/dns_records/{rec['id']}", admin, cafile=pki["ca"])
    check(after["content"] == address, f"API shows {after}")
    # ddclient PATCHes content only (CLIENTS.md §3): the rest of the record is kept.
    check(after["ttl"] == 120 and after["proxied"] is False and
          after.get("comment") == "home router", f"PATCH kept ttl/proxied/comment: {after}")


@case
def ddclient_tls(env):
    """login=token: Authorization: Bearer over TLS to dnsd's own listener."""
    pki, admin, zid, rec = setup(env)
    token = env.token("ddclient", zones=["example.test"])
    run_ddclient(env, ddclient_conf(env, pki, "token", token, NEW_V4), "dd")
    check_updated(env, pki, admin, zid, rec, NEW_V4)


@case
def ddclient_tls_legacy_key(env):
    """login=<email>: X-Auth-Email + X-Auth-Key, the account's email configured."""
    pki, admin, zid, rec = setup(env, email=EMAIL)
    key = env.token("ddclient", zones=["example.test"])
    run_ddclient(env, ddclient_conf(env, pki, EMAIL, key, "198.51.100.78"), "dd")
    check_updated(env, pki, admin, zid, rec, "198.51.100.78")

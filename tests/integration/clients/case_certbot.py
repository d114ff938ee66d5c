"""case_certbot.py -- certbot with python3-certbot-dns-cloudflare against pebble on loopback
(CLIENTS.md §2): pebble's DNS-01 validation asks dnsd (`pebble -dnsserver`), certbot writes the
challenge TXT records through dnsd's API, a certificate is issued for two names of a zone dnsd
serves, and the challenge records are gone afterwards (API and dig).

The plugin never passes a base URL: python-cloudflare takes it from CLOUDFLARE_API_URL (token
case) or from `base_url` in ~/.cloudflare.cfg (legacy email + key case). HOME is the test's
own, so no other config file is read.
"""

import json
import os
import re
import time

from harness import check, dig, free_port, make_pki, need_tool, wait_tcp

CASES = {}

EMAIL = "admin@example.test"
CERTBOT_LIMIT = 60  # seconds for one certbot run


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def start_pebble(env, pki):
    """pebble on free loopback ports, validating DNS-01 against dnsd; returns its ACME URL."""
    pebble = need_tool("pebble")
    for _ in range(3):
        acme, mgmt, http, tls = (free_port() for _ in range(4))
        conf = {"pebble": {"listenAddress": f"127.0.0.1:{acme}",
                           "managementListenAddress": f"127.0.0.1:{mgmt}",
                           "certificate": pki["cert"], "privateKey": pki["key"],
                           "httpPort": http, "tlsPort": tls, "ocspResponderURL": "",
                           "externalAccountBindingRequired": False}}
        path = env.write("pebble.json", json.dumps(conf))
        p = env.start("pebble", [pebble, "-config", path, "-dnsserver",
                                 f"127.0.0.1:{env.dns_port}", "-strict=false"],
                      env=env.env(PEBBLE_VA_NOSLEEP="1", PEBBLE_WFE_NONCEREJECT="0",
                                  PEBBLE_AUTHZREUSE="0"))
        if wait_tcp(acme, p.proc):
            return f"https://127.0.0.1:{acme}/dir"
        p.stop()
    raise AssertionError(f"pebble did not start: {p.log_text()[-2000:]}")


def run_certbot(env, acme_url, pki, ini, extra_env, names, tag):
    certbot = need_tool("certbot")
    argv = [certbot, "certonly", "--non-interactive", "--agree-tos", "-m", EMAIL,
            "--no-eff-email", "--server", acme_url,
            "--config-dir", env.path(tag, "etc"), "--work-dir", env.path(tag, "work"),
            "--logs-dir", env.path(tag, "logs"),
            "--authenticator", "dns-cloudflare", "--dns-cloudflare-credentials", ini,
            "--dns-cloudflare-propagation-seconds", "1"]
    for n in names:
        argv += ["-d", n]
    started = time.monotonic()
    r = env.run(argv, timeout=CERTBOT_LIMIT, ok=False,
                env=env.env(REQUESTS_CA_BUNDLE=pki["ca"], **extra_env))
    took = time.monotonic() - started
    log = ""
    logfile = env.path(tag, "logs", "letsencrypt.log")
    if os.path.exists(logfile):
        with open(logfile, errors="replace") as f:
            log = f.read()
    check(r.returncode == 0, f"certbot exited {r.returncode} after {took:.1f}s:\n{r.stdout}\n"
          f"{r.stderr}\n---- certbot log (tail) ----\n{log[-5000:]}")
    return env.path(tag, "etc", "live", names[0], "fullchain.pem")


def check_certificate(env, path, names):
    check(os.path.exists(path), f"no certificate at {path}")
    r = env.run([need_tool("openssl"), "x509", "-in", path, "-noout", "-ext", "subjectAltName"])
    sans = set(re.findall(r"DNS:([^,\s]+)", r.stdout))
    check(sans == set(names), f"certificate SANs {sans}, expected {names}")


def check_challenges_gone(env, token, zid):
    txt = env.api_ok("GET", f"/zones/{zid}/dns_records?type=TXT", token)
    left = [r["name"] for r in txt if r["name"].startswith("_acme-challenge")]
    check(not left, f"challenge records left in the API: {left}")
    for n in ("_acme-challenge.www.example.test", "_acme-challenge.example.test"):
        check(dig(env.dns_port, n, "TXT") == [], f"{n} TXT still served")


def setup(env, email=None):
    admin = env.token("admin")
    env.start_dnsd(email=email)
    zone = env.api_ok("POST", "/zones", admin, {"name": "example.test"})
    env.api_ok("POST", f"/zones/{zone['id']}/dns_records", admin,
               {"type": "A", "name": "www", "content": "192.0.2.10"})
    pki = make_pki(env)
    acme = start_pebble(env, pki)
    return admin, zone["id"], pki, acme


NAMES = ["www.example.test", "example.test"]


@case
def certbot_token(env):
    """Token in the INI; base URL from CLOUDFLARE_API_URL."""
    admin, zid, pki, acme = setup(env)
    token = env.token("certbot", zones=["example.test"])
    ini = env.write("cloudflare.ini", f"dns_cloudflare_api_token = {token}\n", mode=0o600)
    cert = run_certbot(env, acme, pki, ini, {"CLOUDFLARE_API_URL": env.api_url}, NAMES, "tok")
    check_certificate(env, cert, NAMES)
    check_challenges_gone(env, admin, zid)
    check(dig(env.dns_port, "www.example.test", "A") == ["192.0.2.10"], "other records kept")


@case
def certbot_legacy_key(env):
    """Legacy X-Auth-Email + X-Auth-Key ([account] email set); base URL from ~/.cloudflare.cfg."""
    admin, zid, pki, acme = setup(env, email=EMAIL)
    key = env.token("certbot-legacy", zones=["example.test"])
    ini = env.write("cloudflare.ini", f"dns_cloudflare_email = {EMAIL}\n"
                    f"dns_cloudflare_api_key = {key}\n", mode=0o600)
    # Only base_url in the file: an email or key there plus the INI's would be "confused info".
    env.write("home/.cloudflare.cfg", f"[CloudFlare]\nbase_url = {env.api_url}\n")
    cert = run_certbot(env, acme, pki, ini, {}, NAMES, "legacy")
    check_certificate(env, cert, NAMES)
    check_challenges_gone(env, admin, zid)
    # A wrong email with the same key is refused: the pair is really checked.
    bad = env.write("bad.ini", "dns_cloudflare_email = other@example.test\n"
                    f"dns_cloudflare_api_key = {key}\n", mode=0o600)
    r = env.run([need_tool("certbot"), "certonly", "--non-interactive", "--agree-tos", "-m",
                 EMAIL, "--no-eff-email", "--server", acme,
                 "--config-dir", env.path("bad", "etc"), "--work-dir", env.path("bad", "work"),
                 "--logs-dir", env.path("bad", "logs"), "--authenticator", "dns-cloudflare",
                 "--dns-cloudflare-credentials", bad, "--dns-cloudflare-propagation-seconds", "1",
                 "-d", "bad.example.test"],
                timeout=CERTBOT_LIMIT, ok=False, env=env.env(REQUESTS_CA_BUNDLE=pki["ca"]))
    check(r.returncode != 0, "certbot with a wrong email must fail")
    check("9103 Unknown X-Auth-Key or X-Auth-Email" in r.stdout + r.stderr,
          f"wrong email refused with 9103: {r.stdout[-1500:]} {r.stderr[-1500:]}")

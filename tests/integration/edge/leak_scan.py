#!/usr/bin/python3
"""leak_scan.py -- origin privacy (DESIGN §2, issue 3 item 3): the real dnsd on loopback is
asked every name of zones full of proxied records x every RR type ldns knows (its own type
table, read from libldns) and dnspython knows, a few unassigned types and ANY x UDP and TCP
(pipelined) x no EDNS, EDNS, EDNS+DO x lowercase and 0x20-mixed case. Any occurrence of an
origin's bytes in any response fails the test: the 4- and 16-octet addresses, their text
forms, the origin host names of proxied CNAMEs and the tunnel id of a proxied route. The
public export (`zone export --public`) is scanned the same way.

Usage: leak_scan.py --dnsd PATH --dnsctl PATH
"""

import argparse
import ctypes
import ctypes.util
import ipaddress
import os
import random
import select
import socket
import struct
import sys
import time

import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "daemon"))
from harness import Env, TestFailure, check  # noqa: E402

# ---- the zones -------------------------------------------------------------------------------
# Origins: 198.19.251.0xA1.. (0xC6 0x13 0xFB 0xA?: octets >= 0x80 never occur in names, and
# no TTL, id or serial here has them) and 2001:db8:dead:beef:f00d::/80.
V4 = {n: f"198.19.251.{160 + n}" for n in range(1, 16)}
V6 = {n: f"2001:db8:dead:beef:f00d::{n:x}" for n in range(1, 16)}
ORIGIN_HOSTS = ["origin-7f3a9c.hidden.invalid", "origin-b2e4d1.hidden.invalid"]

EDGE_V4 = {"203.0.113.10", "203.0.113.11"}
EDGE_V6 = {"2001:db8:e::10", "2001:db8:e::11"}
V4ONLY_V4 = {"203.0.113.20"}

CONFIG = """
[[edge_pools]]
name = "default"
ipv4 = ["203.0.113.10", "203.0.113.11"]
ipv6 = ["2001:db8:e::10", "2001:db8:e::11"]

[[edge_pools]]
name = "v4only"
ipv4 = ["203.0.113.20"]

[flattening]
upstreams = ["127.0.0.1:9"]

[zones]
name_servers = ["ns1.leak.test."]
"""

P = " ; cf_tags=cf-proxied:true"
F = " ; cf_tags=cf-flatten-cname"


def leak_zone(tunnel_id):
    return f"""$ORIGIN leak.test.
$TTL 3600
@        SOA   ns1.leak.test. hostmaster.leak.test. 2024010101 7200 3600 1209600 300
@        NS    ns1.leak.test.
@        NS    edge-ns.leak.test.
ns1      A     192.0.2.53
edge-ns  A     {V4[15]}{P}
@        A     {V4[1]}{P}
@        AAAA  {V6[1]}{P}
@        MX    10 www.leak.test.
@        MX    20 v6only.leak.test.
@        TXT   "v=spf1 mx -all"
@        HTTPS 1 . alpn=h2 ipv4hint={V4[1]} ipv6hint={V6[1]}
www      A     {V4[2]}{P}
www      AAAA  {V6[2]}{P}
www      HTTPS 1 . alpn=h2,h3 ipv4hint={V4[2]} ech=AEX+DQBB ipv6hint={V6[2]}
www      TXT   "beside a proxied name"
www      CAA   0 issue "letsencrypt.org"
v6only   AAAA  {V6[3]}{P}
multi    A     {V4[4]}{P}
multi    A     {V4[5]}{P}
svc      A     {V4[6]}{P}
svc      SVCB  1 www.leak.test. port=8443 mandatory=ipv4hint ipv4hint={V4[6]}
_sip._tcp  SRV 0 5 5060 www.leak.test.
_xmpp._tcp SRV 0 5 5269 multi.leak.test.
_h._tcp  SRV   0 5 443 x.wild.leak.test.
alias    HTTPS 0 www.leak.test.
alias2   SVCB  1 svc.leak.test. alpn=h2
mail     MX    5 svc.leak.test.
*.wild   A     {V4[7]}{P}
*.wild   AAAA  {V6[7]}{P}
*.wild   TXT   "wild"
*.wild   HTTPS 1 . ipv4hint={V4[7]} ipv6hint={V6[7]}
chain1   CNAME www.leak.test.
chain2   CNAME chain1.leak.test.
chainw   CNAME deep.x.wild.leak.test.
pc-plain CNAME plain.leak.test.{P}
plain    A     192.0.2.80
pc-pc    CNAME pc-plain.leak.test.{P}
pc-ext   CNAME {ORIGIN_HOSTS[0]}.{P}
pc-ext2  CNAME {ORIGIN_HOSTS[1]}.{P}
to-pcext CNAME pc-ext.leak.test.
pcw      CNAME x.wild.leak.test.{P}
tun      CNAME {tunnel_id}.cfargotunnel.com.{P}
to-tun   CNAME tun.leak.test.
sub      NS    www.leak.test.
sub      NS    ns.sub.leak.test.
ns.sub   A     192.0.2.99
"""


# Zones whose flattened CNAMEs target proxied names (issue 3 item 4, the flattening helper's
# work). Until flattening is in, the public view leaves these CNAMEs out (NODATA); once it
# is, the flattener follows them in the snapshot, where proxied names already hold the edge's
# addresses. Either way they are probed and scanned like every other name.
FLAT_ZONE = f"""$ORIGIN flat.test.
$TTL 3600
@        SOA   ns1.leak.test. hostmaster.flat.test. 1 7200 3600 1209600 300
@        NS    ns1.leak.test.
@        CNAME www.leak.test.
@        TXT   "apex flattened to a proxied name"
fl       CNAME pc-ext.leak.test.{F}
flw      CNAME x.wild.leak.test.{F}
fltun    CNAME tun.leak.test.{F}
ch       CNAME fl.flat.test.
"""

FLATALL_ZONE = """$ORIGIN flatall.test.
$TTL 3600
@        SOA   ns1.leak.test. hostmaster.flatall.test. 1 7200 3600 1209600 300
@        NS    ns1.leak.test.
a        CNAME multi.leak.test.
b        CNAME pc-pc.leak.test.
"""

POOL2_ZONE = f"""$ORIGIN pool2.test.
$TTL 3600
@        SOA   ns1.leak.test. hostmaster.pool2.test. 1 7200 3600 1209600 300
@        NS    ns1.leak.test.
www      AAAA  {V6[8]}{P}
www      HTTPS 1 . ipv4hint={V4[8]} ipv6hint={V6[8]}
four     A     {V4[9]}{P}
pc       CNAME www.leak.test.{P}
"""

# Every name asked (absolute), with what its A/AAAA answer must be: "edge" (default pool),
# "v4only", "flat" (edge addresses or SERVFAIL while pending), or None (no check).
NAMES = {
    "leak.test.": "edge", "www.leak.test.": "edge", "v6only.leak.test.": "edge",
    "multi.leak.test.": "edge", "svc.leak.test.": "edge", "edge-ns.leak.test.": "edge",
    "x.wild.leak.test.": "edge", "deep.x.wild.leak.test.": "edge", "*.wild.leak.test.": "edge",
    "chain1.leak.test.": "edge", "chain2.leak.test.": "edge", "chainw.leak.test.": "edge",
    "pc-plain.leak.test.": "edge", "pc-pc.leak.test.": "edge", "pc-ext.leak.test.": "edge",
    "pc-ext2.leak.test.": "edge", "to-pcext.leak.test.": "edge", "pcw.leak.test.": "edge",
    "tun.leak.test.": "edge", "to-tun.leak.test.": "edge",
    "ns1.leak.test.": None, "plain.leak.test.": None, "_sip._tcp.leak.test.": None,
    "_xmpp._tcp.leak.test.": None, "_h._tcp.leak.test.": None, "_tcp.leak.test.": None,
    "alias.leak.test.": None, "alias2.leak.test.": None, "mail.leak.test.": None,
    "wild.leak.test.": None, "sub.leak.test.": None, "host.sub.leak.test.": None,
    "ns.sub.leak.test.": None, "x.www.leak.test.": None, "nothing.leak.test.": None,
    "flat.test.": "flat", "fl.flat.test.": "flat", "flw.flat.test.": "flat",
    "fltun.flat.test.": "flat", "ch.flat.test.": "flat", "nothing.flat.test.": None,
    "a.flatall.test.": "flat", "b.flatall.test.": "flat", "flatall.test.": None,
    "pool2.test.": None, "www.pool2.test.": "v4only", "four.pool2.test.": "v4only",
    "pc.pool2.test.": "v4only", "nothing.pool2.test.": None,
}
# The only addresses any response may hold: the pools' and the DNS-only records'.
PUBLIC_ADDRESSES = EDGE_V4 | EDGE_V6 | V4ONLY_V4 | {"192.0.2.53", "192.0.2.80", "192.0.2.99"}
PROXIED_CNAMES = {"pc-plain.leak.test.", "pc-pc.leak.test.", "pc-ext.leak.test.",
                  "pc-ext2.leak.test.", "pcw.leak.test.", "tun.leak.test.", "pc.pool2.test."}
UNASSIGNED = [54, 127, 3333, 40000, 65280, 65535]
# Answers parsed for the semantic checks: A, NS, CNAME, MX, AAAA, SRV, SVCB, HTTPS, ANY in
# every variant, every other type over UDP without EDNS.
PARSED_TYPES = {1, 2, 5, 15, 28, 33, 64, 65, 255}


# ---- what must never be seen -------------------------------------------------------------------

def ldns_types():
    """Every type in libldns's descriptor table (its 'known' types)."""
    path = ctypes.util.find_library("ldns")
    check(path is not None, "libldns not found (ldns's type table is the scanner's type list)")
    lib = ctypes.CDLL(path)
    lib.ldns_rr_descript.restype = ctypes.c_void_p
    lib.ldns_rr_descript.argtypes = [ctypes.c_uint16]
    out = set()
    for t in range(65536):
        p = lib.ldns_rr_descript(t)
        # struct ldns_struct_rr_descriptor { ldns_rr_type _type; const char *_name; ... }
        if p and ctypes.c_int.from_address(p).value == t and \
                ctypes.c_char_p.from_address(p + ctypes.sizeof(ctypes.c_void_p)).value:
            out.add(t)
    check(len(out) > 60, f"ldns knows only {len(out)} types?")
    return out


def secrets(tunnel_id):
    """(binary patterns, lowercase text patterns), each with a label for the report."""
    binary, text = [], []
    for a in list(V4.values()) + list(V6.values()):
        ip = ipaddress.ip_address(a)
        binary.append((ip.packed, a))
        text.append((ip.compressed.lower().encode(), a))
        text.append((ip.exploded.lower().encode(), a))
        text.append((ip.reverse_pointer.lower().encode(), a))
    for a in V4.values():  # the reverse name as labels: "\x03177\x03251\x0219\x03198"
        labels = b"".join(bytes([len(x)]) + x.encode() for x in reversed(a.split(".")))
        text.append((labels, a))
    for h in ORIGIN_HOSTS:
        first = h.split(".")[0].encode()
        text.append((bytes([len(first)]) + first, h))  # the label, even in compressed names
        text.append((h.encode(), h))
    text.append((tunnel_id.encode(), "tunnel id " + tunnel_id))
    text.append((bytes([len(tunnel_id)]) + tunnel_id.encode(), "tunnel id " + tunnel_id))
    # The text patterns' own distinctive bytes (for the hex of an IPv6 in TXT-like rdata).
    text.append((b"dead:beef:f00d", "an origin IPv6 prefix"))
    return binary, text


def scan(data, binary, text):
    """The first secret in `data`, or None."""
    for pat, what in binary:
        if pat in data:
            return what
    low = data.lower()
    for pat, what in text:
        if pat in low:
            return what
    return None


# ---- queries ---------------------------------------------------------------------------------------

def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def mixed_case(name, rng):
    return "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else c for c in name)


def make_query(qid, qname, qtype, edns):
    """Wire query: no RD; edns 0 none, 1 EDNS(0) 1232, 2 EDNS(0) with DO (RFC 3225)."""
    hdr = struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 1 if edns else 0)
    msg = hdr + encode_name(qname) + struct.pack("!HH", qtype, 1)
    if edns:
        msg += b"\x00" + struct.pack("!HHIH", 41, 1232, 0x8000 if edns == 2 else 0, 0)
    return msg


class Probe:
    __slots__ = ("name", "qname", "qtype", "edns", "tcp", "v6", "wire", "response")

    def __init__(self, name, qname, qtype, edns, tcp, v6):
        self.name, self.qname, self.qtype, self.edns, self.tcp, self.v6 = \
            name, qname, qtype, edns, tcp, v6
        self.wire = None
        self.response = None


def run_udp(probes, port, limit):
    """Sends the probes over UDP with up to 512 in flight per address; returns when every one
    has a response (each retried up to 3 times) or `limit` seconds have passed."""
    socks = {False: socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
             True: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)}
    dest = {False: ("127.0.0.1", port), True: ("::1", port)}
    for s in socks.values():
        s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    queue = list(range(len(probes)))
    pending = {False: {}, True: {}}  # id -> [index, sent_at, tries]
    free_ids = {False: list(range(1, 65536)), True: list(range(1, 65536))}
    random.Random(7).shuffle(free_ids[False])
    random.Random(8).shuffle(free_ids[True])
    end = time.monotonic() + limit
    while queue or pending[False] or pending[True]:
        check(time.monotonic() < end, f"UDP probes not answered within {limit} s")
        while queue and len(pending[probes[queue[-1]].v6]) < 512:
            i = queue.pop()
            p = probes[i]
            qid = free_ids[p.v6].pop()
            p.wire = make_query(qid, p.qname, p.qtype, p.edns)
            socks[p.v6].sendto(p.wire, dest[p.v6])
            pending[p.v6][qid] = [i, time.monotonic(), 1]
        ready, _, _ = select.select(list(socks.values()), [], [], 0.05)
        for v6, s in socks.items():
            if s not in ready:
                continue
            while True:
                try:
                    data = s.recv(65535)
                except BlockingIOError:
                    break
                qid = struct.unpack("!H", data[:2])[0]
                entry = pending[v6].pop(qid, None)
                if entry is None:
                    continue  # a late answer to a retried query
                probes[entry[0]].response = data
                free_ids[v6].insert(0, qid)
        now = time.monotonic()
        for v6 in (False, True):
            for qid, entry in list(pending[v6].items()):
                if now - entry[1] > 1.0:
                    check(entry[2] < 4, f"no UDP answer after 4 tries: {probes[entry[0]].qname}")
                    socks[v6].sendto(probes[entry[0]].wire, dest[v6])
                    entry[1], entry[2] = now, entry[2] + 1
    for s in socks.values():
        s.close()


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("closed by dnsd")
        buf += chunk
    return buf


def run_tcp(probes, port, limit, chunk=200):
    """Pipelines the probes over TCP (RFC 7766 §6.2.1.1), `chunk` queries a write, each
    connection reused; a connection dnsd closes is replaced and its unanswered queries sent
    again (bounded)."""
    end = time.monotonic() + limit
    for v6 in (False, True):
        todo = [p for p in probes if p.v6 == v6]
        conn = None
        reopen = 0
        pos = 0
        while pos < len(todo):
            check(time.monotonic() < end, f"TCP probes not answered within {limit} s")
            if conn is None:
                conn = socket.create_connection(("::1" if v6 else "127.0.0.1", port), timeout=5)
            batch = todo[pos:pos + chunk]
            by_id = {}
            out = b""
            for k, p in enumerate(batch):
                qid = k + 1
                p.wire = make_query(qid, p.qname, p.qtype, p.edns)
                by_id[qid] = p
                out += struct.pack("!H", len(p.wire)) + p.wire
            try:
                conn.sendall(out)
                for _ in batch:
                    n = struct.unpack("!H", recv_exact(conn, 2))[0]
                    data = recv_exact(conn, n)
                    p = by_id.pop(struct.unpack("!H", data[:2])[0], None)
                    check(p is not None, "a TCP answer with an id that was not asked")
                    p.response = data
            except (ConnectionError, socket.timeout, OSError) as e:
                conn.close()
                conn = None
                reopen += 1
                check(reopen < 20, f"dnsd keeps closing TCP connections: {e}")
                answered = sum(1 for p in batch if p.response is not None)
                # The batch is sent again from its first unanswered query.
                pos += next((k for k, p in enumerate(batch) if p.response is None), answered)
                continue
            pos += len(batch)
        if conn is not None:
            conn.close()


# ---- checks -----------------------------------------------------------------------------------------

def addresses(msg, owner, rdtype):
    out = set()
    for rrset in msg.answer:
        if rrset.rdtype == rdtype and rrset.name == owner:
            out |= {r.to_text() for r in rrset}
    return out


def address_checks(p, msg, errors):
    """Every A/AAAA anywhere in a response (answer, authority, additional: the glue of MX,
    SRV, HTTPS, SVCB and NS targets) is the edge's or a DNS-only record's."""
    for section in (msg.answer, msg.authority, msg.additional):
        for rrset in section:
            if rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
                bad = {r.to_text() for r in rrset} - PUBLIC_ADDRESSES
                if bad:
                    errors.append(f"{p.qname} {p.qtype}: {rrset.name} holds {sorted(bad)}")


def semantic_checks(p, msg, errors):
    """For A/AAAA/ANY/CNAME questions: proxied names answer with their pool, never a CNAME."""
    expect = NAMES[p.name]
    qn = dns.name.from_text(p.qname)
    for rrset in msg.answer:
        if rrset.rdtype == dns.rdatatype.CNAME and \
                rrset.name.to_text().lower() in PROXIED_CNAMES:
            errors.append(f"{p.qname}: the proxied CNAME {rrset.name} is shown")
    if expect is None or p.qtype not in (1, 28):
        return
    rdtype = dns.rdatatype.RdataType(p.qtype)
    final = qn
    for rrset in msg.answer:  # follow the chain to the last owner
        if rrset.rdtype == dns.rdatatype.CNAME:
            final = rrset[0].target
    got = addresses(msg, final, rdtype)
    if expect == "flat" and msg.rcode() == dns.rcode.SERVFAIL:
        return  # a flattened name whose addresses are pending: never a wrong answer
    want = {"edge": EDGE_V4 if p.qtype == 1 else EDGE_V6,
            "flat": EDGE_V4 if p.qtype == 1 else EDGE_V6,
            "v4only": V4ONLY_V4 if p.qtype == 1 else set()}[expect]
    if expect == "flat" and not got:
        return  # flattening not (yet) in: the CNAME is left out, NODATA
    if msg.rcode() != dns.rcode.NOERROR or got != want:
        errors.append(f"{p.qname} {rdtype.name}: rcode {dns.rcode.to_text(msg.rcode())}, "
                      f"{sorted(got)} instead of the pool's {sorted(want)}")
    for rrset in msg.answer:
        if rrset.rdtype == rdtype and rrset.ttl != 300:
            errors.append(f"{p.qname} {rdtype.name}: TTL {rrset.ttl}, not 300")


def self_test(binary, text):
    """The scanner finds what it must find (a test that cannot fail proves nothing)."""
    m = dns.message.make_response(dns.message.make_query("www.leak.test.", "A"))
    m.answer.append(dns.rrset.from_text("www.leak.test.", 300, "IN", "A", V4[2]))
    check(scan(m.to_wire(), binary, text) == V4[2], "the scanner misses a 4-octet origin")
    m.answer = [dns.rrset.from_text("x.leak.test.", 300, "IN", "TXT", f'"at {V6[3]}"')]
    check(scan(m.to_wire(), binary, text) is not None, "the scanner misses an origin as text")
    m.answer = [dns.rrset.from_text("X.leak.test.", 300, "IN", "CNAME",
                                    ORIGIN_HOSTS[0].upper() + ".")]
    check(scan(m.to_wire(), binary, text) is not None, "the scanner misses an origin host")
    check(scan(b"\x00" * 64 + ipaddress.ip_address(V6[9]).packed, binary, text) is not None,
          "the scanner misses a 16-octet origin")


def build_probes(types):
    rng = random.Random(20240101)
    probes = []
    for name in NAMES:
        for qtype in types:
            for tcp in (False, True):
                for edns in (0, 1, 2):
                    for case in (0, 1):
                        qname = mixed_case(name, rng) if case else name
                        v6 = (len(probes) % 2) == 1
                        probes.append(Probe(name, qname, qtype, edns, tcp, v6))
    return probes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dnsd", required=True)
    ap.add_argument("--dnsctl", required=True)
    a = ap.parse_args()
    env = Env(a.dnsd, a.dnsctl)
    t0 = time.monotonic()
    try:
        cfg = env.write("setup.toml", CONFIG)
        tunnel_id = env.dnsctl("--config", cfg, "tunnel", "create", "home").stdout.split()[-1]
        for origin, text in (("leak.test", leak_zone(tunnel_id)), ("flat.test", FLAT_ZONE),
                             ("flatall.test", FLATALL_ZONE), ("pool2.test", POOL2_ZONE)):
            env.dnsctl("--config", cfg, "zone", "import", origin, env.write(origin, text))
        env.dnsctl("--config", cfg, "zone", "set", "pool2.test", "edge_pool", "v4only")
        env.dnsctl("zone", "set", "flatall.test", "cname_flattening", "flatten_all")
        binary, text = secrets(tunnel_id)
        self_test(binary, text)
        # The stored export holds the origins (the scanner would see them); the public one
        # must not.
        stored = env.dnsctl("zone", "export", "leak.test").stdout.encode()
        check(scan(stored, binary, text) is not None, "the stored export lacks the origins?")
        for origin in ("leak.test", "flat.test", "flatall.test", "pool2.test"):
            public = env.dnsctl("--config", cfg, "zone", "export", origin, "--public").stdout
            what = scan(public.encode(), binary, text)
            check(what is None, f"zone export --public {origin} shows {what}:\n{public}")

        d = env.start_dnsd(config=CONFIG, threads=2)
        types = sorted(ldns_types() | {t.value for t in dns.rdatatype.RdataType} |
                       set(UNASSIGNED) | {255})
        probes = build_probes(types)
        t_query = time.monotonic()
        run_udp([p for p in probes if not p.tcp], d.port, limit=60)
        run_tcp([p for p in probes if p.tcp], d.port, limit=60)
        took = time.monotonic() - t_query
        t_check = time.monotonic()
        errors, rcodes = [], {}
        for p in probes:
            check(p.response is not None, f"no answer to {p.qname} {p.qtype}")
            what = scan(p.response, binary, text)
            if what is not None:
                raise TestFailure(f"LEAK: {what} in the answer to {p.qname} type {p.qtype} "
                                  f"({'TCP' if p.tcp else 'UDP'}, edns={p.edns}): "
                                  f"{p.response.hex()}")
            rc = p.response[3] & 0x0F
            rcodes[rc] = rcodes.get(rc, 0) + 1
            if not (p.qtype in PARSED_TYPES or (p.edns == 0 and not p.tcp)):
                continue  # the byte scan above covers it; parsing every answer costs minutes
            try:
                msg = dns.message.from_wire(p.response)
            except Exception as e:  # noqa: BLE001 -- any unparsable answer is a failure
                errors.append(f"{p.qname} {p.qtype}: unparsable answer: {e}")
                continue
            address_checks(p, msg, errors)
            if p.qtype in (1, 28, 5, 255):
                semantic_checks(p, msg, errors)
        check(not errors, f"{len(errors)} wrong answers, first: {errors[:8]}")
        check(d.alive(), "dnsd survived the scan")
        d.stop()
        summary = ", ".join(f"{dns.rcode.to_text(k)} {v}" for k, v in sorted(rcodes.items()))
        print(f"leak scan: {len(probes)} probes ({len(NAMES)} names x {len(types)} qtypes x "
              f"UDP/TCP x 3 EDNS variants x 2 cases, IPv4 and IPv6 loopback) in {took:.1f} s; "
              f"no origin seen; rcodes: {summary}; 4 public exports scanned; checks "
              f"{time.monotonic() - t_check:.1f} s, setup {t_query - t0:.1f} s")
    except TestFailure as e:
        print(f"FAIL leak_scan: {e}", file=sys.stderr)
        return 1
    finally:
        env.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

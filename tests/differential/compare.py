"""compare.py -- turn a reply into comparable fields, compare servers, render side by side.

Every field of a reply is kept: outcome, ID echo, opcode, rcode (with the extended bits of
OPT), each header bit, the four counts, the question (exact case), the answer, authority and
additional sections as sorted lists of RRs (owner, TTL, class, type, rdata), and the OPT
record (presence, version, payload, DO, other flag bits, options). Nothing is dropped.

Owner names are compared case-insensitively, except owners equal to the qname (in any
section), which must keep the query's case (RFC 4343 §4.1; both peers copy the question's
name there). RDATA is compared in canonical form (RFC 4034 §6.2: names lowercased).
"""

import struct

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype


FIELDS = ["outcome", "id", "opcode", "rcode", "flags", "counts", "question", "answer",
          "authority", "additional", "opt", "raw"]
LIST_FIELDS = {"question", "answer", "authority", "additional"}
HEADER_BITS = [("qr", 0x8000), ("aa", 0x0400), ("tc", 0x0200), ("rd", 0x0100),
               ("ra", 0x0080), ("z", 0x0040), ("ad", 0x0020), ("cd", 0x0010)]


def query_qname(query):
    """The qname of a query as sent (with its case), or None when it does not parse."""
    try:
        msg = dns.message.from_wire(query.wire, ignore_trailing=True)
        return msg.question[0].name if msg.question else None
    except (dns.exception.DNSException, ValueError, IndexError, struct.error):
        return None


def _owner(name, qname):
    text = name.to_text()
    if qname is not None and name == qname:  # dnspython compares names case-insensitively
        return text
    return text.lower()


def _rr_text(owner, ttl, rdclass, rdtype, rdata):
    try:
        canon = rdata.to_digestable(dns.name.root)
        rd = dns.rdata.from_wire(rdclass, rdtype, canon, 0, len(canon))
        rdtext = rd.to_text()
    except Exception:  # noqa: BLE001 -- keep whatever dnspython can show
        rdtext = rdata.to_text()
    return f"{owner} {ttl} {dns.rdataclass.to_text(rdclass)} " \
           f"{dns.rdatatype.to_text(rdtype)} {rdtext}"


def _section(rrsets, qname):
    out = []
    for rrset in rrsets:
        owner = _owner(rrset.name, qname)
        for rd in rrset:
            out.append(_rr_text(owner, rrset.ttl, rrset.rdclass, rrset.rdtype, rd))
    return sorted(out)


def _header(wire, query):
    (mid, flags, qd, an, ns, ar) = struct.unpack("!HHHHHH", wire[:12])
    fields = {}
    fields["id"] = "echoed" if query.id == mid else f"0x{mid:04x} (query 0x{query.id:04x})"
    fields["opcode"] = dns.opcode.to_text((flags >> 11) & 0xF)
    fields["flags"] = " ".join(n for n, bit in HEADER_BITS if flags & bit) or "-"
    fields["counts"] = f"QD={qd} AN={an} NS={ns} AR={ar}"
    return fields, flags & 0xF


def normalize(reply, query):
    """A dict of field -> value (str or sorted list of str) for one outcome."""
    if isinstance(reply, str):  # TIMEOUT, CLOSED, or a socket error's text
        return {"outcome": reply}
    if len(reply) < 12:
        return {"outcome": "short reply", "raw": reply.hex()}
    fields, rcode = _header(reply, query)
    fields["outcome"] = "reply"
    try:
        # The opcode is already recorded from the header; dnspython refuses opcodes it does
        # not know (3, 6-15), so the sections are parsed with the opcode bits cleared.
        patched = reply[:2] + bytes([reply[2] & 0x87]) + reply[3:]
        msg = dns.message.from_wire(patched, one_rr_per_rrset=True)
    except (dns.exception.DNSException, ValueError, struct.error) as e:
        fields["outcome"] = f"unparseable reply ({type(e).__name__})"
        fields["rcode"] = dns.rcode.to_text(rcode)
        fields["raw"] = reply.hex()
        return fields
    qname = query_qname(query)
    fields["rcode"] = dns.rcode.to_text(msg.rcode())
    fields["question"] = [f"{q.name.to_text()} {dns.rdataclass.to_text(q.rdclass)} "
                          f"{dns.rdatatype.to_text(q.rdtype)}" for q in msg.question]
    fields["answer"] = _section(msg.answer, qname)
    fields["authority"] = _section(msg.authority, qname)
    fields["additional"] = _section(msg.additional, qname)
    fields["opt"] = _opt(msg)
    return fields


def _opt(msg):
    if msg.edns < 0:
        return "none"
    other = msg.ednsflags & 0xFFFF & ~dns.flags.DO
    opts = ",".join(f"{o.otype}:{o.to_wire().hex() if hasattr(o, 'to_wire') else ''}"
                    for o in msg.options) or "-"
    return (f"version={msg.edns} payload={msg.payload} "
            f"do={1 if msg.ednsflags & dns.flags.DO else 0} zflags=0x{other:04x} "
            f"options={opts}")


def brief(norm):
    """One line: outcome, rcode, flags, counts (for --brief listings)."""
    if norm.get("outcome") != "reply":
        return norm.get("outcome", "?")
    return f"{norm.get('rcode')} [{norm.get('flags')}] {norm.get('counts')}"


def differing(a, b):
    """Field names whose values differ between two normalized replies."""
    return [f for f in FIELDS if a.get(f) != b.get(f)]


def _cell_lines(norm, field):
    value = norm.get(field)
    if value is None:
        return []
    if field in LIST_FIELDS:
        return [f"{field}:"] + [f"  {v}" for v in value] if value else [f"{field}: (empty)"]
    return [f"{field}: {value}"]


def _clip(text, width):
    return text if len(text) <= width else text[:width - 3] + "..."


def side_by_side(names, norms, width=None):
    """Rows of the replies next to each other; '!' marks fields that differ."""
    width = width or (64 if len(names) <= 3 else 52)
    lines = ["  " + " | ".join(_clip(n, width).ljust(width) for n in names)]
    for field in FIELDS:
        cells = [_cell_lines(n, field) for n in norms]
        if not any(cells):
            continue
        mark = "!" if len({repr(n.get(field)) for n in norms}) > 1 else " "
        for row in range(max(len(c) for c in cells)):
            parts = [_clip(c[row], width).ljust(width) if row < len(c) else " " * width
                     for c in cells]
            lines.append(f"{mark} " + " | ".join(parts).rstrip())
    # Long values are clipped above: spell out in full the ones that differ.
    for field in FIELDS:
        values = [n.get(field) for n in norms]
        if field in LIST_FIELDS or len({repr(v) for v in values}) <= 1:
            continue
        if any(v is not None and len(f"{field}: {v}") > width for v in values):
            for name, v in zip(names, values):
                lines.append(f"  {field} in {name}: {v}")
    for field in LIST_FIELDS:
        values = [n.get(field) or [] for n in norms]
        if len({tuple(v) for v in values}) <= 1:
            continue
        for name, v in zip(names, values):
            others = set().union(*[set(o) for o in values if o is not v])
            for item in v:
                if item not in others and len(item) > width - 2:
                    lines.append(f"  only in {name} ({field}): {item}")
    return "\n".join(lines)

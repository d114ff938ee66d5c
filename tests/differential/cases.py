"""cases.py -- the case file format of the differential suite: parse cases, build query bytes.

A case file (cases/*.cases) holds one case a line:

    NAME  QNAME QTYPE [OPTION...]  [| QNAME QTYPE [OPTION...]]...  [# comment]
    NAME  raw [tcp|split] [expect=...] : HEX-OR-<name> ...           [# comment]

Lines starting with '##' are section comments (the RFC section that the following cases
exercise); they are shown with every failure of those cases. '#' starts a comment.
Options (see README.md): class=C rd cd ad aa tc ra qr z noedns edns=V payload=N do
eflags=N opt=CODE:HEX ixfr=SERIAL id=N opcode=N|NAME tcp split, and per case
expect=knot|nsd|rfc[;FIELD=VALUE...]: the answer that the RFC section in the line's comment
says is right, when knotd and nsd disagree (or both are wrong).
"""

import hashlib
import os
import re
import struct

import dns.edns
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

DEFAULT_PAYLOAD = 1232
# Fields an expectation may set to the RFC's value when neither peer has it exactly; the
# list fields take comma-separated RRs or questions ("" for an empty section).
OVERRIDABLE = {"outcome", "rcode", "flags", "counts", "opt", "question", "answer", "authority",
               "additional"}
LIST_OVERRIDES = {"question", "answer", "authority", "additional"}


class CaseError(Exception):
    pass


class Query:
    """One query of a case: its bytes and what the comparison needs to know about it."""

    def __init__(self, wire, qname_text=None):
        self.wire = wire
        self.qname_text = qname_text  # exact text (with the query's case), or None for raw

    @property
    def id(self):
        return struct.unpack("!H", self.wire[:2])[0] if len(self.wire) >= 2 else None


class Case:
    def __init__(self, name, category, source, comment, section):
        self.name = name
        self.category = category
        self.source = source  # "file:line"
        self.comment = comment  # the line's own comment
        self.section = section  # the last '##' comment above it
        self.queries = []
        self.tcp = False
        self.expect = None  # None, "knot", "nsd", or "rfc" (both peers wrong: knotd corrected)
        self.overrides = {}  # field -> value replacing the chosen peer's (the RFC's answer)
        self.text = ""  # the case line as written

    def describe(self):
        parts = [f"{self.name} ({self.source}, {self.category})", f"  case: {self.text}"]
        if self.section:
            parts.append(f"  ## {self.section}")
        if self.comment:
            parts.append(f"  # {self.comment}")
        return "\n".join(parts)


def case_id(name, index):
    """A stable message ID per case and query, so runs are reproducible."""
    digest = hashlib.sha256(f"{name}/{index}".encode()).digest()
    return struct.unpack("!H", digest[:2])[0]


def _opcode(value):
    if value.isdigit():
        return int(value)
    return dns.opcode.from_text(value.upper())


def build_query(name, index, tokens):
    """QNAME QTYPE [options] -> (Query, transport flag)."""
    if len(tokens) < 2:
        raise CaseError("a query needs QNAME and QTYPE")
    qname = dns.name.from_text(tokens[0])
    qtype = dns.rdatatype.from_text(tokens[1].upper())
    qclass = dns.rdataclass.IN
    flags = 0
    edns, payload, ednsflags, options = 0, DEFAULT_PAYLOAD, 0, []
    msg_id, opcode, zbit, tcp = case_id(name, index), 0, False, False
    ixfr = None
    for tok in tokens[2:]:
        key, _, value = tok.partition("=")
        if key == "class":
            qclass = int(value[5:]) if value.upper().startswith("CLASS") else \
                dns.rdataclass.from_text(value.upper())
        elif key in ("rd", "cd", "ad", "aa", "tc", "ra"):
            flags |= dns.flags.from_text(key.upper())
        elif key == "qr":
            flags |= dns.flags.QR
        elif key == "z":
            zbit = True
        elif key == "noedns":
            edns = -1
        elif key == "edns":
            edns = int(value)
        elif key == "payload":
            payload = int(value)
        elif key == "do":
            ednsflags |= dns.flags.DO
        elif key == "eflags":
            ednsflags |= int(value, 0)
        elif key == "ixfr":
            ixfr = int(value)
        elif key == "opt":
            code, _, data = value.partition(":")
            options.append(dns.edns.GenericOption(int(code), bytes.fromhex(data)))
        elif key == "id":
            msg_id = int(value)
        elif key == "opcode":
            opcode = _opcode(value)
        elif key == "tcp":
            tcp = True
        elif key == "split":  # TCP, each message written in small pieces (RFC 7766 §8)
            tcp = "split"
        else:
            raise CaseError(f"unknown option {tok!r}")
    msg = dns.message.Message(id=msg_id)
    msg.flags = flags
    msg.set_opcode(opcode)
    msg.question = [dns.rrset.RRset(qname, qclass, qtype)]
    if ixfr is not None:  # RFC 1995 §3: the client's SOA in the authority section
        soa = dns.rdata.from_text(qclass, dns.rdatatype.SOA, f". . {ixfr} 0 0 0 0")
        msg.authority = [dns.rrset.from_rdata(qname, 0, soa)]
    if edns >= 0:
        msg.use_edns(edns, ednsflags, payload, options=options)
    wire = bytearray(msg.to_wire())
    if zbit:
        wire[3] |= 0x40
    return Query(bytes(wire), tokens[0]), tcp


_NAME_RE = re.compile(r"<([^>]*)>")


def build_raw(spec):
    """Hex bytes with <name> for the wire form of a name ("<a.b>" without the trailing dot: the
    labels only, no root octet), spaces and underscores ignored."""
    out = bytearray()
    pos = 0
    for m in _NAME_RE.finditer(spec):
        out += bytes.fromhex(re.sub(r"[\s_]", "", spec[pos:m.start()]))
        text = m.group(1)
        if text.endswith("."):
            out += dns.name.from_text(text).to_wire()
        else:  # no trailing dot: plain labels (no escapes, no length check), no root octet
            for label in text.split("."):
                out += bytes([len(label)]) + label.encode("ascii")
        pos = m.end()
    out += bytes.fromhex(re.sub(r"[\s_]", "", spec[pos:]))
    return bytes(out)


def _split_comment(line):
    # A '#' starts a comment unless escaped inside a name; case lines never need a literal '#'.
    idx = line.find(" #")
    if line.startswith("#"):
        return "", line[1:].strip()
    if idx < 0:
        return line.rstrip(), ""
    return line[:idx].rstrip(), line[idx + 2:].strip()


def parse_case_line(text, category, source, comment, section):
    name, _, rest = text.partition(" ")
    rest = rest.strip()
    if not name or not rest:
        raise CaseError("a case needs a name and a query")
    case = Case(name, category, source, comment, section)
    case.text = text
    head, colon, raw = (rest + " ").partition(" : ")
    head_tokens = head.split()
    if head_tokens and head_tokens[0] == "raw":
        if not colon:
            raise CaseError("raw case needs ' : HEX'")
        for tok in head_tokens[1:]:
            if tok in ("tcp", "split"):
                case.tcp = True if tok == "tcp" else "split"
            elif tok.startswith("expect="):
                case.expect = tok[7:]
            else:
                raise CaseError(f"unknown raw option {tok!r}")
        case.queries.append(Query(build_raw(raw)))
    else:
        specs = [s.split() for s in rest.split("|")]
        tcps = set()
        for index, tokens in enumerate(specs):
            expect = [t for t in tokens if t.startswith("expect=")]
            if expect:
                case.expect = expect[0][7:]
                tokens = [t for t in tokens if not t.startswith("expect=")]
            query, tcp = build_query(name, index, tokens)
            case.queries.append(query)
            tcps.add(tcp)
        if len(tcps) != 1:
            raise CaseError("all queries of a case use one transport")
        case.tcp = tcps.pop()
        if len(case.queries) > 1 and not case.tcp:
            raise CaseError("several queries in one case are a TCP pipeline: add tcp")
    if case.expect:
        peer, *patches = case.expect.split(";")
        case.expect = peer
        for patch in patches:
            field, eq, value = patch.partition("=")
            if not eq or field not in OVERRIDABLE:
                raise CaseError(f"expect override {patch!r}: use FIELD=VALUE with FIELD in "
                                f"{', '.join(sorted(OVERRIDABLE))}")
            value = value.replace("+", " ")
            if field in LIST_OVERRIDES:
                case.overrides[field] = sorted(v for v in value.split(",") if v)
            else:
                case.overrides[field] = value
    if case.expect not in (None, "knot", "nsd", "rfc"):
        raise CaseError(f"expect must be knot, nsd or rfc, not {case.expect!r}")
    if case.expect == "rfc" and not case.overrides:
        raise CaseError("expect=rfc (both peers wrong) needs the RFC's FIELD=VALUE corrections")
    if case.expect and "RFC" not in comment:
        raise CaseError("a case with expect= names the deciding RFC section in its comment")
    return case


def load_cases(directory):
    """Every case of every *.cases file, in file order; names must be unique."""
    cases, seen = [], {}
    for fname in sorted(os.listdir(directory)):
        if not fname.endswith(".cases"):
            continue
        category = fname[:-6]
        section, in_section = "", False
        with open(os.path.join(directory, fname), encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if line.startswith("##"):  # consecutive '##' lines form one section comment
                    text = line[2:].strip()
                    section = f"{section} {text}" if in_section else text
                    in_section = True
                    continue
                in_section = False
                text, comment = _split_comment(line)
                if not text.strip():
                    continue
                source = f"{fname}:{lineno}"
                try:
                    case = parse_case_line(text.strip(), category, source, comment, section)
                except (CaseError, ValueError, dns.exception.DNSException) as e:
                    raise CaseError(f"{source}: {e}") from None
                if case.name in seen:
                    raise CaseError(f"{source}: case {case.name} already defined at "
                                    f"{seen[case.name]}")
                seen[case.name] = source
                cases.append(case)
    return cases

"""transport.py -- send a case's bytes over raw UDP or TCP sockets and collect the replies.

Raw sockets (not dnspython's query helpers) so that malformed packets go out as written and
anything that comes back is kept, even bytes that do not parse. Outcomes per query:
bytes of the reply, TIMEOUT (nothing within the timeout) or CLOSED (TCP closed first).
"""

import select
import socket
import struct
import time

TIMEOUT = "timeout"
CLOSED = "closed"
UDP_TIMEOUT = 1.5
TCP_TIMEOUT = 2.0
MAX_UDP = 65535


def udp_exchange(port, wire, timeout=UDP_TIMEOUT):
    """One datagram out; the first datagram back, or TIMEOUT."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.settimeout(timeout)
        sock.connect(("127.0.0.1", port))
        sock.send(wire)
        try:
            return sock.recv(MAX_UDP)
        except socket.timeout:
            return TIMEOUT
        except ConnectionRefusedError:
            return CLOSED
    finally:
        sock.close()


def _read_exact(sock, count, deadline):
    data = bytearray()
    while len(data) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            return bytes(data), TIMEOUT
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            return bytes(data), TIMEOUT
        try:
            chunk = sock.recv(count - len(data))
        except ConnectionResetError:
            return bytes(data), CLOSED
        if not chunk:
            return bytes(data), CLOSED
        data += chunk
    return bytes(data), None


def _send_split(sock, payload):
    """The stream in pieces (a length octet alone, then a few octets at a time), each its own
    segment: the server must reassemble messages across reads (RFC 7766 §8)."""
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    pos, sizes = 0, [1, 1, 5]
    while pos < len(payload):
        size = sizes[0] if sizes else 64
        sizes = sizes[1:]
        sock.sendall(payload[pos:pos + size])
        pos += size
        time.sleep(0.01)


def tcp_exchange(port, wires, timeout=TCP_TIMEOUT, framed=True, split=False):
    """All queries written at once on one connection (RFC 7766 §6.2.1.1 pipelining).

    Returns one outcome per query, matched by message ID when IDs are distinct (replies may
    come in any order, RFC 7766 §7), else in arrival order. With framed=False the bytes are
    sent as they are (for malformed length prefixes).
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    replies, end = [], None
    try:
        payload = b"".join(struct.pack("!H", len(w)) + w for w in wires) if framed \
            else b"".join(wires)
        if split:
            _send_split(sock, payload)
        else:
            sock.sendall(payload)
        deadline = time.monotonic() + timeout
        while len(replies) < len(wires):
            head, end = _read_exact(sock, 2, deadline)
            if end:
                break
            body, end = _read_exact(sock, struct.unpack("!H", head)[0], deadline)
            if end:
                break
            replies.append(body)
    except (ConnectionResetError, BrokenPipeError):
        end = CLOSED
    finally:
        sock.close()
    return _match(wires, replies, end or TIMEOUT)


def _match(wires, replies, end):
    ids = [w[:2] for w in wires]
    out = [None] * len(wires)
    if len(set(ids)) == len(ids):
        rest = []
        for r in replies:
            slot = ids.index(r[:2]) if r[:2] in ids else None
            if slot is not None and out[slot] is None:
                out[slot] = r
            else:
                rest.append(r)
        for r in rest:  # replies whose ID matches no query fill the gaps in order
            out[out.index(None)] = r
    else:
        out[:len(replies)] = replies
    return [r if r is not None else end for r in out]


def exchange(port, case):
    """The outcomes of every query of a case, in query order. A UDP query that times out is
    sent once more, so that a datagram lost under load is not taken for a dropped query."""
    wires = [q.wire for q in case.queries]
    if case.tcp:
        return tcp_exchange(port, wires, split=case.tcp == "split")
    reply = udp_exchange(port, wires[0])
    if reply == TIMEOUT:
        reply = udp_exchange(port, wires[0])
    return [reply]

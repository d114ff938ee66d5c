#!/usr/bin/python3
"""knot_expect.py -- fill the expectations of engine case files from a live knotd.

    /usr/bin/python3 tests/engine_cases/knot_expect.py FILE.txt [--write]

Loads the file's zones into a knotd started in a temporary directory on a free loopback port,
sends every case's query to it (built exactly as tests/unit/engine/case_file.cpp builds it),
and prints each case with Knot's answer as its expectation (or rewrites the file with --write).
Cases containing a line "# keep" are left as written: they hold deliberate differences from
Knot DNS (see README.md) or malformed queries Knot drops. A maintainer's tool, not a test: the
golden files are reviewed by hand after it runs.
"""
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype

BITS = {'+rd': 0x0100, '+tc': 0x0200, '+aa': 0x0400, '+ra': 0x0080, '+z': 0x0040,
        '+ad': 0x0020, '+cd': 0x0010}
CLASSES = {'IN': 1, 'CH': 3, 'HS': 4, 'NONE': 254, 'ANY': 255}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def parse_file(path):
    zones, items = [], []  # items: ('text', line) or ('case', [lines])
    lines = open(path).read().split('\n')
    i = 0
    while i < len(lines):
        t = lines[i].strip()
        if t.startswith('zone '):
            origin, body = t.split()[1], []
            i += 1
            while lines[i].strip() != 'endzone':
                body.append(lines[i])
                i += 1
            zones.append((origin, '\n'.join(body) + '\n'))
            items.append(('zone', lines[zones_start(lines, i):i + 1]))
        elif t.startswith('case '):
            block = []
            while lines[i].strip() != 'end':
                block.append(lines[i])
                i += 1
            block.append(lines[i])
            items.append(('case', block))
        else:
            items.append(('text', [lines[i]]))
        i += 1
    return zones, items


def zones_start(lines, end):
    j = end
    while not lines[j].strip().startswith('zone '):
        j -= 1
    return j


def build_query(block):
    q = dict(id=0x2a2a, bits=0, opcode=0, cls='IN', edns=False, payload=1232, ver=0, eflags=0,
             tcp=False, raw=b'', has_raw=False)
    for line in block:
        w = line.split()
        if not w:
            continue
        if w[0] == 'raw':
            q['has_raw'] = True
            q['raw'] += bytes.fromhex(''.join(w[1:]))
        elif w[0] == 'transport':
            q['tcp'] = w[1] == 'tcp'
        elif w[0] == 'query':
            q['name'], q['type'] = w[1], w[2]
            for o in w[3:]:
                if o in BITS:
                    q['bits'] |= BITS[o]
                elif o == '+edns':
                    q['edns'] = True
                elif o.startswith('+edns='):
                    q['edns'], q['payload'] = True, int(o[6:], 0)
                elif o == '+do':
                    q['edns'], q['eflags'] = True, q['eflags'] | 0x8000
                elif o.startswith('+ednsver='):
                    q['edns'], q['ver'] = True, int(o[9:], 0)
                elif o.startswith('+ednsflags='):
                    q['edns'], q['eflags'] = True, int(o[11:], 0)
                elif o.startswith('+opcode='):
                    q['opcode'] = int(o[8:], 0)
                elif o.startswith('+class='):
                    q['cls'] = o[7:]
                elif o.startswith('+id='):
                    q['id'] = int(o[4:], 0)
                elif o == '+tcp':
                    q['tcp'] = True
    if q['has_raw']:
        return q['raw'], q
    cls = CLASSES.get(q['cls']) or int(q['cls'][5:])
    wire = dns.name.from_text(q['name']).to_wire()
    msg = struct.pack('!6H', q['id'], q['bits'] | (q['opcode'] << 11), 1, 0, 0,
                      1 if q['edns'] else 0)
    msg += wire + struct.pack('!HH', dns.rdatatype.from_text(q['type']), cls)
    if q['edns']:
        msg += b'\x00' + struct.pack('!HHBBHH', 41, q['payload'], 0, q['ver'], q['eflags'], 0)
    return msg, q


def ask(port, data, tcp):
    if tcp:
        with socket.create_connection(('127.0.0.1', port), timeout=3) as s:
            s.sendall(struct.pack('!H', len(data)) + data)
            buf = b''
            while len(buf) < 2 or len(buf) < 2 + struct.unpack('!H', buf[:2])[0]:
                chunk = s.recv(65535)
                if not chunk:
                    return None
                buf += chunk
            return buf[2:]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.sendto(data, ('127.0.0.1', port))
        try:
            return s.recv(65535)
        except socket.timeout:
            return None


FLAGS = [('qr', 0x8000), ('aa', 0x0400), ('tc', 0x0200), ('rd', 0x0100), ('ra', 0x0080),
         ('z', 0x0040), ('ad', 0x0020), ('cd', 0x0010)]
RCODES = {0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED',
          9: 'NOTAUTH', 16: 'BADVERS'}


def expectation(resp, q):
    if resp is None:
        return ['drop']
    fl = struct.unpack('!H', resp[2:4])[0]
    # dnspython refuses opcodes it does not know: parse the sections with opcode QUERY.
    patched = resp[:2] + struct.pack('!H', fl & ~0x7800) + resp[4:]
    m = dns.message.from_wire(patched, ignore_trailing=True)
    out = [f'rcode {RCODES.get(m.rcode(), m.rcode())}',
           'flags ' + ' '.join(n for n, b in FLAGS if fl & b)]
    if struct.unpack('!H', resp[4:6])[0] == 0:
        out.append('question none')
    has_opt = m.edns >= 0
    query_edns = q['edns'] and not q['has_raw']
    do_echo = bool(m.ednsflags & 0x8000) != bool(q['eflags'] & 0x8000)
    ede = [o for o in m.options if o.otype == 15]
    if has_opt != query_edns or (has_opt and (m.payload != 1232 or do_echo or ede)):
        line = f'edns {m.payload}{" do" if m.ednsflags & 0x8000 else ""}'
        if ede:
            line += f' ede={ede[0].code}'
        out.append(line if has_opt else 'edns none')
    for title, sec in (('answer', m.answer), ('authority', m.authority),
                       ('additional', m.additional)):
        rrs = [line for rrset in sec for line in rrset.to_text().split('\n')]
        if rrs:
            out.append(title)
            out += ['  ' + r for r in rrs]
    return out


def start_knot(tmp, zones, port):
    cfg = [f'server:\n  listen: 127.0.0.1@{port}\n  rundir: {tmp}',
           f'log:\n  - target: {tmp}/knot.log\n    any: info',
           f'database:\n  storage: {tmp}',
           'template:\n  - id: default\n    storage: ' + tmp + '\n    file: "%s.zone"\n'
           '    journal-content: none\n    zonefile-load: whole\n    zonefile-sync: -1\n'
           '    semantic-checks: off',
           'zone:\n' + ''.join(f'  - domain: {o}\n' for o, _ in zones)]
    with open(f'{tmp}/knot.conf', 'w') as f:
        f.write('\n'.join(cfg) + '\n')
    for origin, text in zones:
        name = origin.rstrip('.') or 'root'
        with open(f'{tmp}/{name}.zone', 'w') as f:
            f.write(f'$ORIGIN {origin}\n' + text)
    proc = subprocess.Popen(['knotd', '-c', f'{tmp}/knot.conf'], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        log = open(f'{tmp}/knot.log').read() if os.path.exists(f'{tmp}/knot.log') else ''
        if log.count('loaded, serial') + log.count('failed') >= len(zones):
            break
        time.sleep(0.1)
    return proc


def main():
    path, write = sys.argv[1], '--write' in sys.argv
    zones, items = parse_file(path)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = start_knot(tmp, zones, port)
        try:
            out = []
            for kind, block in items:
                if kind != 'case' or any(l.strip().startswith("# keep") for l in block):
                    out += block
                    continue
                head = [l for l in block if l.split() and l.split()[0] in
                        ('case', 'query', 'raw', 'transport', '#')]
                data, q = build_query(block)
                out += head + expectation(ask(port, data, q['tcp']), q) + ['end']
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
    text = '\n'.join(out)
    if write:
        open(path, 'w').write(text)
    else:
        print(text)


if __name__ == '__main__':
    main()

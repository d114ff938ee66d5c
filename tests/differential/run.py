#!/usr/bin/python3
"""run.py -- the differential suite: knotd, nsd and dnsd answer the same queries, compared.

Usage (see README.md):
    run.py --dnsd PATH --dnsctl PATH      full run: dnsd must agree with knotd and nsd
    run.py --peers-only                   validate the corpus: knotd against nsd only
Paths also come from NUAGE_DNSD and NUAGE_DNSCTL. A missing binary is a failure.
Exit status: 0 when every case passes, 1 otherwise.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cases import CaseError, load_cases  # noqa: E402
from compare import brief, differing, normalize, side_by_side  # noqa: E402
from servers import Dnsd, Knot, Nsd, ServerError  # noqa: E402
from transport import exchange  # noqa: E402

MIN_TOTAL = 250
MIN_PER_CATEGORY = 10


def zone_set(zones_dir):
    """(origin, path) for every zones/<origin>zone file, parents before children."""
    zones = []
    for fname in os.listdir(zones_dir):
        if fname.endswith(".zone"):
            zones.append((fname[:-4], os.path.join(zones_dir, fname)))
    return sorted(zones, key=lambda z: (z[0].count("."), z[0]))


def readme_disagreements(path):
    """Case names in README.md's disagreement table: the `names` of each row's first cell."""
    names = set()
    with open(path, encoding="utf-8") as f:
        in_list = False
        for line in f:
            if line.startswith("## "):
                in_list = "disagree" in line.lower()
            if in_list and line.startswith("|"):
                names.update(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return names


def readme_counts(path):
    """{category: count} from README.md's Categories table (rows "| `name` | N | ...")."""
    counts = {}
    with open(path, encoding="utf-8") as f:
        in_table = False
        for line in f:
            if line.startswith("## "):
                in_table = line.strip() == "## Categories"
            m = re.match(r"\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|", line)
            if in_table and m:
                counts[m.group(1)] = int(m.group(2))
    return counts


def check_corpus(cases, readme):
    """The corpus contract: counts per category, and every expect= case listed in README."""
    problems = []
    counts = {}
    for c in cases:
        counts[c.category] = counts.get(c.category, 0) + 1
    if len(cases) < MIN_TOTAL:
        problems.append(f"corpus has {len(cases)} cases, fewer than {MIN_TOTAL}")
    for cat, n in sorted(counts.items()):
        if n < MIN_PER_CATEGORY:
            problems.append(f"category {cat} has {n} cases, fewer than {MIN_PER_CATEGORY}")
    if readme_counts(readme) != counts:
        problems.append(f"README.md's Categories table does not match the case files: {counts}")
    listed = readme_disagreements(readme)
    expected = {c.name for c in cases if c.expect}
    for name in sorted(expected - listed):
        problems.append(f"case {name} has expect= but is not in README.md's disagreement list")
    for name in sorted(listed - expected):
        problems.append(f"README.md lists {name} as a disagreement but the case has no expect=")
    return counts, problems


def disagreement_table(cases):
    """Markdown rows for README.md: cases grouped by their expectation and RFC reason."""
    groups = {}
    for c in cases:
        if c.expect:
            peer = {"knot": "knotd", "nsd": "nsd", "rfc": "neither (both agree): knotd"}[c.expect]
            patch = ", ".join(f"{k} {'; '.join(v) if isinstance(v, list) else v}"
                              for k, v in c.overrides.items())
            key = (f"{peer}, with {patch}" if patch else peer, c.comment)
            groups.setdefault(key, []).append(c.name)
    rows = ["| Cases | Expected | RFC section and reason |", "|---|---|---|"]
    for (who, why), names in groups.items():
        rows.append(f"| {', '.join(f'`{n}`' for n in names)} | {who} | {why} |")
    return "\n".join(rows)


def start_servers(classes, zones, tmp):
    """Start every server in parallel; on any failure stop those that started. Every server
    object is built (binaries found) before any process starts, so nothing leaks."""
    servers = [make(os.path.join(tmp, name), zones) for name, make in classes]
    errors = []
    with concurrent.futures.ThreadPoolExecutor(len(servers)) as pool:
        for f in [pool.submit(s.start) for s in servers]:
            try:
                f.result()
            except (ServerError, OSError) as e:
                errors.append(str(e))
    if errors:
        for s in servers:
            s.stop()
        raise ServerError("\n".join(errors))
    return servers


def run_cases(cases, servers, jobs):
    """outcomes[case.name][server.name] = list of replies, queries run concurrently. On an
    interruption the queued queries are cancelled (those in flight end within their timeout)."""
    outcomes = {c.name: {} for c in cases}
    pool = concurrent.futures.ThreadPoolExecutor(jobs)
    try:
        futures = {pool.submit(exchange, s.port, c): (c, s) for c in cases for s in servers}
        for f in concurrent.futures.as_completed(futures):
            case, server = futures[f]
            try:
                outcomes[case.name][server.name] = f.result()
            except OSError as e:
                outcomes[case.name][server.name] = [f"error: {e}"] * len(case.queries)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return outcomes


def judge(case, norms, peers_only):
    """(ok, message) for one query of a case; norms maps server name -> normalized reply."""
    peer_diff = differing(norms["knotd"], norms["nsd"])
    if peer_diff and case.expect == "rfc":
        return False, f"knotd and nsd disagree on {', '.join(peer_diff)}: expect=rfc is for " \
                      "answers where both peers agree and the RFC says otherwise"
    if peer_diff and not case.expect:
        return False, f"knotd and nsd disagree on {', '.join(peer_diff)}: decide from the RFC " \
                      "and add expect=knot|nsd with the section in the comment"
    if peers_only:
        return True, ""
    diff = differing(expected(case, norms), norms["dnsd"])
    if diff:
        who = "knotd and nsd" if not peer_diff else "the RFC's answer (expected column)"
        return False, f"dnsd differs from {who} on {', '.join(diff)}"
    return True, ""


def stale_expect(case, all_norms):
    """A case with expect= where knotd and nsd now agree on every query: the README is wrong."""
    if case.expect == "rfc":
        if all(not differing(expected(case, n), n["knotd"]) for n in all_norms):
            return "expect=rfc corrects nothing: both peers now give the RFC's answer"
        return ""
    if case.expect and not any(differing(n["knotd"], n["nsd"]) for n in all_norms):
        return "knotd and nsd agree on every query: remove expect= (and its README row)"
    return ""


def expected(case, norms):
    """What dnsd must answer: the peers' common answer, or the RFC's (expect= and overrides)."""
    if case.expect == "rfc":
        chosen = dict(norms["knotd"])
        chosen.update(case.overrides)
        return chosen
    if not case.expect or not differing(norms["knotd"], norms["nsd"]):
        return norms["knotd"]
    chosen = dict(norms["knotd" if case.expect == "knot" else "nsd"])
    chosen.update(case.overrides)
    return chosen


def report_failure(case, index, names, norms, message):
    title = case.describe()
    if len(case.queries) > 1:
        title += f"\n  query {index + 1} of {len(case.queries)}"
    columns = list(names)
    values = [norms[n] for n in names]
    if case.expect and "dnsd" in norms:
        columns.append("expected (RFC)")
        values.append(expected(case, norms))
    return f"FAIL {title}\n  {message}\n" + side_by_side(columns, values)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dnsd", default=os.environ.get("NUAGE_DNSD"))
    ap.add_argument("--dnsctl", default=os.environ.get("NUAGE_DNSCTL"))
    ap.add_argument("--knotd", default=os.environ.get("NUAGE_KNOTD"))
    ap.add_argument("--nsd", default=os.environ.get("NUAGE_NSD"))
    ap.add_argument("--peers-only", action="store_true",
                    help="compare knotd with nsd only (validates the corpus)")
    ap.add_argument("--filter", help="only cases whose name or category matches this regex")
    ap.add_argument("--zones", default=os.path.join(HERE, "zones"),
                    help="zone directory (default: zones/ beside run.py; for experiments)")
    ap.add_argument("--jobs", type=int, default=24, help="queries in flight")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (configs, logs)")
    ap.add_argument("--show", action="store_true", help="print every case's answers")
    ap.add_argument("--disagreements", action="store_true",
                    help="print the README table of expect= cases and exit (no servers)")
    ap.add_argument("--brief", action="store_true",
                    help="one line per case and server (rcode, flags, counts), no diffs")
    return ap.parse_args()


def server_classes(args):
    classes = [("knotd", lambda d, z: Knot(d, z, args.knotd)),
               ("nsd", lambda d, z: Nsd(d, z, args.nsd))]
    if not args.peers_only:
        classes.append(("dnsd", lambda d, z: Dnsd(d, z, args.dnsd, args.dnsctl)))
    return classes


def server_failures(servers):
    """A server that died during the run, or a zone that dnsctl refused, fails the run."""
    failures = []
    for s in servers:
        if not s.alive():
            failures.append(f"FAIL {s.name} died during the run:\n{s.log_tail()}")
        for err in s.import_errors:
            failures.append(f"FAIL {s.name}: {err} (that zone's cases fail below)")
    return failures


def judge_all(cases, outcomes, names, args):
    """(failure reports, names of failed cases); prints --brief and --show lines as it goes."""
    failures, failed = [], set()
    for case in cases:
        all_norms = [{n: normalize(outcomes[case.name][n][i], q) for n in names}
                     for i, q in enumerate(case.queries)]
        stale = stale_expect(case, all_norms)
        if stale:
            failed.add(case.name)
            failures.append(f"FAIL {case.describe()}\n  {stale}")
        for i, norms in enumerate(all_norms):
            ok, message = judge(case, norms, args.peers_only)
            if not ok:
                failed.add(case.name)
            if args.brief:
                print(f"{'ok  ' if ok else 'FAIL'} {case.name:22} "
                      + " | ".join(f"{n}: {brief(norms[n])}" for n in names))
            elif not ok:
                failures.append(report_failure(case, i, names, norms, message))
            elif args.show:
                print(f"ok {case.name}\n" + side_by_side(names, [norms[n] for n in names]))
    return failures, failed


def run(args, cases):
    """Start the servers, send every case, judge; the servers are stopped whatever happens."""
    classes = server_classes(args)
    names = [n for n, _ in classes]
    tmp = tempfile.mkdtemp(prefix="nuage-differential-")
    servers = []
    try:
        servers = start_servers(classes, zone_set(args.zones), tmp)
        outcomes = run_cases(cases, servers, args.jobs)
        failures = server_failures(servers)
        judged, failed = judge_all(cases, outcomes, names, args)
        return failures + judged, failed
    finally:
        for s in servers:
            s.stop()
        if args.keep:
            print(f"temp dir kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main():
    # ctest stops a test that overruns with SIGTERM: turn it into an exit, so that the
    # finally blocks stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    args = parse_args()
    started = time.monotonic()
    try:
        cases = load_cases(os.path.join(HERE, "cases"))
    except CaseError as e:
        print(f"FAIL corpus: {e}")
        return 1
    if args.disagreements:
        print(disagreement_table(cases))
        return 0
    counts, problems = check_corpus(cases, os.path.join(HERE, "README.md"))
    if args.filter:
        rx = re.compile(args.filter)
        cases = [c for c in cases if rx.search(c.name) or rx.search(c.category)]
    if not args.peers_only and not (args.dnsd and args.dnsctl):
        print("FAIL: dnsd and dnsctl paths are required (--dnsd/--dnsctl or NUAGE_DNSD/"
              "NUAGE_DNSCTL); use --peers-only to validate the corpus against knotd and nsd")
        return 1
    try:
        failures, failed = run(args, cases)
    except ServerError as e:
        print(f"FAIL servers: {e}")
        return 1
    for f in failures:
        print(f + "\n")
    for p in problems:
        print(f"FAIL corpus: {p}")
    mode = "peers only (knotd vs nsd)" if args.peers_only else "dnsd vs knotd and nsd"
    print(f"{len(cases)} cases, {len(failed)} failed, {mode}, "
          f"{time.monotonic() - started:.1f}s")
    print("per category: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())

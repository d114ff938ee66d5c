#!/usr/bin/python3
"""clients_test.py -- real third-party clients, dnsctl --api and zone activation against the real
dnsd and its REST API (issue 4, items 5-7; CLIENTS.md says how each client is pointed at it).

Usage: clients_test.py --dnsd PATH --dnsctl PATH CASE   (ctest runs one CASE per test)
Run with Debian's /usr/bin/python3: python3-cloudflare, certbot and dnspython live there.
"""

import argparse
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Env, TestFailure  # noqa: E402

import case_activation  # noqa: E402
import case_certbot  # noqa: E402
import case_ddclient  # noqa: E402
import case_dnsctl  # noqa: E402
import case_python_cloudflare  # noqa: E402

CASES = {}
for module in (case_python_cloudflare, case_certbot, case_ddclient, case_dnsctl,
               case_activation):
    CASES.update(module.CASES)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dnsd", required=True)
    ap.add_argument("--dnsctl", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (debugging)")
    ap.add_argument("case", choices=sorted(CASES))
    args = ap.parse_args()
    env = Env(args.dnsd, args.dnsctl)
    failed = True
    try:
        CASES[args.case](env)
        failed = False
        print(f"PASS {args.case}")
    except TestFailure as e:
        print(f"FAIL {args.case}: {e}")
    except Exception:  # noqa: BLE001 -- any error is a failure with its traceback
        traceback.print_exc()
        print(f"FAIL {args.case}")
    finally:
        if failed:
            for p in env.procs:
                print(f"---- {p.name} log (tail) ----\n{p.log_text()[-4000:]}")
        env.close(keep=args.keep)
        if args.keep:
            print(f"kept {env.dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

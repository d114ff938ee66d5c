#!/bin/bash
# The real dnsctl on a real database: import a zone, export it (as stored and --public), check
# that knotd's and nsd's zone checkers load both as they are, re-import the export and compare,
# then the record verbs, backup, file modes and refusals. Usage: dnsctl_export_test.sh DNSCTL
set -euo pipefail

DNSCTL=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ZONE=$HERE/example.test.zone
WORK=$(mktemp -d /tmp/nuage-store-it-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in kzonecheck nsd-checkzone; do
    command -v $tool >/dev/null || fail "$tool is not installed (Debian: knot-dnssecutils, nsd)"
done
ctl() { "$DNSCTL" --db "$WORK/nuage.sqlite" "$@"; }
# Loads a master file with both checkers; either one refusing it fails the test.
check_loads() {
    kzonecheck -o "$1" "$2" > kz.out 2>&1 || { cat kz.out; fail "kzonecheck refused $2"; }
    nsd-checkzone "$1" "$2" > nsd.out 2>&1 || { cat nsd.out; fail "nsd-checkzone refused $2"; }
}
# Records as `record list` prints them, without their ids (random per import).
records() { "$DNSCTL" --db "$1" record list "$2" | cut -f2- | sort; }

# Import, export, load.
ctl zone import example.test "$ZONE" > import.out
grep -q "imported 33 records into example.test (serial 2026010101)" import.out ||
    { cat import.out; fail "import"; }
[ "$(stat -c %a nuage.sqlite)" = 600 ] || fail "database mode is $(stat -c %a nuage.sqlite)"
ctl zone export example.test > stored.zone
check_loads example.test stored.zone
grep -q $'^www.example.test.\t1\tIN\tA\t198.51.100.7 ; cf_tags=cf-proxied:true$' stored.zone ||
    fail "proxied record not tagged like Cloudflare's export"
grep -q 'the forge cf_tags=cf-proxied:true,team:dev' stored.zone || fail "comment and tags lost"
grep -q $'TYPE65280\t\\\\# 4 deadbeef' stored.zone || fail "RFC 3597 record not exported"
[ "$(grep -v '^;' stored.zone | grep -v '^$' | head -1)" = '$ORIGIN example.test.' ] ||
    fail "the export does not start with \$ORIGIN"
[ "$(grep -v '^;' stored.zone | grep -v '^$' | sed -n 2p | cut -f4)" = SOA ] ||
    fail "SOA is not first"

# The public view: no origin address of a proxied name, loads everywhere.
ctl zone export example.test --public > public.zone
check_loads example.test public.zone
if grep -q -e 198.51.100.7 -e 2001:db8:77::7 public.zone; then fail "origin address in --public"; fi
grep -q $'^blog.example.test.\t300\tIN\tCNAME' public.zone || fail "DNS-only CNAME missing"

# Export then re-import into another database: the same records.
"$DNSCTL" --db "$WORK/again.sqlite" zone import example.test stored.zone > /dev/null
diff <(records "$WORK/nuage.sqlite" example.test) <(records "$WORK/again.sqlite" example.test) ||
    fail "re-imported records differ"

# Records ldns spells otherwise than knotd and nsd (empty RDATA, types 31, 32, 34, 40 and 32769,
# '#' and '@' in names, an uppercase CAA tag, SvcParam key 7) go out as RFC 3597 data or escaped:
# both checkers load the export, and it re-imports to the same records.
cat > odd.zone <<'ZONE'
$ORIGIN odd.test.
$TTL 300
@       IN SOA ns1.example.net. h.odd.test. 1 7200 3600 1209600 300
@       IN NS  ns1.example.net.
unknown IN TYPE65534 \# 0
null    IN NULL \# 0
apl     IN APL \# 0
eid     IN TYPE31 \# 2 0102
nimloc  IN TYPE32 \# 1 ff
atma    IN TYPE34 \# 2 0001
sink    IN TYPE40 \# 4 0a000001
dlv     IN TYPE32769 \# 5 0001020304
\#      IN A 192.0.2.1
a\@b    IN A 192.0.2.2
hash    IN CNAME a\#b.example.net.
at      IN CNAME \@
caa     IN CAA 0 Issue "letsencrypt.org"
doh     IN HTTPS 1 . key7=/q{?dns}
alpn    IN HTTPS 1 . alpn=h2,h3 port=8443 ipv4hint=192.0.2.1
ZONE
ctl zone import odd.test odd.zone > /dev/null
ctl zone export odd.test > odd.export
check_loads odd.test odd.export
ctl zone export odd.test --public > odd.public 2> /dev/null
check_loads odd.test odd.public
grep -q $'^sink.odd.test.\t300\tIN\tTYPE40\t\\\\# 4 0a000001$' odd.export || fail "SINK data lost"
grep -q $'^at.odd.test.\t300\tIN\tCNAME\t\\\\064.odd.test.$' odd.export || fail "\\@ target"
"$DNSCTL" --db "$WORK/odd.sqlite" zone import odd.test odd.export > /dev/null
diff <(records "$WORK/nuage.sqlite" odd.test) <(records "$WORK/odd.sqlite" odd.test) ||
    fail "re-imported odd records differ"

# Record verbs: add prints the id last; edit turns an A into a CNAME in one step.
id=$(ctl record add example.test new A 192.0.2.200 --ttl 300 | tail -1)
[[ $id =~ ^[0-9a-f]{32}$ ]] || fail "record add did not print an id: $id"
ctl record list example.test --name new | grep -q "^$id"$'\tnew.example.test\t300\tA\t192.0.2.200$' ||
    fail "record list"
ctl record edit example.test "$id" --type CNAME --content www.example.test > /dev/null
ctl record list example.test --name new.example.test. --type CNAME | grep -q "^$id" ||
    fail "record edit A -> CNAME"
ctl zone export example.test > edited.zone
check_loads example.test edited.zone
ctl record delete example.test "$id" > /dev/null
[ -z "$(ctl record list example.test --name new)" ] || fail "record delete"

# Refusals: exit 1 with the field or file:line named; nothing written.
before=$(ctl zone export example.test | grep -v Exported)
set +e
ctl record add example.test www A not-an-address 2> err.txt; rc=$?
set -e
[ $rc = 1 ] || fail "bad content exit code $rc"
grep -q '^dnsctl: content: Content for A record must be a valid IPv4 address.$' err.txt ||
    { cat err.txt; fail "bad content message"; }
printf '$ORIGIN bad.test.\n@ 300 IN SOA a. b. 1 2 3 4 5\n@ 300 IN NS ns.example.net.\nx IN A 1.2\n' > bad.zone
set +e
ctl zone import bad.test bad.zone 2> err.txt; rc=$?
set -e
[ $rc = 1 ] || fail "bad import exit code $rc"
grep -q '^dnsctl: bad.zone:4: content: ' err.txt || { cat err.txt; fail "import error not file:line"; }
set +e
ctl zone import example.test "$ZONE" 2> err.txt; rc=$?
ctl record add example.test 2> /dev/null; rc2=$?
set -e
[ $rc = 1 ] || fail "import over an existing zone exit code $rc"
[ $rc2 = 2 ] || fail "usage error exit code $rc2"
[ "$(ctl zone export example.test | grep -v Exported)" = "$before" ] || fail "a refusal wrote"
ctl zone list | grep -q $'\texample.test\t' || fail "zone list"
if ctl zone list | grep -q bad.test; then fail "refused import left a zone"; fi

# Backup: a consistent copy, mode 0600, that opens as a database.
ctl backup "$WORK/copy.sqlite" > /dev/null
[ "$(stat -c %a copy.sqlite)" = 600 ] || fail "backup mode is $(stat -c %a copy.sqlite)"
diff <(records "$WORK/nuage.sqlite" example.test) <(records "$WORK/copy.sqlite" example.test) ||
    fail "backup differs"
echo "ok: dnsctl import/export/verbs/backup; exports load in kzonecheck and nsd-checkzone"

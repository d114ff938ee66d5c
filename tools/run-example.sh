#!/bin/sh
# run-example.sh BUILD_DIR -- serves zones-example/ with dnsd on 127.0.0.1:5300 (and [::1]:5300
# when the machine has IPv6 loopback). The SQLite store is created on the first start, in
# BUILD_DIR/example/, and filled from zones-example/example.org.zone; later starts reuse it.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
dnsd="$build/dnsd/dnsd"
dnsctl="$build/tools/dnsctl/dnsctl"
[ -x "$dnsd" ] && [ -x "$dnsctl" ] || { echo "run-example: build first (cmake --build $build)" >&2; exit 1; }

state="$build/example"
db="$state/nuage.sqlite"
mkdir -p "$state"
if [ ! -f "$db" ]; then
    "$dnsctl" --db "$db" zone import example.org "$here/zones-example/example.org.zone" >/dev/null
    echo "created $db with the zone example.org"
fi

listen="--listen 127.0.0.1:5300"
if [ -r /proc/net/if_inet6 ] && grep -q '^0\{31\}1 ' /proc/net/if_inet6; then
    listen="$listen --listen [::1]:5300"
fi

cat <<MSG

dnsd is starting on 127.0.0.1:5300 (Ctrl-C stops it). Try, from another terminal:

  dig @127.0.0.1 -p 5300 example.org SOA
  dig @127.0.0.1 -p 5300 www.example.org A
  dig @127.0.0.1 -p 5300 git.example.org A        # a CNAME chain to www
  dig @127.0.0.1 -p 5300 example.org MX
  dig @127.0.0.1 -p 5300 _xmpp-client._tcp.example.org SRV
  dig @127.0.0.1 -p 5300 nothing.example.org A    # NXDOMAIN, with the SOA
  dig @127.0.0.1 -p 5300 www.example.org A +tcp

and edit while it runs (answered within a second, no restart):

  $dnsctl --db $db record add example.org shop A 192.0.2.80
  dig @127.0.0.1 -p 5300 shop.example.org A

MSG
# shellcheck disable=SC2086
exec "$dnsd" --config "$here/zones-example/nuage.toml" --db "$db" $listen

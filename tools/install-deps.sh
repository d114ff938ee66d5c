#!/bin/sh
# install-deps.sh -- installs the Debian 12 packages Nuage builds with and tests against.
# Run as root or with sudo available. knotd, nsd and ddclient are test peers only: their system
# services (knotd and nsd start on port 53) are stopped and disabled again if this script
# installed them.
set -eu

BUILD="build-essential cmake ninja-build pkg-config libldns-dev libuv1-dev libsqlite3-dev
 libssl-dev libspdlog-dev doctest-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
 libcpp-httplib-dev libidn2-dev"
TEST="dnsutils knot-dnsutils knot-dnssecutils ldnsutils knot nsd python3 python3-dnspython sqlite3 dnsperf
 openssl procps iproute2 python3-requests python3-cloudflare certbot
 python3-certbot-dns-cloudflare pebble ddclient libio-socket-ssl-perl socat"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }
# Services that only serve the tests: stopped again if this script is what installed them.
SERVICES="knot nsd ddclient"
fresh=""
for svc in $SERVICES; do installed "$svc" || fresh="$fresh $svc"; done

export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
missing=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $BUILD $TEST 2>&1 | grep -v '^ii ' || true)
if [ -n "$missing" ]; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends $BUILD $TEST >/dev/null
fi

for svc in $fresh; do
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
    fi
done
echo "nuage: build and test dependencies are installed"

#!/usr/bin/env bash
# Installs the packages the MediaWiki publishing tests need (Debian 12: MediaWiki 1.39,
# PHP CLI, SQLite driver), unless they are already there.
#
# apache2 comes along as a dependency; a policy-rc.d that exits 101 keeps it from
# starting. We only write that file when none exists, and remove only what we wrote.
#
# Usage: Tests/Harness/mediawiki-install.sh   (as root; ~40 s the first time, ~0 s after)
set -euo pipefail

packages=(mediawiki php-sqlite3 php-cli)

installed() {
    [ -f /usr/share/mediawiki/maintenance/install.php ] &&
        command -v php >/dev/null 2>&1 &&
        php -m 2>/dev/null | grep -qi '^pdo_sqlite$'
}

if installed; then
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "mediawiki-install: need root to apt-get install ${packages[*]}" >&2
    exit 1
fi

policy=/usr/sbin/policy-rc.d
wrote_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    wrote_policy=1
fi
cleanup() { if [ "$wrote_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${packages[@]}" >/tmp/mediawiki-install.log 2>&1; then
    apt-get update >>/tmp/mediawiki-install.log 2>&1
    apt-get install -y --no-install-recommends "${packages[@]}" >>/tmp/mediawiki-install.log 2>&1 || {
        echo "mediawiki-install: apt-get install failed; see /tmp/mediawiki-install.log" >&2
        tail -n 20 /tmp/mediawiki-install.log >&2
        exit 1
    }
fi

installed || { echo "mediawiki-install: packages installed but MediaWiki/PHP not usable" >&2; exit 1; }

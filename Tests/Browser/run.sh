#!/usr/bin/env bash
# The real-browser tests of `sop serve` (Tests/Browser/test_browser.py): headless Debian
# Chromium driven by Selenium, against a fresh tracker and a server the script starts itself.
#
#   bash Tests/Browser/run.sh [PATH/TO/sop] [unittest options, e.g. -k portal]
#
# Screenshots go to .build/browser/. Needs chromium, chromium-driver and Selenium
# (`make prereqs` installs them).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
sop=${1:-$repo/.build/debug/sop}
[ $# -gt 0 ] && shift
if [ ! -x "$sop" ]; then
  echo "run.sh: no sop binary at $sop (build it: swift build --product sop)" >&2
  exit 2
fi
sop=$(cd "$(dirname "$sop")" && pwd)/$(basename "$sop")

for tool in "${SOP_CHROMIUM:-/usr/bin/chromium}" "${SOP_CHROMEDRIVER:-/usr/bin/chromedriver}"; do
  if [ ! -x "$tool" ]; then
    echo "run.sh: $tool is missing (make prereqs installs chromium and chromium-driver)" >&2
    exit 2
  fi
done

# The first Python that has Selenium: the one on PATH (pip's selenium) or Debian's own
# (python3-selenium).
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import selenium' 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  echo "run.sh: no Python with Selenium (make prereqs installs python3-selenium)" >&2
  exit 2
fi

mkdir -p "$repo/.build/browser"
# A hung browser cannot hold CI: the whole run is bounded (it takes well under a minute).
exec timeout -k 15 300 "$python" "$here/test_browser.py" "$sop" "$@"

#!/usr/bin/env bash
# Renders an HTML page of mmutrace (a replay report or a diff) in headless Chromium and saves a
# PNG of it.
#
#   scripts/screenshot-report.sh PAGE.html OUT.png [WIDTH HEIGHT]
#
# Needs Debian's chromium (apt-get install -y chromium), for the pictures only (CI never runs
# this); the pages need no network, and the flags below keep Chromium from reaching for one. The
# pictures in docs/img are made so, from a fresh build:
#
#   cd "$(mktemp -d)"; M="$REPO/analyzers/target/mmutrace"
#   # docs/img/report.png: the replay page of a generated workload
#   $M generate mixed mixed.mmtrace --events 20000
#   $M replay mixed.mmtrace --format html --out r
#   "$REPO/scripts/screenshot-report.sh" r/report.html "$REPO/docs/img/report.png" 1400 2600
#   # docs/img/diff.png: a diff page; a guest that breaks its page-table rules (buggy-guest)
#   # against one that does not (fork-exec-exit), as base and new of the same trace name
#   mkdir base new
#   (cd base && $M generate fork-exec-exit guest.mmtrace --events 4000 && $M replay guest.mmtrace --format json --out .)
#   (cd new && $M generate buggy-guest guest.mmtrace --events 4000 && $M replay guest.mmtrace --format json --out .)
#   $M diff base/guest.json new/guest.json --format html --out diff.html
#   "$REPO/scripts/screenshot-report.sh" diff.html "$REPO/docs/img/diff.png" 1400 1800
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 PAGE.html OUT.png [WIDTH HEIGHT]" >&2
    exit 2
fi
report=$(realpath "$1")
out=$(realpath -m "$2")
width=${3:-1400}
height=${4:-1300}
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$browser" ]]; then
    echo "$0: no chromium found (apt-get install -y chromium)" >&2
    exit 2
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" \
    --window-size="$width,$height" --screenshot="$out" "file://$report" >/dev/null 2>&1
[[ -s "$out" ]] || { echo "$0: chromium wrote no screenshot" >&2; exit 1; }
echo "$out"

#!/usr/bin/env bash
# Renders an HTML report of mmutrace in headless Chromium and saves a PNG of it.
#
#   scripts/screenshot-report.sh REPORT.html OUT.png [WIDTH HEIGHT]
#
# Needs Debian's chromium (apt-get install -y chromium); the page needs no network, and the flags
# below keep Chromium from reaching for one. Used to make docs/img/report.png:
#
#   cd "$(mktemp -d)"
#   java -jar "$REPO/analyzers/target/mmutrace.jar" generate mixed mixed.mmtrace --events 20000
#   java -jar "$REPO/analyzers/target/mmutrace.jar" replay mixed.mmtrace --format html --out r
#   "$REPO/scripts/screenshot-report.sh" r/report.html "$REPO/docs/img/report.png" 1400 1000
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 REPORT.html OUT.png [WIDTH HEIGHT]" >&2
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

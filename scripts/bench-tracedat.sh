#!/bin/sh
# Times importing a trace.dat against trace-cmd writing its text, whole processes side by side
# (docs/performance.md): `trace-cmd report -i DAT` into a file, and `mmutrace convert DAT OUT.mmtrace`
# (the import, the translation and writing the binary trace). Each runs RUNS times; the best wall
# time of each is compared. Needs trace-cmd and a built analyzers/target/mmutrace.jar.
#
#   scripts/bench-tracedat.sh FILE.dat [RUNS]
set -eu
dat=$1
runs=${2:-3}
jar=$(cd "$(dirname "$0")/.." && pwd)/analyzers/target/mmutrace.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best() { # best COMMAND...: the shortest wall time of RUNS runs, in seconds
    b=
    i=0
    while [ "$i" -lt "$runs" ]; do
        s=$(date +%s.%N)
        "$@"
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
        i=$((i + 1))
    done
    echo "$b"
}

report() { trace-cmd report -i "$dat" > "$work/report.txt" 2> "$work/report.err"; }
import() { java -jar "$jar" convert "$dat" "$work/out.mmtrace" --from trace-dat --accept-raw-values > "$work/convert.out"; }

tr=$(best report)
im=$(best import)
records=$(grep -o '[0-9]* records' "$work/convert.out" | head -1)
echo "trace.dat: $dat ($(stat -c %s "$dat") bytes, $records)"
echo "trace-cmd report > text:      ${tr} s"
echo "mmutrace convert -> .mmtrace: ${im} s"
echo "ratio (report / import):      $(echo "scale=2; $tr / $im" | bc)"

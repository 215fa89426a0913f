#!/bin/sh
# Times importing a trace.dat against trace-cmd writing its text, whole processes side by side
# (docs/performance.md): `trace-cmd report -i DAT` into a file, and `mmutrace convert DAT OUT.mmtrace`
# (the import, the translation and writing the binary trace; the pfn limit given, so one pass). They
# run alternately RUNS times (default 3); the best wall time of each is compared, and the cpu time
# (user + sys) of that run is shown, with the load average before and after. The bench
# (mmutrace-bench.jar --trace-dat DAT) measures the same pair; this is the quick way to rerun it.
# Needs trace-cmd and a built analyzers/target/mmutrace (the launcher); scripts/capture-tracedat.sh makes a DAT.
#
#   scripts/bench-tracedat.sh FILE.dat [RUNS]
set -eu
dat=$1
runs=${2:-3}
mmutrace=$(cd "$(dirname "$0")/.." && pwd)/analyzers/target/mmutrace
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME COMMAND...: one timed run; keeps NAME's best wall time and that run's cpu time
run() {
    name=$1
    shift
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" > "$work/$name.out" 2> "$work/$name.err"
    read -r wall user sys < "$work/time"
    best=$(cat "$work/$name.best" 2>/dev/null || echo "")
    if [ -z "$best" ] || [ "$(echo "$wall < ${best%% *}" | bc)" = 1 ]; then
        echo "$wall $(echo "$user + $sys" | bc)" > "$work/$name.best"
    fi
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
while [ "$i" -lt "$runs" ]; do
    run report trace-cmd report -i "$dat"
    run import "$mmutrace" convert "$dat" "$work/out.mmtrace" --from trace-dat --mode 4level \
        --pfn-limit 0x100000 --accept-raw-values
    i=$((i + 1))
done
read -r tr trcpu < "$work/report.best"
read -r im imcpu < "$work/import.best"
echo "trace.dat: $dat ($(stat -c %s "$dat") bytes; $(sed -n 2p "$work/import.out"))"
echo "trace-cmd report > text:      ${tr} s wall, ${trcpu} s cpu (best of $runs)"
echo "mmutrace convert -> .mmtrace: ${im} s wall, ${imcpu} s cpu"
echo "ratio (report / import):      $(echo "scale=2; $tr / $im" | bc) by wall time, $(echo "scale=2; $trcpu / $imcpu" | bc) by cpu time"
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"

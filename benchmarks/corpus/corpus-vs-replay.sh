#!/usr/bin/env bash
# The corpus job's overhead over plain replay (docs/corpus.md#benchmark): the same N generated
# traces through `java -jar corpus/target/mmutrace-corpus.jar replay DIR --master local[2]` and
# through `java -jar analyzers/target/mmutrace.jar replay DIR/*.mmtrace --jobs 2 --format json`,
# whole processes one after the other (alternating which goes first), R rounds, medians.
# Not a test: run it by hand after `mvn -B -ntp -q package -DskipTests`, on a quiet machine if
# you can; it prints the load average beside every figure, because the figures mean little
# without it.
#
#   benchmarks/corpus/corpus-vs-replay.sh [N=50] [EVENTS=1000000] [R=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-50}
EVENTS=${2:-1000000}
ROUNDS=${3:-3}
MMUTRACE=analyzers/target/mmutrace.jar
CORPUS=corpus/target/mmutrace-corpus.jar
for jar in "$MMUTRACE" "$CORPUS"; do
    [ -f "$jar" ] || { echo "corpus-vs-replay: $jar: no such file; build with mvn -B -ntp -q package -DskipTests" >&2; exit 2; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corpus-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }

echo "corpus-vs-replay: N=$N traces of $EVENTS events, $ROUNDS rounds, $(nproc) cpus, load $(load)"
workloads=(boot fork-exec-exit ctxswitch-storm kmap-churn mmap-munmap mixed)
mkdir "$WORK/traces"
for i in $(seq 1 "$N"); do
    w=${workloads[$(( (i - 1) % ${#workloads[@]} ))]}
    java -jar "$MMUTRACE" generate "$w" --seed "$i" --events "$EVENTS" "$WORK/traces/$(printf '%03d' "$i")-$w.mmtrace" >/dev/null
done
echo "generated $(du -sh "$WORK/traces" | cut -f1) of traces, load $(load)"

plain() {
    rm -rf "$WORK/plain"
    java -jar "$MMUTRACE" replay "$WORK"/traces/*.mmtrace --jobs 2 --format json --out "$WORK/plain" >/dev/null
}
spark() {
    rm -rf "$WORK/spark"
    java -jar "$CORPUS" replay "$WORK/traces" --master 'local[2]' --out "$WORK/spark" >/dev/null 2>"$WORK/spark.err" \
        || { cat "$WORK/spark.err" >&2; exit 1; }
}
# Spark's fixed cost: the job on one tiny trace (start the JVM and Spark, list, write, stop)
java -jar "$MMUTRACE" generate boot --events 100 "$WORK/one.mmtrace" >/dev/null
fixed() {
    rm -rf "$WORK/fixed"
    java -jar "$CORPUS" replay "$WORK/one.mmtrace" --master 'local[2]' --out "$WORK/fixed" >/dev/null 2>&1
}
timed() {
    local t0 t1
    t0=$(now); "$1"; t1=$(now)
    echo "$t1 - $t0" | bc
}
plains=(); sparks=(); fixeds=()
for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 )); then p=$(timed plain); s=$(timed spark); else s=$(timed spark); p=$(timed plain); fi
    f=$(timed fixed)
    plains+=("$p"); sparks+=("$s"); fixeds+=("$f")
    printf 'round %d: replay --jobs 2 %.2f s, corpus local[2] %.2f s (%.2fx), corpus of one tiny trace %.2f s, load %s\n' \
        "$r" "$p" "$s" "$(echo "$s / $p" | bc -l)" "$f" "$(load)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
P=$(median "${plains[@]}"); S=$(median "${sparks[@]}"); F=$(median "${fixeds[@]}")
printf 'median: replay --jobs 2 %.2f s, corpus local[2] %.2f s, ratio %.2f (target <= 1.25); Spark fixed cost %.2f s;\n' \
    "$P" "$S" "$(echo "$S / $P" | bc -l)" "$F"
printf '        per trace on 2 threads %.3f s plain, %.3f s in the job after its fixed cost; load %s\n' \
    "$(echo "$P / $N" | bc -l)" "$(echo "($S - $F) / $N" | bc -l)" "$(load)"

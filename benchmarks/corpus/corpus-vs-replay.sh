#!/usr/bin/env bash
# The corpus job's overhead over plain replay (docs/corpus.md#benchmark): the same N generated
# traces through `java -jar corpus/target/mmutrace-corpus.jar replay DIR --master local[2]` and
# through `java -jar analyzers/target/mmutrace.jar replay DIR/*.mmtrace --jobs 2 --format json`,
# whole processes one after the other (alternating which goes first), R rounds, medians; the
# target is the job within 1.25 times plain replay. Not a test: run it by hand after
# `mvn -B -ntp -q package -DskipTests`, on a quiet machine if you can. It prints the load average
# before and after every figure, and each process's CPU seconds beside its wall clock, because
# on a shared machine the wall clock means little without them.
#
#   benchmarks/corpus/corpus-vs-replay.sh [N=50] [EVENTS=4000000] [R=2]
#
# The defaults take about five minutes on an idle 2-core machine (docs/corpus.md says why the
# traces are 4M events long: the job's fixed cost must be small beside the replay's).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-50}
EVENTS=${2:-4000000}
ROUNDS=${3:-2}
TARGET=1.25
MMUTRACE=analyzers/target/mmutrace.jar
CORPUS=corpus/target/mmutrace-corpus.jar
for jar in "$MMUTRACE" "$CORPUS"; do
    [ -f "$jar" ] || { echo "corpus-vs-replay: $jar: no such file; build with mvn -B -ntp -q package -DskipTests" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "corpus-vs-replay: /usr/bin/time: not found (GNU time, for each process's CPU seconds)" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corpus-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
START=$(date +%s)
export WORK MMUTRACE CORPUS EVENTS

echo "corpus-vs-replay: N=$N traces of $EVENTS events, $ROUNDS rounds, $(nproc) cpus, load $(load)"
workloads=(boot fork-exec-exit ctxswitch-storm kmap-churn mmap-munmap mixed)
mkdir "$WORK/traces"
for i in $(seq 1 "$N"); do
    w=${workloads[$(( (i - 1) % ${#workloads[@]} ))]}
    echo "$w $i $WORK/traces/$(printf '%03d' "$i")-$w.mmtrace"
done | xargs -P 2 -L 1 sh -c 'java -jar "$0" generate "$1" --seed "$2" --events "$EVENTS" "$3" >/dev/null' "$MMUTRACE"
echo "generated $(du -sh "$WORK/traces" | cut -f1) of traces in $(( $(date +%s) - START )) s, load $(load)"

plain() {
    rm -rf "$WORK/plain"
    java -jar "$MMUTRACE" replay "$WORK"/traces/*.mmtrace --jobs 2 --format json --out "$WORK/plain" >/dev/null
}
spark() {
    rm -rf "$WORK/spark"
    java -jar "$CORPUS" replay "$WORK/traces" --master 'local[2]' --out "$WORK/spark" >/dev/null 2>"$WORK/spark.err" \
        || { cat "$WORK/spark.err" >&2; exit 1; }
}
# The job's fixed cost: the job on one tiny trace (start the JVM and Spark, list, write, stop)
java -jar "$MMUTRACE" generate boot --events 100 "$WORK/one.mmtrace" >/dev/null
fixed() {
    rm -rf "$WORK/fixed"
    java -jar "$CORPUS" replay "$WORK/one.mmtrace" --master 'local[2]' --out "$WORK/fixed" >/dev/null 2>&1
}
export -f plain spark fixed
# "WALL CPU" of one whole process: wall clock seconds, and user + system CPU seconds
timed() {
    /usr/bin/time -f '%e %U %S' -o "$WORK/time" bash -c "$1" || { echo "corpus-vs-replay: $1 failed" >&2; exit 1; }
    awk '{printf "%s %.2f", $1, $2 + $3}' "$WORK/time"
}
plains=(); sparks=(); fixeds=(); plaincpus=(); sparkcpus=(); fixedcpus=()
for r in $(seq 1 "$ROUNDS"); do
    before=$(load)
    if (( r % 2 )); then p=$(timed plain); s=$(timed spark); else s=$(timed spark); p=$(timed plain); fi
    f=$(timed fixed)
    read -r pw pc <<<"$p"; read -r sw sc <<<"$s"; read -r fw fc <<<"$f"
    plains+=("$pw"); sparks+=("$sw"); fixeds+=("$fw"); plaincpus+=("$pc"); sparkcpus+=("$sc"); fixedcpus+=("$fc")
    printf 'round %d: replay --jobs 2 %.2f s (%.1f CPU s), corpus local[2] %.2f s (%.1f CPU s), ratio %.2f;' \
        "$r" "$pw" "$pc" "$sw" "$sc" "$(echo "$sw / $pw" | bc -l)"
    printf ' corpus of one tiny trace %.2f s (%.1f CPU s); load %s before, %s after\n' "$fw" "$fc" "$before" "$(load)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
P=$(median "${plains[@]}"); S=$(median "${sparks[@]}"); F=$(median "${fixeds[@]}")
RATIO=$(echo "$S / $P" | bc -l)
VERDICT=$(echo "$RATIO <= $TARGET" | bc -l | sed 's/1/PASS/; s/0/MISS/')
printf 'median of %d: replay --jobs 2 %.2f s, corpus local[2] %.2f s: ratio %.2f, %s (target <= %s)\n' \
    "$ROUNDS" "$P" "$S" "$RATIO" "$VERDICT" "$TARGET"
printf 'the job'"'"'s fixed cost %.2f s; per trace on 2 threads %.3f s plain, %.3f s in the job after its fixed cost\n' \
    "$F" "$(echo "$P / $N" | bc -l)" "$(echo "($S - $F) / $N" | bc -l)"
PC=$(median "${plaincpus[@]}"); SC=$(median "${sparkcpus[@]}"); FC=$(median "${fixedcpus[@]}")
printf 'CPU seconds (less moved by other load than the wall clock): replay %.1f, job %.1f (ratio %.2f), fixed cost %.1f;' \
    "$PC" "$SC" "$(echo "$SC / $PC" | bc -l)" "$FC"
printf ' the job after its fixed cost %.2f times replay\n' "$(echo "($SC - $FC) / $PC" | bc -l)"
echo "took $(( $(date +%s) - START )) s in all; load $(load)"

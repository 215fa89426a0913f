#!/bin/sh
# Times TRAPpy (ARM's Python ftrace text parser, `pip install trappy`, 6.0.1 when issue 20 measured
# it: 8x (cpu) to 13x (wall) slower than the import) parsing an ftrace text file, against
# `mmutrace convert` importing the same file, whole processes side by side (docs/performance.md).
# TRAPpy is no dependency of the project: this script runs it only where it is installed. It is
# told the MMU tracepoints as dynamic events (register_dynamic_ftrace), builds its per-event data
# frames, and prints how many lines it found; TRAPpy reads `key=value` payloads, so of the kernel's
# own text it finds the lines but few fields, and of files from kernels >= 5.13 (five-character
# flags column) no line at all: the line count says which. Each side runs RUNS times (default 3);
# the best wall time and the cpu time of that run are printed, with the load average before and after.
# Written where TRAPpy could not be installed (no PyPI): its TRAPpy half was not run here.
#
#   scripts/bench-trappy.sh FILE.txt VCPUS PFN_LIMIT [RUNS]
set -eu
txt=$1
vcpus=$2
pfn_limit=$3
runs=${4:-3}
mmutrace=$(cd "$(dirname "$0")/.." && pwd)/analyzers/target/mmutrace
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -c 'import trappy' 2> "$work/import.err" || {
    echo "TRAPpy is not installed here (pip install trappy): $(tail -1 "$work/import.err")" >&2
    exit 2
}
cat > "$work/trappy_parse.py" <<'PY'
import sys
import trappy

EVENTS = ["xen_mmu_set_pte", "xen_mmu_set_pte_at", "xen_mmu_set_pmd", "xen_mmu_set_pud", "xen_mmu_set_p4d",
          "xen_mmu_pgd_pin", "xen_mmu_pgd_unpin", "xen_mmu_alloc_ptpage", "xen_mmu_release_ptpage",
          "xen_mmu_write_cr3", "xen_mmu_flush_tlb_one_user", "xen_mmu_flush_tlb_multi", "xen_mmu_pte_clear",
          "xen_mmu_ptep_modify_prot_commit", "xen_mc_batch", "page_fault_user", "page_fault_kernel"]
classes = [trappy.register_dynamic_ftrace("".join(w.title() for w in e.split("_")), e + ":") for e in EVENTS]
trace = trappy.FTrace(sys.argv[1], normalize_time=False)
print(sum(len(getattr(trace, c.name).data_frame) for c in classes), "lines found")
PY

# best RUNS COMMAND...: the shortest wall time of RUNS runs and that run's cpu time (user + sys)
best() {
    b=
    i=0
    while [ "$i" -lt "$runs" ]; do
        /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" > "$work/out" 2> "$work/err"
        read -r wall user sys < "$work/time"
        if [ -z "$b" ] || [ "$(echo "$wall < $b" | bc)" = 1 ]; then
            b=$wall
            cpu=$(echo "$user + $sys" | bc)
            cp "$work/out" "$work/best.out"
        fi
        i=$((i + 1))
    done
    echo "$b s wall, $cpu s cpu: $(head -1 "$work/best.out")"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "trappy:           $(best python3 "$work/trappy_parse.py" "$txt")"
echo "mmutrace convert: $(best "$mmutrace" convert "$txt" "$work/out.mmtrace" --from ftrace --vcpus "$vcpus" \
    --pfn-limit "$pfn_limit")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/bin/sh
# Captures a large real trace.dat for the bench's trace.dat figure (docs/performance.md): user and
# kernel page faults and TLB flushes while a Python program touches LOOPS x 64 MiB, saved with
# `trace-cmd extract` (trace-cmd's default file version and compression). About 4.9M records and
# 32 MB with the default 150 loops on the project's machine: too big to commit, so it is made where
# the bench runs. Needs root, tracefs and trace-cmd; the kernel's tracing state is put back
# afterwards, whatever happens (tracing-state.sh).
#
#   scripts/capture-tracedat.sh OUT.dat [LOOPS]
set -eu
out=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
loops=${2:-150}
events="exceptions/page_fault_user exceptions/page_fault_kernel tlb/tlb_flush"
. "$(dirname "$0")/tracing-state.sh"

echo 0 > "$t/tracing_on"
echo 262144 > "$t/buffer_size_kb" # 256 MiB per cpu: the default loops fit without the kernel losing events
echo > "$t/trace"
for e in $events; do echo 1 > "$t/events/$e/enable"; done
echo 1 > "$t/tracing_on"
i=0
while [ "$i" -lt "$loops" ]; do
    python3 -c 'b = bytearray(64 << 20); sum(b[::4096])' > "$work/workload.out"
    i=$((i + 1))
done
echo 0 > "$t/tracing_on"
for e in $events; do echo 0 > "$t/events/$e/enable"; done
(cd "$work" && trace-cmd extract -o "$out" > "$work/extract.log" 2>&1)
ls -l "$out"

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

# 256 MiB of buffer per cpu: the default loops fit without the kernel losing events
capture 262144 "$loops" "$out" 64
ls -l "$out"

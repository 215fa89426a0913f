#!/bin/sh
# Re-records the trace.dat fixtures in sample-traces/tracedat/ from this machine's kernel, with
# the text `trace-cmd report` prints for each (the oracle the tests compare the reader with).
# Needs root, tracefs and trace-cmd (Debian's; `trace-cmd record` is not used: it is refused on
# some machines, so the buffer is filled by hand and saved with `trace-cmd extract`).
# The kernel's tracing state is put back afterwards, whatever happens: events off, buffer cleared,
# buffer size and tracing_on as they were, tracefs unmounted if this script mounted it.
#
#   TRACE_CMD_ZLIB=PATH scripts/record-tracedat-fixtures.sh [OUT_DIR]   (default sample-traces/tracedat)
#
# The version 7 zlib copy needs a second trace-cmd, one built with zlib: Debian's 3.1.6 has zstd
# only (`trace-cmd list -c`), and its `convert --compression zlib` fails. TRACE_CMD_ZLIB names
# that build; v7-zlib.dat was made with this one (same version as Debian's, built outside the
# repository, linked against Debian's libtraceevent 1.7.1, libtracefs 1.6.4 and zlib 1.2.13):
#   apt-get install gcc make pkg-config zlib1g-dev libtraceevent-dev libtracefs-dev
#   git clone https://git.kernel.org/pub/scm/utils/trace-cmd/trace-cmd.git /tmp/trace-cmd
#   cd /tmp/trace-cmd && git checkout 0a68daed9f58e4429c0f1e7818f7cc0634873112   # "Version 3.1.6"
#   make trace-cmd          # prints "Have zlib compression support"
#   TRACE_CMD_ZLIB=/tmp/trace-cmd/tracecmd/trace-cmd scripts/record-tracedat-fixtures.sh
set -eu
out=$(cd "${1:-$(dirname "$0")/../sample-traces/tracedat}" && pwd)
tc_zlib=${TRACE_CMD_ZLIB:-}
if [ -z "$tc_zlib" ] || ! "$tc_zlib" list -c 2>&1 | grep -q zlib; then
    echo "record-tracedat-fixtures.sh: TRACE_CMD_ZLIB must name a trace-cmd built with zlib (see the comment at the top)" >&2
    exit 2
fi
events="exceptions/page_fault_user exceptions/page_fault_kernel tlb/tlb_flush sched/sched_switch"
. "$(dirname "$0")/tracing-state.sh"

capture 64 2 "$work/capture.dat" 1
# lost events: a 16 KiB buffer per cpu overwritten many times over
capture 16 40 "$work/lost.dat" 1

# kallsyms (megabytes) and the formats of unused event systems dropped: see tracedat-slim.py
trace-cmd convert -i "$work/capture.dat" -o "$work/capture6.dat" --file-version 6 --compression none
python3 "$(dirname "$0")/tracedat-slim.py" "$work/capture6.dat" "$out/v6.dat" exceptions tlb sched
trace-cmd convert -i "$out/v6.dat" -o "$out/v7.dat" --file-version 7 --compression none
trace-cmd convert -i "$out/v6.dat" -o "$out/v7-zstd.dat" --file-version 7 --compression zstd
"$tc_zlib" convert -i "$out/v6.dat" -o "$out/v7-zlib.dat" --file-version 7 --compression zlib
trace-cmd convert -i "$work/lost.dat" -o "$work/lost6.dat" --file-version 6 --compression none
python3 "$(dirname "$0")/tracedat-slim.py" "$work/lost6.dat" "$work/lost-slim.dat" exceptions tlb sched
trace-cmd convert -i "$work/lost-slim.dat" -o "$out/lost-v7.dat" --file-version 7 --compression none

# -t: nanosecond timestamps; -R: every field raw, as the binary record holds it. The three
# versions of the capture hold the same events, so trace-cmd prints the same text for each (the
# zlib one printed by the zlib build, which is the only one that can read it).
trace-cmd report -t -R -i "$out/v6.dat" > "$out/capture.report.txt"
for f in v7 v7-zstd; do
    trace-cmd report -t -R -i "$out/$f.dat" > "$work/$f.report.txt"
    cmp "$out/capture.report.txt" "$work/$f.report.txt"
done
"$tc_zlib" report -t -R -i "$out/v7-zlib.dat" > "$work/v7-zlib.report.txt"
cmp "$out/capture.report.txt" "$work/v7-zlib.report.txt"
trace-cmd report -t -R -i "$out/lost-v7.dat" > "$out/lost.report.txt"
ls -l "$out"

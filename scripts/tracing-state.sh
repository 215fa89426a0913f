# Sourced (`. scripts/tracing-state.sh`) by the scripts that record with tracefs as root
# (record-tracedat-fixtures.sh, capture-tracedat.sh), after they set $events (system/event names):
# mounts tracefs when it is not mounted, notes the buffer size and tracing_on, makes a scratch
# directory $work, and on exit, whatever happens, puts the kernel's tracing state back: tracing
# off, the events disabled, the buffer cleared, buffer size and tracing_on as they were, tracefs
# unmounted if it was mounted here, $work removed. capture() fills the buffer and saves it.
t=/sys/kernel/tracing
work=$(mktemp -d)
mounted=no
if [ ! -e "$t/events" ]; then
    mount -t tracefs nodev "$t"
    mounted=yes
fi
old_size=$(sed 's/ .*//' "$t/buffer_size_kb")
old_on=$(cat "$t/tracing_on")

restore() {
    echo 0 > "$t/tracing_on"
    for e in $events; do echo 0 > "$t/events/$e/enable"; done
    echo > "$t/trace"
    echo "$old_size" > "$t/buffer_size_kb"
    echo "$old_on" > "$t/tracing_on"
    if [ "$mounted" = yes ]; then umount "$t"; fi
    rm -rf "$work"
}
trap restore EXIT INT TERM

# Fills the buffer with $events while a small Python workload runs LOOPS times (each touches a
# fresh MIB-MiB bytearray page by page: page faults, a few context switches), then saves it with
# trace-cmd extract (`trace-cmd record` is refused on some machines).
capture() { # capture BUFFER_KB LOOPS OUT.dat MIB
    echo 0 > "$t/tracing_on"
    echo "$1" > "$t/buffer_size_kb"
    echo > "$t/trace"
    for e in $events; do echo 1 > "$t/events/$e/enable"; done
    echo 1 > "$t/tracing_on"
    i=0
    while [ "$i" -lt "$2" ]; do
        python3 -c "b = bytearray($4 << 20); sum(b[::4096])" > "$work/workload.out"
        i=$((i + 1))
    done
    echo 0 > "$t/tracing_on"
    for e in $events; do echo 0 > "$t/events/$e/enable"; done
    (cd "$work" && trace-cmd extract -o "$3" > "$work/extract.log" 2>&1)
}

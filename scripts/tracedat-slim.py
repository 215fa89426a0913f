"""Writes a trace.dat file version 6 without what the fixtures do not need: the kallsyms and
printk sections become empty and only the event systems named on the command line keep their
formats, so a capture of a few thousand events stays well under 1 MB. The ring-buffer pages are
copied byte for byte, each cpu's data page aligned as trace-cmd places it.

Layout (trace-cmd.dat.v6(5)): magic, "tracing", "6\\0", endian, long size, page size; header_page
and header_event; ftrace formats; event formats by system; kallsyms; printk; cmdlines; cpu
count; options until option 0; "flyrecord\\0" and per cpu (offset, size) of its data.

    python3 tracedat-slim.py IN.dat OUT.dat SYSTEM...
"""
import struct
import sys


def main(src, dst, keep):
    data = open(src, 'rb').read()
    if data[3:10] != b'tracing' or data[10:12] != b'6\0':
        sys.exit(src + ': not a trace.dat file version 6')
    end = '<' if data[12] == 0 else '>'
    pos = 18

    def take(n):
        nonlocal pos
        chunk = data[pos:pos + n]
        pos += n
        return chunk

    def u(n):
        return struct.unpack(end + {2: 'H', 4: 'I', 8: 'Q'}[n], take(n))[0]

    def p(fmt, *v):
        return struct.pack(end + fmt, *v)

    out = bytearray(data[:18])
    for name in (b'header_page\0', b'header_event\0'):
        assert take(len(name)) == name
        size = u(8)
        out += name + p('Q', size) + take(size)
    count = u(4)
    out += p('I', count)
    for _ in range(count):
        size = u(8)
        out += p('Q', size) + take(size)
    systems = u(4)
    kept = []
    for _ in range(systems):
        nul = data.index(b'\0', pos)
        name = take(nul - pos + 1)
        formats = [take(u(8)) for _ in range(u(4))]
        if name[:-1].decode() in keep:
            kept.append((name, formats))
    out += p('I', len(kept))
    for name, formats in kept:
        out += name + p('I', len(formats))
        for f in formats:
            out += p('Q', len(f)) + f
    take(u(4))  # kallsyms
    out += p('I', 0)
    take(u(4))  # printk
    out += p('I', 0)
    size = u(8)
    out += p('Q', size) + take(size)  # cmdlines
    cpus = u(4)
    out += p('I', cpus)
    marker = take(10)
    if marker == b'options  \0':
        out += marker
        while True:
            option = u(2)
            out += p('H', option)
            if option == 0:
                break
            size = u(4)
            out += p('I', size) + take(size)
        marker = take(10)
    assert marker == b'flyrecord\0', marker
    out += marker
    table = [(u(8), u(8)) for _ in range(cpus)]
    page = struct.unpack(end + 'I', data[14:18])[0]
    at = len(out) + 16 * cpus
    placed = []
    for offset, size in table:
        at = (at + page - 1) // page * page
        placed.append((at, data[offset:offset + size]))
        at += size
    for at, chunk in placed:
        out += p('QQ', at, len(chunk))
    for at, chunk in placed:
        out += bytes(at - len(out)) + chunk
    open(dst, 'wb').write(out)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], set(sys.argv[3:]))

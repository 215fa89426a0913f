package dev.mmutrace.trace.io;

import java.nio.charset.StandardCharsets;

/**
 * The framing of a binary trace around its protobuf messages: 8 bytes of magic, the format
 * version as a little-endian uint32, then records, each a varint length and that many bytes.
 */
final class BinaryLayout {
    static final byte[] MAGIC = "MMUTRACE".getBytes(StandardCharsets.US_ASCII);
    static final int PREAMBLE_BYTES = MAGIC.length + 4;

    /**
     * The largest record each reader accepts. An event message is under 100 bytes today; 64 KiB
     * leaves room for later fields while a corrupt length still shows as one. A header holds the
     * p2m table (up to ~20 bytes a frame), hence its larger bound.
     */
    static final int MAX_EVENT_BYTES = 64 * 1024;
    static final int MAX_HEADER_BYTES = 512 * 1024 * 1024;

    private BinaryLayout() {
    }

    static byte[] preamble(int version) {
        byte[] p = new byte[PREAMBLE_BYTES];
        System.arraycopy(MAGIC, 0, p, 0, MAGIC.length);
        for (int i = 0; i < 4; i++) {
            p[MAGIC.length + i] = (byte) (version >>> (8 * i));
        }
        return p;
    }
}

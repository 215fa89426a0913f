package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PackedVarints} against varints worked out by hand and against protobuf's own reader
 * ({@link CodedInputStream}) on runs of every length mix, at every place in an array: the
 * unpacker reads 8 bytes at a time and takes fast paths for runs of one- and two-byte values,
 * so where a run starts and ends and how its lengths mix is what matters.
 */
class PackedVarintsTest {

    @Test
    void valuesWorkedOutByHand() {
        // 0x96 0x01: 0x16 + (1 << 7) = 150 (protobuf's own example); 0xac 0x02: 0x2c + (2 << 7) = 300;
        // 0x7f: 127; 0x80 0x80 0x01: 1 << 14 = 16384; nine 0xff then 0x01: all 64 bits, -1 as a long;
        // eight 0x80 then 0x01: 1 << 56, the ninth byte's lowest bit; 0x00: 0
        byte[] run = bytes(0x96, 0x01, 0xac, 0x02, 0x7f, 0x80, 0x80, 0x01,
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
                0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00);
        assertThat(unpack(run, 0, run.length)).containsExactly(150, 300, 127, 16384, -1, 1L << 56, 0);
    }

    @Test
    void aRunOfOneByteValuesIsEachByte() {
        byte[] run = new byte[200];
        for (int i = 0; i < run.length; i++) {
            run[i] = (byte) (i % 128);
        }
        long[] expected = new long[run.length];
        Arrays.setAll(expected, i -> i % 128);
        assertThat(unpack(run, 0, run.length)).containsExactly(expected);
    }

    @Test
    void aRunOfTwoByteValuesStartingAfterALongerOne() {
        // 0x80 0x80 0x80 0x80 0x01 = 1 << 28, then 100 values 0x80 + i, each 0x80 | (i & 0x7f), 0x01
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(bytes(0x80, 0x80, 0x80, 0x80, 0x01));
        long[] expected = new long[101];
        expected[0] = 1L << 28;
        for (int i = 0; i < 100; i++) {
            b.writeBytes(bytes(0x80 | i, 0x01));
            expected[i + 1] = 0x80 + i;
        }
        byte[] run = b.toByteArray();
        assertThat(unpack(run, 0, run.length)).containsExactly(expected);
    }

    @Test
    void aValueThatRunsPastTheRunIsCorrupt() {
        // 0x96 0x01 is whole; 0xac alone says another byte follows, but the run ends
        byte[] run = bytes(0x96, 0x01, 0xac, 0x02);
        assertThat(PackedVarints.unpack(run, 0, 3, new long[3], 0)).isEqualTo(PackedVarints.CORRUPT);
        byte[] twoByteValues = new byte[130]; // 65 values 0x80 0x01, the last cut short
        for (int i = 0; i < twoByteValues.length; i += 2) {
            twoByteValues[i] = (byte) 0x80;
            twoByteValues[i + 1] = 0x01;
        }
        assertThat(PackedVarints.unpack(twoByteValues, 0, 129, new long[129], 0)).isEqualTo(PackedVarints.CORRUPT);
    }

    @Test
    void aValueOfElevenBytesIsCorrupt() {
        // ten bytes with the top bit set: no varint of 64 bits takes more than ten bytes in all
        byte[] run = new byte[100];
        Arrays.fill(run, 0, 10, (byte) 0x80);
        run[10] = 0x01;
        assertThat(PackedVarints.unpack(run, 0, run.length, new long[100], 0)).isEqualTo(PackedVarints.CORRUPT);
        byte[] allTopBits = new byte[100];
        Arrays.fill(allTopBits, (byte) 0x81);
        allTopBits[99] = 0x01;
        assertThat(PackedVarints.unpack(allTopBits, 0, 100, new long[100], 0)).isEqualTo(PackedVarints.CORRUPT);
    }

    @Test
    void agreesWithProtobufOnRandomRuns() throws IOException {
        Random random = new Random(20);
        for (int round = 0; round < 5_000; round++) {
            int count = random.nextInt(300);
            long[] values = new long[count];
            // a length mix per run: all one byte, all two bytes, or any number of bits
            int mix = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                int bits = mix == 0 ? 7 : mix == 1 ? 14 : random.nextInt(65);
                long v = bits == 0 ? 0 : random.nextLong() >>> (64 - bits);
                values[i] = mix == 1 ? v | 0x80 : v;
            }
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(wire);
            for (long v : values) {
                out.writeUInt64NoTag(v);
            }
            out.flush();
            byte[] run = wire.toByteArray();
            // the run somewhere in an array of noise, which may have top bits set
            int before = random.nextInt(12);
            byte[] array = new byte[before + run.length + random.nextInt(12)];
            random.nextBytes(array);
            System.arraycopy(run, 0, array, before, run.length);

            CodedInputStream protobuf = CodedInputStream.newInstance(run);
            long[] expected = new long[count];
            for (int i = 0; i < count; i++) {
                expected[i] = protobuf.readRawVarint64();
            }
            assertThat(unpack(array, before, before + run.length)).containsExactly(expected);
            if (run.length > 0 && (run.length == 1 || run[run.length - 2] < 0)) {
                // cutting off the last byte of a value of two or more bytes leaves it running past
                assertThat(PackedVarints.unpack(array, before, before + run.length - 1, new long[run.length], 0))
                        .isEqualTo(run.length == 1 ? 0 : PackedVarints.CORRUPT);
            }
        }
    }

    /** Unpacks after three values already in the output, as a column continued in a second piece. */
    private static long[] unpack(byte[] in, int from, int to) {
        long[] out = new long[3 + to - from];
        Arrays.fill(out, 0, 3, 42);
        int n = PackedVarints.unpack(in, from, to, out, 3);
        assertThat(n).isNotEqualTo(PackedVarints.CORRUPT);
        assertThat(Arrays.copyOfRange(out, 0, 3)).containsExactly(42, 42, 42);
        return Arrays.copyOfRange(out, 3, n);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}

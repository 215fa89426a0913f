package dev.mmutrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a message quotes a bad value: whole when short, cut at 80 characters, always on one line. */
class TraceInputExceptionTest {

    @Test
    void shortValueIsQuotedWhole() {
        assertThat(TraceInputException.quote("0xZZ")).isEqualTo("'0xZZ'");
        assertThat(TraceInputException.quote("")).isEqualTo("''");
    }

    @Test
    void valueOfExactlyEightyCharactersIsNotCut() {
        String eighty = "x".repeat(80);
        assertThat(TraceInputException.quote(eighty)).isEqualTo("'" + eighty + "'");
    }

    @Test
    void longValueIsCutAfterEightyCharactersAndSaysHowLongItWas() {
        // a 1 MiB cell: its first 80 characters, then the cut and the full length
        String cell = "0x" + "7".repeat((1 << 20) - 2);
        assertThat(TraceInputException.quote(cell)).isEqualTo("'0x" + "7".repeat(78) + "...' (1048576 characters)");
    }

    @Test
    void lineBreaksAndOtherControlCharactersAreEscapedSoTheMessageIsOneLine() {
        // LF is U+000A, CR U+000D, NUL U+0000, LINE SEPARATOR U+2028
        assertThat(TraceInputException.quote("a\nb\rc\0d\u2028e")).isEqualTo("'a\\u000ab\\u000dc\\u0000d\\u2028e'");
    }

    @Test
    void aSingleQuoteInTheValueIsEscapedSoTheNextQuoteEndsIt() {
        // ' is U+0027; the quote around the value stays the only pair of plain ones
        assertThat(TraceInputException.quote("it's 'x'")).isEqualTo("'it\\u0027s \\u0027x\\u0027'");
    }

    @Test
    void aSurrogatePairAtTheCutIsKeptWhole() {
        // U+1F600 is the pair D83D DE00: the 80th character shown, both halves of it
        String value = "y".repeat(79) + "\uD83D\uDE00" + "tail";
        assertThat(TraceInputException.quote(value)).isEqualTo("'" + "y".repeat(79) + "\uD83D\uDE00...' (85 characters)");
    }

    @Test
    void theFieldOfAMessageIsQuotedTheSameWay() {
        // an unknown header key is the field; a 200-character one is cut like a value
        String key = "k".repeat(200);
        TraceInputException e = TraceInputException.atLine("t.csv", 3, key, "unknown header field");
        assertThat(e.getMessage())
                .isEqualTo("t.csv: line 3: field '" + "k".repeat(80) + "...' (200 characters): unknown header field");
    }
}

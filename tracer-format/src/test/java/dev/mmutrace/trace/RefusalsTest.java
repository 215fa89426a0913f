package dev.mmutrace.trace;

import static dev.mmutrace.trace.TraceInputException.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.trace.Refusals.Piece;
import org.junit.jupiter.api.Test;

/**
 * The fuzz targets' check of a refusal's message, on hand-made messages: what a right refusal
 * looks like passes (however much of the message's own text the input holds), and every way of
 * repeating more than 80 characters of the input in a row fails.
 */
class RefusalsTest {
    /** The words FtraceText puts before the line it quotes. */
    private static final String CONTEXT = "expected '<task>-<pid> [<cpu>] [<flags>] <seconds>.<fraction>: <event>: ...'"
            + " before the event in ";

    /** 120 characters no message writes, for the input a faulty message repeats. */
    private static final String INPUT = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".repeat(2).substring(0, 120);

    @Test
    void aLineQuotedAfterWordsTheInputAlsoHoldsPasses() {
        // The shape of the two kept FtraceReaderFuzzTest inputs: the fuzzer copied an earlier
        // message into the input, so " before the event in '" and the quote's 80 characters stand in
        // the input as one run of 22 + 80 = 102 > 88, which the check used to take for quoted input.
        String line = "my-pn>: [000] .....   512.000200: page_fault_" + "\uFFFD".repeat(221);
        String message = TraceInputException.atLine("fuzz.txt", 6, "context", CONTEXT + quote(line)).getMessage();
        String input = "# ch LAZY_MMU\n" + message.substring(message.indexOf(" before")) + "\n" + line + "\n";
        assertThat(line).hasSize(266);
        assertThat(Refusals.repeatsMoreThan(message, input, TraceInputException.MAX_QUOTED + 8)).isTrue();

        assertThatCode(() -> Refusals.check(message, input, null)).doesNotThrowAnyException();
    }

    @Test
    void aMegabyteValueCutAtEightyPasses() {
        String cell = "7".repeat(1 << 20);
        assertThatCode(() -> Refusals.check("t.csv: line 2: field 'value': bad hex " + quote(cell), cell, null))
                .doesNotThrowAnyException();
    }

    @Test
    void eightySurrogatePairsAreEightyCharacters() {
        // U+1F600 is two chars (D83D DE00); quote shows 80 of them, 160 chars, one character each
        String value = "\uD83D\uDE00".repeat(100);
        assertThatCode(() -> Refusals.check("t.csv: line 2: label " + quote(value) + " given twice", value, null))
                .doesNotThrowAnyException();
    }

    @Test
    void apostrophesInWordsAreNotQuotes() {
        // "record's" and "pte_val()'s" are words; the one quote is the value's
        String message = "t.mmtrace: record 3: inside the record's length, pte_val()'s pfn " + quote("0xZZ");
        assertThat(Refusals.pieces(message)).containsExactly(
                new Piece("t.mmtrace: record 3: inside the record's length, pte_val()'s pfn ", false),
                new Piece("0xZZ", true), new Piece("", false));
    }

    @Test
    void aValueHoldingQuotesIsOneQuoteReadBackWhole() {
        // quote writes each ' of the value as \\u0027, so the first ' after the opening one ends it
        String value = "it's 'x'";
        String message = "t.csv: line 4: field 'label': expected 'key=value', got " + quote(value);
        assertThat(Refusals.pieces(message)).containsExactly(
                new Piece("t.csv: line 4: field ", false), new Piece("label", true), new Piece(": expected ", false),
                new Piece("key=value", true), new Piece(", got ", false), new Piece(value, true), new Piece("", false));
        String line = "x=y '" + value.repeat(20);
        assertThatCode(() -> Refusals.check("t.csv: line 4: bad " + quote(line), line, null)).doesNotThrowAnyException();
    }

    @Test
    void aQuoteOfEightyCharactersOfTheInputPassesAndOfEightyOneFails() {
        assertThatCode(() -> Refusals.check("t.csv: line 1: bad hex '" + INPUT.substring(0, 80) + "'", INPUT, null))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Refusals.check("t.csv: line 1: bad hex '" + INPUT.substring(0, 81) + "'", INPUT, null))
                .isInstanceOf(AssertionError.class).hasMessageContaining("in one quote");
    }

    @Test
    void aQuoteOfEightyOneEscapedLineBreaksFails() {
        // each \\u000a written for a line feed is one character of the input
        String breaks = "\n".repeat(100);
        assertThatCode(() -> Refusals.check("t.csv: line 1: bad " + quote(breaks), breaks, null)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Refusals.check("t.csv: line 1: bad '" + "\\u000a".repeat(81) + "'", breaks, null))
                .isInstanceOf(AssertionError.class).hasMessageContaining("in one quote");
    }

    @Test
    void theInputPrintedWithoutQuotesFails() {
        assertThatThrownBy(() -> Refusals.check("t.csv: line 1: bad hex " + INPUT.substring(0, 81), INPUT, null))
                .isInstanceOf(AssertionError.class).hasMessageContaining("outside its quotes");
    }

    @Test
    void theInputPrintedOnAfterItsQuoteFails() {
        String message = "t.csv: line 1: bad hex " + quote(INPUT) + ", then " + INPUT.substring(30, 120);
        assertThatThrownBy(() -> Refusals.check(message, INPUT, null))
                .isInstanceOf(AssertionError.class).hasMessageContaining("outside its quotes");
    }

    @Test
    void theInputAfterAnApostropheOrAnUnclosedQuoteFails() {
        assertThatThrownBy(() -> Refusals.check("t.mmtrace: the record's " + INPUT, INPUT, null))
                .isInstanceOf(AssertionError.class).hasMessageContaining("outside its quotes");
        assertThatThrownBy(() -> Refusals.check("t.csv: line 1: got '" + INPUT, INPUT, null))
                .isInstanceOf(AssertionError.class).hasMessageContaining("outside its quotes");
    }

    @Test
    void aMessageOfTwoLinesOrNoneFails() {
        assertThatThrownBy(() -> Refusals.check("t.csv: line 1: bad\nrow", "row", null))
                .isInstanceOf(AssertionError.class).hasMessageContaining("more than one line");
        assertThatThrownBy(() -> Refusals.check("", "row", null))
                .isInstanceOf(AssertionError.class).hasMessageContaining("without a message");
    }
}

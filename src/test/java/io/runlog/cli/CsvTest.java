package io.runlog.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvTest {
    @Test
    void shouldSplitPlainFieldsKeepingEmptyOnes() {
        assertEquals(List.of("val_loss", "0", "11.0092", ""), Csv.parseLine("val_loss,0,11.0092,"));
        assertEquals(List.of(""), Csv.parseLine(""));
        assertEquals(List.of("", ""), Csv.parseLine(","));
        assertEquals(List.of(" a ", "b"), Csv.parseLine(" a ,b"));
    }

    @Test
    void shouldReadQuotedFieldsWithCommasAndDoubledQuotes() {
        assertEquals(List.of("loss, \"train\"", "1", ""), Csv.parseLine("\"loss, \"\"train\"\"\",1,\"\""));
    }

    @Test
    void shouldRejectUnbalancedOrStrayQuotesNamingTheField() {
        assertEquals("field 2: quoted field is not closed (a quoted field cannot span lines)",
            assertThrows(IllegalArgumentException.class, () -> Csv.parseLine("a,\"b")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Csv.parseLine("\"a\"b,c"));
        assertThrows(IllegalArgumentException.class, () -> Csv.parseLine("a\"b,c"));
    }

    @Test
    void shouldQuoteOnlyFieldsThatNeedIt() {
        assertEquals("loss", Csv.quote("loss"));
        assertEquals("\"a,b\"", Csv.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.quote("say \"hi\""));
        for (final String s : List.of("plain", "a,b", "q\"q", " lead")) {
            assertEquals(List.of(s), Csv.parseLine(Csv.quote(s)));
        }
    }
}

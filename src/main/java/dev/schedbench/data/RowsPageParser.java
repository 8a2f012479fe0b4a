package dev.schedbench.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads a datasets-server {@code /rows} page as a stream, keeping only {@code row_idx} and the first
 * turn of {@code conversation_a}. A Chatbot Arena page carries both conversations, moderation scores
 * and more per row; streaming past them keeps parsing the whole dataset well under a second or two.
 */
public final class RowsPageParser {

    public static final String CONVERSATION_COLUMN = "conversation_a";

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private RowsPageParser() {}

    /** Parses a page; throws {@link IOException} (Jackson's own) when it is not a well-formed page. */
    public static RowsPage parse(byte[] body) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the page");
            List<ArenaRow> rows = new ArrayList<>(100);
            List<String> columns = new ArrayList<>();
            OptionalLong total = OptionalLong.empty();
            boolean sawRows = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "rows" -> {
                        expect(p, value, JsonToken.START_ARRAY, "rows");
                        sawRows = true;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            rows.add(parseRowItem(p));
                        }
                    }
                    case "features" -> {
                        expect(p, value, JsonToken.START_ARRAY, "features");
                        readFeatureNames(p, columns);
                    }
                    case "num_rows_total" -> {
                        if (value == JsonToken.VALUE_NUMBER_INT) {
                            total = OptionalLong.of(p.getLongValue());
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (!sawRows) {
                throw new IOException("the page has no \"rows\" array");
            }
            return new RowsPage(rows, total, columns);
        }
    }

    private static void readFeatureNames(JsonParser p, List<String> columns) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("name") && value == JsonToken.VALUE_STRING) {
                    columns.add(p.getText());
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    private static ArenaRow parseRowItem(JsonParser p) throws IOException {
        long rowIdx = -1;
        FirstTurn turn = new FirstTurn.Unusable("the row has no " + CONVERSATION_COLUMN);
        boolean truncated = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "row_idx" -> rowIdx = p.getLongValue();
                case "row" -> {
                    expect(p, value, JsonToken.START_OBJECT, "row");
                    turn = parseRow(p, turn);
                }
                case "truncated_cells" -> {
                    if (value == JsonToken.START_ARRAY) {
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            truncated |= p.getText().equals(CONVERSATION_COLUMN);
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (rowIdx < 0) {
            throw new IOException("a row has no row_idx");
        }
        return new ArenaRow(rowIdx, truncated ? new FirstTurn.Truncated() : turn);
    }

    private static FirstTurn parseRow(JsonParser p, FirstTurn absent) throws IOException {
        FirstTurn turn = absent;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals(CONVERSATION_COLUMN)) {
                turn = parseConversation(p, value);
            } else {
                p.skipChildren();
            }
        }
        return turn;
    }

    private static FirstTurn parseConversation(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return new FirstTurn.Unusable(CONVERSATION_COLUMN + " is null");
        }
        if (value == JsonToken.VALUE_STRING) {
            // a cell the server cut down to fit its page comes back as a (cut) JSON string
            return new FirstTurn.Truncated();
        }
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return new FirstTurn.Unusable(CONVERSATION_COLUMN + " is not a list of turns");
        }
        JsonToken first = p.nextToken();
        if (first == JsonToken.END_ARRAY) {
            return new FirstTurn.Unusable(CONVERSATION_COLUMN + " has no turns");
        }
        FirstTurn turn;
        if (first == JsonToken.START_OBJECT) {
            turn = parseTurn(p);
        } else {
            p.skipChildren();
            turn = new FirstTurn.Unusable("the first turn is not an object");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
        }
        return turn;
    }

    private static FirstTurn parseTurn(JsonParser p) throws IOException {
        String content = null;
        String role = null;
        boolean contentNotText = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("content") && value == JsonToken.VALUE_STRING) {
                content = p.getText();
            } else if (name.equals("content")) {
                contentNotText = true;
                p.skipChildren();
            } else if (name.equals("role") && value == JsonToken.VALUE_STRING) {
                role = p.getText();
            } else {
                p.skipChildren();
            }
        }
        if (role == null) {
            return new FirstTurn.Unusable("the first turn has no role");
        }
        if (!role.equals("user")) {
            return new FirstTurn.Unusable("the first turn is by '" + role + "', not the user");
        }
        if (content == null) {
            return new FirstTurn.Unusable(contentNotText ? "the first turn's content is not text" : "the first turn has no content");
        }
        return new FirstTurn.UserText(content);
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken wanted, String what) throws IOException {
        if (actual != wanted) {
            throw new IOException(what + " should start with " + wanted.asString() + " but has " + actual
                    + " at " + p.currentLocation().offsetDescription());
        }
    }
}

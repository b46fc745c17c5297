package dev.triage.benchmarks.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output: each scenario's rows as a table on standard output, printed as they come (a table's header again
 * whenever another table printed in between), and at the end all of them as one JSON line prefixed
 * {@code RESULT }. A figure that could not be measured (NaN) prints as {@code n/a} and is null in the JSON.
 */
final class Report {
    private static final int MIN_WIDTH = 8;
    /** Text cells (scenario names, outcome maps) are left-aligned in a wider column. */
    private static final int TEXT_WIDTH = 18;

    private final JsonObject result = new JsonObject();
    private String lastTable;

    void machine(Map<String, Object> facts) {
        System.out.println("Triage load driver");
        facts.forEach((name, value) -> System.out.println("  " + name + ": " + value));
        JsonObject machine = new JsonObject();
        facts.forEach(machine::put);
        result.put("machine", machine);
    }

    /** A row of {@code table}; {@link Row#add()} prints and keeps it. */
    Row row(String table) {
        return new Row(table);
    }

    void failed(String scenario, Exception e) {
        System.out.println("!! " + scenario + " failed: " + e);
        lastTable = null;
        if (!result.containsKey("failures")) result.put("failures", new JsonArray());
        result.getJsonArray("failures").add(new JsonObject().put("scenario", scenario).put("error", e.toString()));
    }

    void finish(double elapsedSeconds) {
        result.put("elapsed_s", Math.round(elapsedSeconds));
        System.out.println();
        System.out.println("elapsed: " + Math.round(elapsedSeconds) + " s");
        System.out.println("RESULT " + result.encode());
    }

    final class Row {
        private final String table;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Row(String table) {
            this.table = table;
        }

        Row put(String column, Object value) {
            values.put(column, value);
            return this;
        }

        void add() {
            if (!table.equals(lastTable)) {
                System.out.println();
                System.out.println("== " + table);
                System.out.println(line(new ArrayList<>(values.keySet())));
                lastTable = table;
            }
            List<String> cells = new ArrayList<>();
            values.values().forEach(value -> cells.add(text(value)));
            System.out.println(line(cells));
            System.out.flush();
            if (!result.containsKey(table)) result.put(table, new JsonArray());
            JsonObject json = new JsonObject();
            values.forEach((column, value) -> json.put(column, json(value)));
            result.getJsonArray(table).add(json);
        }

        private String line(List<String> cells) {
            StringBuilder line = new StringBuilder();
            List<String> columns = new ArrayList<>(values.keySet());
            List<Object> row = new ArrayList<>(values.values());
            for (int i = 0; i < cells.size(); i++) {
                boolean text = row.get(i) instanceof String;
                int width = Math.max(text ? TEXT_WIDTH : MIN_WIDTH, columns.get(i).length());
                line.append(String.format("%" + (text ? "-" : "") + width + "s  ", cells.get(i)));
            }
            return line.toString().stripTrailing();
        }
    }

    private static String text(Object value) {
        if (value instanceof Double d) {
            if (d.isNaN()) return "n/a";
            return Math.abs(d) >= 100 ? String.format("%.0f", d) : String.format("%.2f", d);
        }
        return String.valueOf(value);
    }

    private static Object json(Object value) {
        if (value instanceof Double d) return d.isNaN() ? null : Math.round(d * 1000) / 1000.0;
        return value;
    }
}

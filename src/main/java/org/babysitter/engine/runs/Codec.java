package org.babysitter.engine.runs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.RunEvaluation;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.RunReport;

/**
 * How reports are kept in the database: iterations and epochs as columns (queried, listed, exported), the rarer
 * reports (events, layer samples, the evaluation) and findings as JSON of their record, named by their kind.
 */
final class Codec {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The kinds stored as JSON, by the name in the {@code kind} column. */
    private static final Map<String, Class<? extends RunReport>> KINDS = Map.of(
            "started", RunEvent.Started.class, "paused", RunEvent.Paused.class, "resumed", RunEvent.Resumed.class,
            "control", RunEvent.ControlChanged.class, "finished", RunEvent.Finished.class,
            "diverged", RunEvent.Diverged.class, "rewound", RunEvent.Rewound.class,
            "layers", LayerStatistics.class, "evaluation", RunEvaluation.class);

    private Codec() {
    }

    static String kind(RunReport r) {
        for (Map.Entry<String, Class<? extends RunReport>> e : KINDS.entrySet()) {
            if (e.getValue() == r.getClass()) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("not stored as JSON: " + r.getClass().getSimpleName());
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record that Jackson cannot write: " + e.getMessage(), e);
        }
    }

    static RunReport report(String kind, String json) throws JsonProcessingException {
        Class<? extends RunReport> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalArgumentException("a report of unknown kind " + kind);
        }
        return JSON.readValue(json, type);
    }

    /** The update ratios as text: Java's shortest exact form of each double, comma-separated ("NaN" allowed). */
    static String ratios(List<Double> ratios) {
        StringBuilder sb = new StringBuilder();
        for (double r : ratios) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(r);
        }
        return sb.toString();
    }

    static List<Double> ratios(String text) {
        List<Double> out = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String s : text.split(",")) {
                out.add(Double.parseDouble(s));
            }
        }
        return out;
    }

    /** SQLite stores NaN as NULL: a NULL read back is NaN. */
    static double real(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    /** NaN as NULL, explicitly (rather than relying on the driver). */
    static Object real(double v) {
        return Double.isNaN(v) ? null : v;
    }
}

package xchat.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one bench measured: tables for people, charts for the HTML page, and everything needed to
 * reproduce it (parameters, machine, command).
 *
 * @param name ingest, send, sync or relay
 * @param command the command line that reproduces the run
 * @param parameters what the run was asked to do (sizes, seed)
 * @param machine where it ran, from {@link Machine#describe()}
 * @param notes the method, one sentence each
 */
public record BenchReport(
    String name,
    String title,
    String command,
    Map<String, Object> parameters,
    Map<String, String> machine,
    List<Table> tables,
    List<Chart> charts,
    List<String> notes) {

  public BenchReport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(command, "command");
    parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    machine = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(machine));
    tables = List.copyOf(tables);
    charts = List.copyOf(charts);
    notes = List.copyOf(notes);
  }

  /**
   * Rows of cells: each cell is a {@link Number} or a {@link String}.
   *
   * @param units one per column ("" when none), shown in the header
   */
  public record Table(String title, List<String> columns, List<String> units, List<List<Object>> rows) {
    public Table {
      Objects.requireNonNull(title, "title");
      columns = List.copyOf(columns);
      units = List.copyOf(units);
      if (units.size() != columns.size()) {
        throw new IllegalArgumentException("one unit per column");
      }
      List<List<Object>> copy = new ArrayList<>();
      for (List<Object> row : rows) {
        if (row.size() != columns.size()) {
          throw new IllegalArgumentException("a row of " + row.size() + " cells in a table of " + columns.size());
        }
        for (Object cell : row) {
          if (!(cell instanceof Number) && !(cell instanceof String)) {
            throw new IllegalArgumentException("a cell is a number or a string");
          }
        }
        copy.add(List.copyOf(row));
      }
      rows = List.copyOf(copy);
    }
  }

  /** A horizontal bar chart; bars of one {@code series} share a colour. */
  public record Chart(String title, String unit, List<Bar> bars) {
    public Chart {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(unit, "unit");
      bars = List.copyOf(bars);
    }
  }

  public record Bar(String label, String series, double value) {
    public Bar {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(series, "series");
      if (!Double.isFinite(value) || value < 0) {
        throw new IllegalArgumentException("a bar is a finite, non-negative value");
      }
    }
  }
}

package xchat.cli.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints a {@link BenchReport} as a table, and writes it as JSON or as a self-contained HTML page. */
public final class ReportWriter {
  private static final String[] COLOURS = {"#3b6ea5", "#d08c2f", "#5a9e5a", "#a64d79"};

  private ReportWriter() {}

  // ---- Text --------------------------------------------------------------------------------------

  public static void printText(BenchReport report, PrintWriter out) {
    out.println(report.title());
    out.println("machine: " + report.machine().get("cpu") + ", " + report.machine().get("cores") + " cores, "
        + report.machine().get("java") + ", load average " + report.machine().get("load average"));
    for (BenchReport.Table table : report.tables()) {
      out.println();
      out.println(table.title());
      List<String> header = new ArrayList<>();
      for (int c = 0; c < table.columns().size(); c++) {
        String unit = table.units().get(c);
        header.add(unit.isEmpty() ? table.columns().get(c) : table.columns().get(c) + " (" + unit + ")");
      }
      List<List<String>> cells = new ArrayList<>();
      for (List<Object> row : table.rows()) {
        cells.add(row.stream().map(ReportWriter::format).toList());
      }
      int[] widths = new int[header.size()];
      for (int c = 0; c < widths.length; c++) {
        widths[c] = header.get(c).length();
        for (List<String> row : cells) {
          widths[c] = Math.max(widths[c], row.get(c).length());
        }
      }
      out.println("  " + line(header, widths, table.rows().isEmpty() ? null : table.rows().get(0)));
      StringBuilder rule = new StringBuilder("  ");
      for (int c = 0; c < widths.length; c++) {
        rule.append("-".repeat(widths[c])).append(c + 1 < widths.length ? "  " : "");
      }
      out.println(rule);
      for (int r = 0; r < cells.size(); r++) {
        out.println("  " + line(cells.get(r), widths, table.rows().get(r)));
      }
    }
    if (!report.notes().isEmpty()) {
      out.println();
      report.notes().forEach(note -> out.println("* " + note));
    }
    out.println("reproduce: " + report.command());
    out.flush();
  }

  /** Numbers align right, text left. */
  private static String line(List<String> cells, int[] widths, List<Object> kinds) {
    StringBuilder text = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      boolean right = kinds != null && kinds.get(c) instanceof Number;
      String cell = cells.get(c);
      String padding = " ".repeat(widths[c] - cell.length());
      text.append(right ? padding + cell : cell + (c + 1 < cells.size() ? padding : ""));
      if (c + 1 < cells.size()) {
        text.append("  ");
      }
    }
    return text.toString();
  }

  static String format(Object cell) {
    if (cell instanceof Double || cell instanceof Float) {
      double value = ((Number) cell).doubleValue();
      double magnitude = Math.abs(value);
      if (magnitude >= 1000) {
        return String.format(Locale.ROOT, "%,.0f", value);
      }
      if (magnitude >= 10) {
        return String.format(Locale.ROOT, "%.1f", value);
      }
      if (magnitude >= 0.1 || value == 0) {
        return String.format(Locale.ROOT, "%.2f", value);
      }
      return String.format(Locale.ROOT, "%.4f", value);
    }
    if (cell instanceof Number number) {
      return String.format(Locale.ROOT, "%,d", number.longValue());
    }
    return cell.toString();
  }

  // ---- JSON --------------------------------------------------------------------------------------

  public static void writeJson(BenchReport report, Path file) throws IOException {
    Files.writeString(file, json(report), StandardCharsets.UTF_8);
  }

  public static String json(BenchReport report) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("bench", report.name());
      json.writeStringField("title", report.title());
      json.writeStringField("command", report.command());
      json.writeObjectFieldStart("machine");
      for (Map.Entry<String, String> entry : report.machine().entrySet()) {
        json.writeStringField(entry.getKey(), entry.getValue());
      }
      json.writeEndObject();
      json.writeObjectFieldStart("parameters");
      for (Map.Entry<String, Object> entry : report.parameters().entrySet()) {
        json.writeFieldName(entry.getKey());
        value(json, entry.getValue());
      }
      json.writeEndObject();
      json.writeArrayFieldStart("tables");
      for (BenchReport.Table table : report.tables()) {
        json.writeStartObject();
        json.writeStringField("title", table.title());
        json.writeArrayFieldStart("rows");
        for (List<Object> row : table.rows()) {
          json.writeStartObject();
          for (int c = 0; c < row.size(); c++) {
            String unit = table.units().get(c);
            json.writeFieldName(key(table.columns().get(c), unit));
            value(json, row.get(c));
          }
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("notes");
      for (String note : report.notes()) {
        json.writeString(note);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return text.toString() + "\n";
  }

  /** "p50 latency" in "ms" becomes "p50_latency_ms". */
  static String key(String column, String unit) {
    String base = (unit.isEmpty() ? column : column + " " + unit).toLowerCase(Locale.ROOT)
        .replace("->", " to ").replace("%", "pct").replace("/", "_per_");
    return base.replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
  }

  private static void value(JsonGenerator json, Object value) throws IOException {
    if (value instanceof Double || value instanceof Float) {
      json.writeNumber(((Number) value).doubleValue());
    } else if (value instanceof Number number) {
      json.writeNumber(number.longValue());
    } else if (value instanceof List<?> list) {
      json.writeStartArray();
      for (Object item : list) {
        value(json, item);
      }
      json.writeEndArray();
    } else {
      json.writeString(String.valueOf(value));
    }
  }

  // ---- HTML --------------------------------------------------------------------------------------

  public static void writeHtml(BenchReport report, Path file) throws IOException {
    Files.writeString(file, html(report), StandardCharsets.UTF_8);
  }

  /** One page, no scripts and nothing fetched: inline CSS and SVG. */
  public static String html(BenchReport report) {
    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(escape(report.title())).append("</title>\n<style>\n")
        .append("body{font:15px/1.45 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}\n")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{padding:.25em .7em;border-bottom:1px solid #ddd}\n")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums}th{text-align:left;background:#f4f4f4}\n")
        .append("code{background:#f4f4f4;padding:.1em .3em}dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}\n")
        .append("dt{color:#666}svg text{font:12px system-ui,sans-serif}\n")
        .append("</style></head><body>\n");
    page.append("<h1>").append(escape(report.title())).append("</h1>\n");
    page.append("<p>Reproduce: <code>").append(escape(report.command())).append("</code></p>\n<dl>\n");
    for (Map.Entry<String, String> entry : report.machine().entrySet()) {
      page.append("<dt>").append(escape(entry.getKey())).append("</dt><dd>").append(escape(entry.getValue()))
          .append("</dd>\n");
    }
    for (Map.Entry<String, Object> entry : report.parameters().entrySet()) {
      page.append("<dt>").append(escape(entry.getKey())).append("</dt><dd>")
          .append(escape(format(entry.getValue()))).append("</dd>\n");
    }
    page.append("</dl>\n");
    for (BenchReport.Chart chart : report.charts()) {
      page.append("<h2>").append(escape(chart.title())).append("</h2>\n").append(svg(chart)).append('\n');
    }
    for (BenchReport.Table table : report.tables()) {
      page.append("<h2>").append(escape(table.title())).append("</h2>\n<table><tr>");
      for (int c = 0; c < table.columns().size(); c++) {
        String unit = table.units().get(c);
        page.append("<th>").append(escape(table.columns().get(c)))
            .append(unit.isEmpty() ? "" : " (" + escape(unit) + ")").append("</th>");
      }
      page.append("</tr>\n");
      for (List<Object> row : table.rows()) {
        page.append("<tr>");
        for (Object cell : row) {
          page.append(cell instanceof Number ? "<td class=\"n\">" : "<td>").append(escape(format(cell))).append("</td>");
        }
        page.append("</tr>\n");
      }
      page.append("</table>\n");
    }
    if (!report.notes().isEmpty()) {
      page.append("<h2>Method</h2>\n<ul>\n");
      report.notes().forEach(note -> page.append("<li>").append(escape(note)).append("</li>\n"));
      page.append("</ul>\n");
    }
    page.append("</body></html>\n");
    return page.toString();
  }

  static String svg(BenchReport.Chart chart) {
    int labelWidth = 230;
    int barArea = 560;
    int rowHeight = 24;
    int legendHeight = 22;
    Map<String, String> colours = new LinkedHashMap<>();
    for (BenchReport.Bar bar : chart.bars()) {
      colours.computeIfAbsent(bar.series(), s -> COLOURS[colours.size() % COLOURS.length]);
    }
    double max = chart.bars().stream().mapToDouble(BenchReport.Bar::value).max().orElse(1);
    if (max <= 0) {
      max = 1;
    }
    int width = labelWidth + barArea + 110;
    int height = legendHeight + rowHeight * chart.bars().size() + 8;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
        .append(height).append("\" role=\"img\" aria-label=\"").append(escape(chart.title())).append("\">");
    int x = labelWidth;
    for (Map.Entry<String, String> series : colours.entrySet()) {
      if (colours.size() > 1) {
        svg.append("<rect x=\"").append(x).append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"")
            .append(series.getValue()).append("\"/><text x=\"").append(x + 16).append("\" y=\"14\">")
            .append(escape(series.getKey())).append("</text>");
        x += 30 + 7 * series.getKey().length();
      }
    }
    int y = legendHeight;
    for (BenchReport.Bar bar : chart.bars()) {
      double length = Math.max(1, bar.value() / max * barArea);
      svg.append("<text x=\"").append(labelWidth - 8).append("\" y=\"").append(y + 16)
          .append("\" text-anchor=\"end\">").append(escape(bar.label())).append("</text>");
      svg.append("<rect x=\"").append(labelWidth).append("\" y=\"").append(y + 3).append("\" width=\"")
          .append(String.format(Locale.ROOT, "%.1f", length)).append("\" height=\"").append(rowHeight - 6)
          .append("\" fill=\"").append(colours.get(bar.series())).append("\"/>");
      svg.append("<text x=\"").append(String.format(Locale.ROOT, "%.1f", labelWidth + length + 6)).append("\" y=\"")
          .append(y + 16).append("\">").append(escape(format(bar.value()) + " " + chart.unit())).append("</text>");
      y += rowHeight;
    }
    svg.append("</svg>");
    return svg.toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

package xchat.simulator.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xchat.simulator.checker.Violation;
import xchat.simulator.world.RunResult;

/**
 * One self-contained HTML file for one run: a timeline as inline SVG with a lane per device and
 * per relay, showing when each message left a device and reached a relay, what each relay
 * stored, when each message reached (or left) each device, and every fault and violation. No
 * scripts, no network: hover a mark for its details.
 */
public final class HtmlReport {
  private static final int LANE = 26;
  private static final int LEFT = 150;
  private static final int WIDTH = 1500;
  private static final int MAX_MARKS = 40_000;

  private HtmlReport() {}

  public static String render(RunResult result, String flags, List<String> summaryRows) {
    Map<String, Integer> lanes = new LinkedHashMap<>();
    Map<String, String> urlToRelay = new LinkedHashMap<>();
    for (String device : result.devices()) {
      lanes.put(device, lanes.size());
    }
    result.relays().forEach((name, description) -> {
      String url = description.split(" ", 2)[0];
      urlToRelay.put(url, name);
      lanes.put(name, lanes.size());
    });
    long end = Math.max(1, result.simulatedMillis());
    int height = 40 + lanes.size() * LANE + 30;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns='http://www.w3.org/2000/svg' width='").append(LEFT + WIDTH + 20).append("' height='")
        .append(height).append("' font-family='monospace' font-size='11'>\n");
    long step = niceStep(end);
    for (long t = 0; t <= end; t += step) {
      double x = x(t, end);
      svg.append("<line x1='").append(f(x)).append("' y1='30' x2='").append(f(x)).append("' y2='").append(height - 25)
          .append("' stroke='#eee'/><text x='").append(f(x)).append("' y='22' text-anchor='middle' fill='#666'>")
          .append(t / 1000).append(" s</text>\n");
    }
    for (Map.Entry<String, Integer> lane : lanes.entrySet()) {
      int y = y(lane.getValue());
      boolean relay = result.relays().containsKey(lane.getKey());
      svg.append("<line x1='").append(LEFT).append("' y1='").append(y).append("' x2='").append(LEFT + WIDTH)
          .append("' y2='").append(y).append("' stroke='").append(relay ? "#c9d7e8" : "#d8e8c9").append("'/>")
          .append("<text x='5' y='").append(y + 4).append("'>").append(esc(lane.getKey())).append("</text>\n");
    }
    int marks = 0;
    for (Trace.Event event : result.trace()) {
      if (marks >= MAX_MARKS) {
        break;
      }
      String node = urlToRelay.getOrDefault(event.node(), event.node());
      String peer = event.peer() == null ? null : urlToRelay.getOrDefault(event.peer(), event.peer());
      Integer lane = lanes.get(node);
      double x = x(event.at(), end);
      String tip = esc(event.at() + " ms " + event.kind() + " " + node + (peer == null ? "" : " -> " + peer) + ": "
          + event.detail());
      switch (event.kind()) {
        case FRAME -> {
          if (!event.detail().startsWith("EVENT") || !event.detail().contains("kind 1059") || peer == null
              || !lanes.containsKey(peer) || lane == null) {
            continue;
          }
          long sentAt = sentAt(event.detail(), event.at());
          boolean toRelay = result.relays().containsKey(peer);
          svg.append("<line x1='").append(f(x(sentAt, end))).append("' y1='").append(y(lane)).append("' x2='")
              .append(f(x)).append("' y2='").append(y(lanes.get(peer))).append("' stroke='")
              .append(toRelay ? "#3b7dd8" : "#2e9e57").append("' stroke-opacity='0.45'><title>").append(tip)
              .append("</title></line>\n");
        }
        case LOST, DUPLICATED -> {
          if (lane == null) {
            continue;
          }
          svg.append(mark(x, y(lane), event.kind() == Trace.Kind.LOST ? "#d88a00" : "#9b59b6", "x", tip));
        }
        case STORED -> {
          if (lane == null) {
            continue;
          }
          svg.append(mark(x, y(lane), "#1f5fa8", "dot", tip));
        }
        case ENGINE -> {
          if (lane == null || !(event.detail().startsWith("added") || event.detail().startsWith("deleted")
              || event.detail().startsWith("expired"))) {
            continue;
          }
          String color = event.detail().startsWith("added") ? "#2e9e57" : event.detail().startsWith("deleted")
              ? "#000" : "#888";
          svg.append(mark(x, y(lane) - 6, color, "dot", tip));
        }
        case ACTION -> {
          if (lane == null) {
            continue;
          }
          svg.append(mark(x, y(lane) + 6, "#3b7dd8", "diamond", tip));
        }
        case FAULT, CONNECT_FAILED, DISCONNECT -> {
          if (lane == null && !event.node().equals("world")) {
            continue;
          }
          if (event.node().equals("world")) {
            svg.append("<line x1='").append(f(x)).append("' y1='30' x2='").append(f(x)).append("' y2='")
                .append(height - 25).append("' stroke='#2e9e57' stroke-dasharray='4 3'><title>").append(tip)
                .append("</title></line>\n");
          } else {
            String color = event.kind() == Trace.Kind.FAULT ? "#c0392b" : "#e08e8e";
            svg.append(mark(x, y(lane), color, event.kind() == Trace.Kind.FAULT ? "triangle" : "x", tip));
            if (peer != null && lanes.containsKey(peer) && event.kind() == Trace.Kind.FAULT) {
              svg.append("<line x1='").append(f(x)).append("' y1='").append(y(lane)).append("' x2='").append(f(x))
                  .append("' y2='").append(y(lanes.get(peer))).append("' stroke='#c0392b' stroke-dasharray='2 2'/>\n");
            }
          }
        }
        default -> {
          continue;
        }
      }
      marks++;
    }
    for (Violation violation : result.violations()) {
      double x = x(violation.at(), end);
      svg.append("<line x1='").append(f(x)).append("' y1='30' x2='").append(f(x)).append("' y2='")
          .append(height - 25).append("' stroke='red' stroke-width='2'><title>").append(esc(violation.toString()))
          .append("</title></line>\n");
    }
    svg.append("</svg>\n");

    StringBuilder html = new StringBuilder();
    html.append("<!doctype html>\n<html><head><meta charset='utf-8'><title>xchat simulation, seed ")
        .append(result.config().seed()).append("</title>\n<style>body{font-family:sans-serif;margin:20px;color:#222}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
            + "td:first-child,th:first-child{text-align:left}pre{background:#f6f6f6;padding:8px;overflow:auto}"
            + ".key span{display:inline-block;margin-right:14px}.svgbox{overflow-x:auto;border:1px solid #ddd}"
            + "</style></head><body>\n");
    html.append("<h1>xchat simulation, seed ").append(result.config().seed()).append("</h1>\n<p><code>")
        .append(esc(result.line())).append("</code></p>\n<p>Replay: <code>./xchat simulate --seed ")
        .append(result.config().seed()).append(' ').append(esc(flags)).append("</code></p>\n");
    html.append("<h2>Summary</h2>\n<table>");
    for (String row : summaryRows) {
      String[] cells = row.split("\t");
      html.append("<tr>");
      for (String cell : cells) {
        html.append("<td>").append(esc(cell)).append("</td>");
      }
      html.append("</tr>");
    }
    html.append("</table>\n");
    html.append("<h2>Timeline</h2>\n<p class='key'><span style='color:#3b7dd8'>&#9472; wrap leaves a device for a relay</span>"
        + "<span style='color:#2e9e57'>&#9472; wrap reaches a device</span><span style='color:#1f5fa8'>&#9679; relay stored</span>"
        + "<span style='color:#2e9e57'>&#9679; message added</span><span>&#9679; deleted</span>"
        + "<span style='color:#888'>&#9679; expired</span><span style='color:#3b7dd8'>&#9670; user action</span>"
        + "<span style='color:#c0392b'>&#9650; fault</span><span style='color:#e08e8e'>&#10005; socket broke / refused</span>"
        + "<span style='color:#d88a00'>&#10005; frame lost</span><span style='color:#2e9e57'>- - heal</span>"
        + "<span style='color:red'>| violation</span></p>\n");
    html.append("<div class='svgbox'>").append(svg).append("</div>\n");
    if (result.trace().size() > 0 && marks >= MAX_MARKS) {
      html.append("<p>Only the first ").append(MAX_MARKS).append(" marks are drawn.</p>\n");
    }
    html.append("<h2>Relays</h2>\n<table><tr><th>relay</th><th>URL and nature</th></tr>");
    result.relays().forEach((name, description) ->
        html.append("<tr><td>").append(esc(name)).append("</td><td>").append(esc(description)).append("</td></tr>"));
    html.append("</table>\n");
    html.append("<h2>Violations</h2>\n");
    if (result.ok()) {
      html.append("<p>None: all seven guarantees held, at every step and at quiescence, and every task ran on the simulation's thread.</p>\n");
    } else {
      html.append("<pre>").append(esc(FailureReport.of(result, flags))).append("</pre>\n<ul>");
      for (Violation violation : result.violations()) {
        html.append("<li>").append(esc(violation.toString())).append("</li>");
      }
      html.append("</ul>\n");
    }
    html.append("</body></html>\n");
    return html.toString();
  }

  private static long sentAt(String detail, long fallback) {
    int at = detail.lastIndexOf("(sent at ");
    if (at < 0) {
      return fallback;
    }
    try {
      return Long.parseLong(detail.substring(at + 9, detail.length() - 1));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static String mark(double x, int y, String color, String shape, String tip) {
    String body = switch (shape) {
      case "dot" -> "<circle cx='" + f(x) + "' cy='" + y + "' r='3' fill='" + color + "'>";
      case "diamond" -> "<path d='M" + f(x) + " " + (y - 4) + " l4 4 l-4 4 l-4 -4 z' fill='" + color + "'>";
      case "triangle" -> "<path d='M" + f(x) + " " + (y - 6) + " l5 9 l-10 0 z' fill='" + color + "'>";
      default -> "<path d='M" + f(x - 3) + " " + (y - 3) + " l6 6 m0 -6 l-6 6' stroke='" + color + "' stroke-width='2'>";
    };
    String close = shape.equals("dot") ? "</circle>" : "</path>";
    return body + "<title>" + tip + "</title>" + close + "\n";
  }

  private static double x(long at, long end) {
    return LEFT + (double) at * WIDTH / end;
  }

  private static int y(int lane) {
    return 40 + lane * LANE + LANE / 2;
  }

  private static String f(double value) {
    return String.format(java.util.Locale.ROOT, "%.1f", value);
  }

  private static long niceStep(long end) {
    long[] steps = {1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000};
    for (long step : steps) {
      if (end / step <= 20) {
        return step;
      }
    }
    return 1_200_000;
  }

  static String esc(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '\'' -> out.append("&#39;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The rows of the summary table: a header, then name and value pairs. */
  public static List<String> rows(List<RunResult> results, long wallMillis) {
    List<String> rows = new ArrayList<>();
    Summary summary = Summary.of(results, wallMillis);
    rows.add("seeds\t" + summary.seeds());
    rows.add("simulated time\t" + summary.simulatedSeconds() + " s");
    rows.add("events\t" + summary.events());
    rows.add("faults injected\t" + summary.faults());
    rows.add("violations\t" + summary.violations());
    rows.add("runs per second\t" + String.format(java.util.Locale.ROOT, "%.3f", summary.runsPerSecond()));
    rows.add("events per wall second\t" + String.format(java.util.Locale.ROOT, "%.0f", summary.eventsPerSecond()));
    return rows;
  }
}

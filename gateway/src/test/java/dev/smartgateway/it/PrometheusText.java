package dev.smartgateway.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scrape in Prometheus' text format (0.0.4), read into samples: what a test asks of {@code /metrics}. */
final class PrometheusText {

  /** One sample: {@code name{labels} value}. */
  record Sample(String name, Map<String, String> labels, double value) {
    boolean has(Map<String, String> wanted) {
      return labels.entrySet().containsAll(wanted.entrySet());
    }
  }

  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final List<Sample> samples = new ArrayList<>();
  private final String text;

  private PrometheusText(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        }
      }
      samples.add(new Sample(m.group(1), labels, number(m.group(3))));
    }
  }

  static PrometheusText parse(String text) {
    return new PrometheusText(text);
  }

  private static double number(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
  }

  /** Labels as {@code "k1", "v1", "k2", "v2"...}. */
  static Map<String, String> labels(String... pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }

  /** The samples of this name that have (at least) these labels. */
  List<Sample> samples(String name, String... labels) {
    Map<String, String> wanted = labels(labels);
    return samples.stream().filter(s -> s.name().equals(name) && s.has(wanted)).toList();
  }

  /** The sum of the samples of this name with these labels; 0 if there are none. */
  double sum(String name, String... labels) {
    return samples(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  /** The value of the one sample of this name with these labels; fails if there is not exactly one. */
  double value(String name, String... labels) {
    List<Sample> found = samples(name, labels);
    if (found.size() != 1) {
      throw new AssertionError("expected one sample " + name + labels(labels) + ", found " + found.size() + ": " + found);
    }
    return found.get(0).value();
  }

  /** Every sample name. */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    samples.forEach(s -> names.add(s.name()));
    return names;
  }

  /** The values a label takes on the samples of a name. */
  Set<String> values(String name, String label) {
    Set<String> values = new TreeSet<>();
    samples.stream().filter(s -> s.name().equals(name) && s.labels().containsKey(label))
        .forEach(s -> values.add(s.labels().get(label)));
    return values;
  }

  @Override
  public String toString() {
    return text;
  }
}

package dev.smartgateway.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;

/**
 * Turns YAML text into a Jackson tree, refusing what Jackson would otherwise accept silently wrong:
 * duplicate keys (YAML's "last one wins" lets a pasted block override another unseen), aliases
 * ({@code *name}: Jackson's streaming reader yields the alias name as a string instead of the anchored
 * value) and further documents after the first. Syntax errors name the line and column.
 */
final class YamlDocument {

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private YamlDocument() {
  }

  /** @return the root node; null or a missing node for an empty document */
  static JsonNode read(String yaml, String source) {
    try {
      refuseAliases(yaml, source);
      try (JsonParser parser = YAML.createParser(yaml)) {
        JsonNode root = YAML.readTree(parser);
        if (parser.nextToken() != null) {
          throw new ConfigException(source, "", at(parser.currentTokenLocation())
              + "a second YAML document (---); the configuration is one document");
        }
        return root;
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException(source, "", describe(e));
    } catch (IOException e) {
      throw new ConfigException(source, "", "cannot read the YAML (" + e + ")");
    }
  }

  private static void refuseAliases(String yaml, String source) throws IOException {
    try (YAMLParser parser = YAML.getFactory().createParser(yaml)) {
      while (parser.nextToken() != null) {
        if (parser.isCurrentAlias()) {
          throw new ConfigException(source, "", at(parser.currentTokenLocation()) + "YAML aliases (*"
              + parser.getText() + ") are not supported; write the value out");
        }
      }
    }
  }

  private static String describe(JsonProcessingException e) {
    // snakeyaml knows where the problem is; Jackson's own location can point at the start of the construct.
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      String context = yaml.getContext() == null ? ""
          : " (" + yaml.getContext() + (yaml.getContextMark() == null ? "" : " started at " + lineColumn(yaml.getContextMark())) + ")";
      return lineColumn(yaml.getProblemMark()) + ": " + yaml.getProblem() + context;
    }
    String message = e.getOriginalMessage() == null ? "invalid YAML" : e.getOriginalMessage();
    int newline = message.indexOf('\n');
    return at(e.getLocation()) + (newline < 0 ? message : message.substring(0, newline));
  }

  private static String lineColumn(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
  }
}

// YAML through yaml-cpp's event-level parser: no node tree, so aliases,
// duplicate keys and depth are checked as they stream past.
#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "parse/line_index.h"
#include "parse/readers.h"

namespace netlens {

namespace {

SourcePos pos_of(const YAML::Mark& mark) {
  if (mark.is_null()) {
    return {};
  }
  return {mark.line + 1, mark.column + 1};
}

// The first tab in the indentation of 1-based line `line` or the line before
// it: yaml-cpp names the tab for one layout only ("illegal block entry",
// "illegal map value" for the others).
std::optional<SourcePos> indentation_tab(std::string_view text, int line) {
  std::size_t start = 0;
  for (int l = 1; l <= line && start <= text.size(); ++l) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::size_t indent = text.find_first_not_of(" \t", start);
    const std::size_t tab = text.find('\t', start);
    if (l + 1 >= line && tab < std::min(indent, end)) {
      return SourcePos{l, static_cast<int>(tab - start) + 1};
    }
    start = end + 1;
  }
  return std::nullopt;
}

class Handler : public YAML::EventHandler {
 public:
  explicit Handler(DocBuilder& builder) : b_(builder) {}

  void OnDocumentStart(const YAML::Mark& mark) override { start_ = mark; }
  const YAML::Mark& start() const { return start_; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    b_.scalar(plain_scalar("", pos_of(mark)));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    b_.fail(pos_of(mark), "YAML aliases (*name) are not supported; write the value out");
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_anchor(mark, anchor);
    // yaml-cpp gives tag "!" for quoted scalars and "?" for plain ones.
    if (tag == "?") {
      b_.scalar(plain_scalar(value, pos_of(mark)));
      return;
    }
    if (tag != "!" && !tag.empty()) {
      b_.fail(pos_of(mark), fmt::format("YAML tags ({}) are not supported", tag));
    }
    b_.scalar(quoted_string(value, pos_of(mark)));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    b_.begin_seq(pos_of(mark));
  }
  void OnSequenceEnd() override { b_.end_container(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    b_.begin_map(pos_of(mark));
  }
  void OnMapEnd() override { b_.end_container(); }

 private:
  void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) {
      b_.fail(pos_of(mark), "YAML anchors (&name) are not supported; write the value out");
    }
  }
  void check_tag(const YAML::Mark& mark, const std::string& tag) {
    if (!tag.empty() && tag != "?" && tag != "!" && tag != "tag:yaml.org,2002:map" &&
        tag != "tag:yaml.org,2002:seq") {
      b_.fail(pos_of(mark), fmt::format("YAML tags ({}) are not supported", tag));
    }
  }
  DocBuilder& b_;
  YAML::Mark start_ = YAML::Mark::null_mark();
};

// yaml-cpp reads an unclosed run of '[' or '{' as nested implicit keys, so
// the depth limit is checked on the text first, at the first too-deep
// bracket. Quotes and comments are skipped; brackets inside plain scalars
// count too, which only matters past 64 of them.
void check_flow_depth(std::string_view text, const std::string& file) {
  int depth = 0;
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (comment) {
      comment = c != '\n';
    } else if (quote != 0) {
      if (c == '\\' && quote == '"') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '#' &&
               (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
      comment = true;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) {
        throw ParseError(file, LineIndex(text).at(i), "",
                         fmt::format("nesting deeper than {} levels", kMaxDepth));
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

}  // namespace

DocNode read_yaml(std::string_view text, const std::string& file, const LayerSink& sink) {
  {
    // No set_end: the fast reader takes a text only when it has a key, so
    // finish() never reports an empty spec (and counting the lines of a
    // 66 MB spec costs as much as checking it).
    DocBuilder builder(file, sink);
    if (read_simple_yaml(text, builder)) {
      return builder.finish();
    }
  }
  return read_yaml_with_yaml_cpp(text, file, sink);
}

DocNode read_yaml_with_yaml_cpp(std::string_view text, const std::string& file,
                                const LayerSink& sink) {
  check_flow_depth(text, file);
  DocBuilder builder(file, sink);
  builder.set_end(end_of_text(text));
  Handler handler(builder);
  std::istringstream in{std::string(text)};
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(handler);  // no document: finish() reports an empty spec
    // A second document is an error, not something to ignore.
    DocBuilder rest(file, nullptr);
    Handler rest_handler(rest);
    if (parser.HandleNextDocument(rest_handler)) {
      // yaml-cpp answers text it cannot read (",") with endless empty
      // documents that all start where the first did.
      if (rest_handler.start().pos == handler.start().pos) {
        throw ParseError(file, pos_of(handler.start()), "",
                         "invalid YAML: no value can be read here");
      }
      throw ParseError(file, pos_of(rest_handler.start()), "",
                       "more than one YAML document (a second '---')");
    }
  } catch (const YAML::Exception& e) {
    const SourcePos pos = pos_of(e.mark);
    if (const auto tab = pos.known() ? indentation_tab(text, pos.line) : std::nullopt) {
      throw ParseError(file, *tab, "",
                       "invalid YAML: a tab in the indentation (YAML indents with spaces only)");
    }
    // yaml-cpp's words for a line indented unlike its siblings, at that line.
    const bool indent = e.msg == "end of map not found" || e.msg == "end of sequence not found";
    throw ParseError(
        file, pos, "",
        fmt::format("invalid YAML: {}{}", e.msg,
                    indent ? " (is this line indented as the lines of its block are?)" : ""));
  }
  return builder.finish();
}

}  // namespace netlens

// Text -> Doc tree, for each input format. Errors are ParseErrors with a
// position; library exceptions never escape.
#pragma once

#include <string_view>
#include <vector>

#include "parse/doc.h"

namespace netlens {

// YAML: read_simple_yaml when the text is in its subset, else yaml-cpp.
DocNode read_yaml(std::string_view text, const std::string& file, const LayerSink& sink);
DocNode read_yaml_with_yaml_cpp(std::string_view text, const std::string& file,
                                const LayerSink& sink);
// The fast path (yaml_simple.cpp): feeds `builder` the events yaml-cpp would
// and returns true, or returns false having fed nothing.
bool read_simple_yaml(std::string_view text, DocBuilder& builder);
// JSON: read_simple_json when the text is in its subset, else nlohmann's SAX parser.
DocNode read_json(std::string_view text, const std::string& file, const LayerSink& sink);
DocNode read_json_with_nlohmann(std::string_view text, const std::string& file,
                                const LayerSink& sink);
// The fast path (json_simple.cpp): as read_simple_yaml, for JSON.
bool read_simple_json(std::string_view text, DocBuilder& builder);

// Where the text ends (the position LineIndex(text).at(text.size()) gives),
// without building a line index: where empty specs are reported.
SourcePos end_of_text(std::string_view text);

// Byte offset -> 1-based line and column (in bytes). Readers ask in text
// order, so the line of the last answer is tried first; else binary search.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  SourcePos at(std::size_t offset) const;

 private:
  std::vector<std::size_t> line_starts_;
  mutable std::size_t last_line_ = 1;  // 1-based
};

}  // namespace netlens

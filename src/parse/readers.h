// Text -> Doc tree, for each input format. Errors are ParseErrors with a
// position; library exceptions never escape.
#pragma once

#include <string_view>

#include "parse/doc.h"

namespace netlens {

// YAML: read_simple_yaml when the text is in its subset, else yaml-cpp.
DocNode read_yaml(std::string_view text, const std::string& file, const LayerSink& sink);
DocNode read_yaml_with_yaml_cpp(std::string_view text, const std::string& file,
                                const LayerSink& sink);
// The fast path (yaml_simple.cpp): feeds `builder` the events yaml-cpp would
// and returns true, or returns false having fed nothing.
bool read_simple_yaml(std::string_view text, DocBuilder& builder);
// JSON, through nlohmann's SAX parser (json_reader.cpp).
DocNode read_json(std::string_view text, const std::string& file, const LayerSink& sink);

}  // namespace netlens

// Positions in a spec's text: byte offset -> line and column, for messages.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace netlens {

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

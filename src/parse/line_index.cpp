#include "parse/line_index.h"

#include <algorithm>

namespace netlens {

SourcePos end_of_text(std::string_view text) {
  const auto lines = std::count(text.begin(), text.end(), '\n');
  const std::size_t last = text.rfind('\n');
  const std::size_t start = last == std::string_view::npos ? 0 : last + 1;
  return {static_cast<int>(lines) + 1, static_cast<int>(text.size() - start) + 1};
}

LineIndex::LineIndex(std::string_view text) {
  line_starts_.push_back(0);
  for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1)) {
    line_starts_.push_back(i + 1);
  }
}

SourcePos LineIndex::at(std::size_t offset) const {
  std::size_t line = last_line_;
  const auto starts_line = [&](std::size_t l) {
    return line_starts_[l - 1] <= offset && (l == line_starts_.size() || offset < line_starts_[l]);
  };
  if (!starts_line(line) && !(line < line_starts_.size() && starts_line(++line))) {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    line = static_cast<std::size_t>(it - line_starts_.begin());
  }
  last_line_ = line;
  return {static_cast<int>(line), static_cast<int>(offset - line_starts_[line - 1] + 1)};
}

}  // namespace netlens

#include "model/error.h"

#include <fmt/format.h>

namespace netlens {

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7F) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
  bool ok = len != 0 && i + len <= text.size();
  for (std::size_t k = 1; ok && k < len; ++k) {
    ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
  }
  if (ok && len > 1) {
    // Reject overlong forms, surrogates and code points past U+10FFFF.
    const auto c1 = static_cast<unsigned char>(text[i + 1]);
    ok = !(len == 2 && c < 0xC2) && !(len == 3 && c == 0xE0 && c1 < 0xA0) &&
         !(len == 3 && c == 0xED && c1 >= 0xA0) && !(len == 4 && c == 0xF0 && c1 < 0x90) &&
         !(len == 4 && (c > 0xF4 || (c == 0xF4 && c1 >= 0x90)));
  }
  return ok ? len : 0;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_sequence(text, i);
    out.append(len == 0 ? std::string_view("\xEF\xBF\xBD") : text.substr(i, len));
    i += len == 0 ? 1 : len;
  }
  return out;
}

std::string format_location(const std::string& file, SourcePos pos) {
  if (!pos.known()) {
    return file.empty() ? std::string() : fmt::format("{}: ", file);
  }
  return fmt::format("{}:{}:{}: ", file, pos.line, pos.column);
}

ParseError::ParseError(std::string file, SourcePos pos, std::string path, std::string message)
    : Error(format_location(file, pos) + (path.empty() ? "" : path + ": ") + message),
      file_(std::move(file)),
      pos_(pos),
      path_(std::move(path)),
      message_(std::move(message)) {}

ModelError::ModelError(std::string file, SourcePos pos, std::string layer, std::string message)
    : Error(format_location(file, pos) + fmt::format("layer '{}': {}", layer, message)),
      file_(std::move(file)),
      pos_(pos),
      layer_(std::move(layer)),
      message_(std::move(message)) {}

}  // namespace netlens

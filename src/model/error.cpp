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

std::string format_location(const std::string& file, SourcePos pos) {
  if (!pos.known()) {
    return file.empty() ? std::string() : fmt::format("{}: ", file);
  }
  return fmt::format("{}:{}:{}: ", file, pos.line, pos.column);
}

namespace {
std::string parse_what(const std::string& file, SourcePos pos, const std::string& path,
                       const std::string& message) {
  std::string out = format_location(file, pos);
  if (!path.empty()) {
    out += path + ": ";
  }
  return out + message;
}
}  // namespace

ParseError::ParseError(std::string file, SourcePos pos, std::string path, std::string message)
    : Error(parse_what(file, pos, path, message)),
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

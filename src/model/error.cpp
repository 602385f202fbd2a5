#include "model/error.h"

#include <fmt/format.h>

namespace netlens {

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
      layer_(std::move(layer)),
      message_(std::move(message)) {}

}  // namespace netlens

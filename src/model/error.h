// The one small error hierarchy of netlens, caught in one place (cli/main.cpp).
// what() is the complete message after "netlens: error: ".
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace netlens {

// A position in a spec file; 1-based, 0 when unknown.
struct SourcePos {
  int line = 0;
  int column = 0;
  bool known() const { return line > 0; }
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A message made safe for one terminal line: control characters (newlines
// of a multi-line YAML scalar, tabs, escapes) become \n, \t, \xNN.
std::string one_line(std::string_view text);

// The length of the UTF-8 sequence at text[i] (1 to 4); 0 when it is not
// one: a stray continuation byte, a truncated, overlong or surrogate form,
// a code point past U+10FFFF.
std::size_t utf8_sequence(std::string_view text, std::size_t i);
// `text` with every byte that starts no UTF-8 sequence replaced by U+FFFD:
// names from a binary file (an ONNX node's) stay printable and JSON-safe.
std::string valid_utf8(std::string_view text);

// "FILE:LINE:COL: " or "FILE: " when the position is unknown.
std::string format_location(const std::string& file, SourcePos pos);

// Bad spec text: carries the file, position and key path (layers[3].stride).
class ParseError : public Error {
 public:
  ParseError(std::string file, SourcePos pos, std::string path, std::string message);
  const std::string& file() const { return file_; }
  SourcePos pos() const { return pos_; }
  const std::string& path() const { return path_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  SourcePos pos_;
  std::string path_;
  std::string message_;
};

// An exceeded limit (--max-layers): reading stops at once, so it is never
// one of the errors a spec's layer entries collect.
class LimitError : public ParseError {
 public:
  using ParseError::ParseError;
};

// A well-formed spec that describes an impossible net: carries the layer.
class ModelError : public Error {
 public:
  ModelError(std::string file, SourcePos pos, std::string layer, std::string message);
  const std::string& file() const { return file_; }
  SourcePos pos() const { return pos_; }
  const std::string& layer() const { return layer_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  SourcePos pos_;
  std::string layer_;
  std::string message_;
};

// A window larger than its (padded) input on `axis`: analyze() adds the
// smallest input size on that axis at which every window fits.
class InputTooSmall : public ModelError {
 public:
  InputTooSmall(std::string file, SourcePos pos, std::string layer, std::string message,
                std::size_t axis)
      : ModelError(std::move(file), pos, std::move(layer), std::move(message)), axis_(axis) {}
  std::size_t axis() const { return axis_; }

 private:
  std::size_t axis_;
};

// Several independent errors of one spec, each printed on its own line;
// what() is the first.
class ErrorList : public Error {
 public:
  explicit ErrorList(std::vector<std::string> messages)
      : Error(messages.front()), messages_(std::move(messages)) {}
  const std::vector<std::string>& messages() const { return messages_; }

 private:
  std::vector<std::string> messages_;
};

// Bad command-line usage that CLI11 cannot see (exit status 2).
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace netlens

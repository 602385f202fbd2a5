// A fast reader for the JSON that specs are written in. nlohmann's SAX lexer
// builds every key and number one character at a time, and its handler finds
// each event's position by scanning back (json_reader.cpp): 0.95 us a layer,
// against the fast YAML reader's 0.54. This reader takes a strict subset,
// checked in full before any event is sent, so anything else goes to nlohmann
// untouched (and so does every error):
//
//   an object at the top level; objects, arrays, true, false, null;
//   strings of printable ASCII without escapes (0x20-0x7E but '"' and '\');
//   numbers as JSON writes them, integers of up to 18 digits, finite floats;
//   spaces, tabs, CRs and newlines between tokens; nesting up to kMaxDepth.
//
// The events and positions are those json_reader.cpp sends
// (tests/unit/test_parse_json_simple.cpp compares the two readers on every
// spec and corpus file; fuzz/fuzz_json_simple.cpp does so on any input).
#include <cmath>
#include <cstdlib>

#include "parse/readers.h"

namespace netlens {

namespace {

constexpr int kMaxDigits = 18;  // any 18-digit integer fits in 64 bits

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// One pass over the text. Without a builder it only checks that the whole text
// is in the subset, so a text that falls back has sent nothing.
class SimpleJson {
 public:
  SimpleJson(std::string_view text, DocBuilder* builder) : text_(text), b_(builder) {}

  bool run() {
    skip_spaces();
    if (peek() != '{' || !value(0)) {
      return false;
    }
    skip_spaces();
    return at_end();
  }

 private:
  bool at_end() const { return i_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[i_]; }
  SourcePos pos() const { return {line_, static_cast<int>(i_ - line_start_) + 1}; }

  void skip_spaces() {
    while (!at_end() && is_space(text_[i_])) {
      if (text_[i_] == '\n') {
        ++line_;
        line_start_ = i_ + 1;
      }
      ++i_;
    }
  }

  // What may follow a scalar: a number or literal runs into anything else.
  bool at_delimiter() const {
    const char c = peek();
    return at_end() || is_space(c) || c == ',' || c == '}' || c == ']';
  }

  bool value(int depth) {
    switch (peek()) {
      case '{':
      case '[':
        return container(depth + 1);
      case '"':
        return string_value();
      case 't':
        return literal("true", DocNode::Kind::Bool, true);
      case 'f':
        return literal("false", DocNode::Kind::Bool, false);
      case 'n':
        return literal("null", DocNode::Kind::Null, false);
      default:
        return number();
    }
  }

  // {"key": value, ...} or [value, ...].
  bool container(int depth) {
    if (depth > kMaxDepth) {
      return false;  // DocBuilder's error, through nlohmann (which does not recurse)
    }
    const bool map = peek() == '{';
    const char close = map ? '}' : ']';
    if (b_ != nullptr) {
      map ? b_->begin_map(pos()) : b_->begin_seq(pos());
    }
    ++i_;
    skip_spaces();
    if (peek() != close) {
      while (true) {
        if (map) {
          const SourcePos at = pos();
          std::string_view key;
          if (!string(key)) {
            return false;
          }
          if (b_ != nullptr) {
            b_->key(std::string(key), at);
          }
          skip_spaces();
          if (peek() != ':') {
            return false;
          }
          ++i_;
          skip_spaces();
        }
        if (!value(depth)) {
          return false;
        }
        skip_spaces();
        if (peek() != ',') {
          break;
        }
        ++i_;
        skip_spaces();
      }
    }
    if (peek() != close) {
      return false;
    }
    ++i_;
    if (b_ != nullptr) {
      b_->end_container();
    }
    return true;
  }

  // A string without escapes, its quotes included; `out` is what is inside.
  bool string(std::string_view& out) {
    if (peek() != '"') {
      return false;
    }
    const std::size_t start = ++i_;
    while (!at_end() && text_[i_] != '"') {
      const char c = text_[i_];
      if (c < 0x20 || c > 0x7E || c == '\\') {
        return false;
      }
      ++i_;
    }
    if (at_end()) {
      return false;
    }
    out = text_.substr(start, i_ - start);
    ++i_;
    return true;
  }

  bool string_value() {
    const SourcePos at = pos();
    std::string_view s;
    if (!string(s)) {
      return false;
    }
    if (b_ != nullptr) {
      DocNode n;
      n.kind = DocNode::Kind::String;
      n.quoted = true;
      n.pos = at;
      n.text = std::string(s);
      b_->scalar(std::move(n));
    }
    return true;
  }

  bool literal(std::string_view word, DocNode::Kind kind, bool bool_value) {
    const SourcePos at = pos();
    if (text_.substr(i_, word.size()) != word) {
      return false;
    }
    i_ += word.size();
    if (!at_delimiter()) {
      return false;
    }
    if (b_ != nullptr) {
      DocNode n;
      n.kind = kind;
      n.pos = at;
      n.text = std::string(word);
      n.bool_value = bool_value;
      b_->scalar(std::move(n));
    }
    return true;
  }

  // -?(0|[1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?, the JSON grammar; an
  // integer of more than 18 digits or a float that overflows falls back.
  bool number() {
    const SourcePos at = pos();
    const std::size_t start = i_;
    const bool negative = peek() == '-';
    if (negative) {
      ++i_;
    }
    const std::size_t int_start = i_;
    std::int64_t value = 0;
    while (is_digit(peek())) {
      if (i_ - int_start < kMaxDigits) {  // a longer one falls back, or is a float's
        value = value * 10 + (text_[i_] - '0');
      }
      ++i_;
    }
    const std::size_t int_digits = i_ - int_start;
    if (int_digits == 0 || (int_digits > 1 && text_[int_start] == '0')) {
      return false;
    }
    bool is_float = false;
    if (peek() == '.') {
      ++i_;
      is_float = true;
      if (!digits()) {
        return false;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      ++i_;
      is_float = true;
      if (peek() == '+' || peek() == '-') {
        ++i_;
      }
      if (!digits()) {
        return false;
      }
    }
    if (!at_delimiter() || (!is_float && int_digits > kMaxDigits)) {
      return false;
    }
    const std::string_view written = text_.substr(start, i_ - start);
    double float_value = 0.0;
    if (is_float) {
      // nlohmann reads floats with strtod too, and rejects what overflows.
      float_value = std::strtod(std::string(written).c_str(), nullptr);
      if (!std::isfinite(float_value)) {
        return false;
      }
    }
    if (b_ != nullptr) {
      DocNode n;
      n.kind = is_float ? DocNode::Kind::Float : DocNode::Kind::Int;
      n.pos = at;
      n.text = std::string(written);
      n.int_value = is_float ? 0 : negative ? -value : value;
      n.float_value = float_value;
      b_->scalar(std::move(n));
    }
    return true;
  }

  // [0-9]+
  bool digits() {
    const std::size_t start = i_;
    while (is_digit(peek())) {
      ++i_;
    }
    return i_ > start;
  }

  std::string_view text_;
  DocBuilder* b_;
  std::size_t i_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 1;
};

}  // namespace

bool read_simple_json(std::string_view text, DocBuilder& builder) {
  if (!SimpleJson(text, nullptr).run()) {
    return false;
  }
  SimpleJson(text, &builder).run();
  return true;
}

}  // namespace netlens

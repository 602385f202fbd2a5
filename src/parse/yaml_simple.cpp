// A fast reader for the plain, line-per-layer YAML that netlens' own nets and
// generated specs are written in. yaml-cpp's scanner costs about a thousand
// instructions a byte; this reader costs a few tens, and halves the run of the
// bigger bundled nets (resnet152: 13.7 -> 6.5 ms). It accepts only a strict
// subset, checked in full before any event is sent, so anything else goes to
// yaml-cpp untouched:
//
//   # comments and blank lines
//   key: TOKEN | {flow map} | [flow seq]        top level, at column 1
//   key:                                        then a block list of
//     - {flow map} | [flow seq]                 flow collections, one per line
//
// A TOKEN is [A-Za-z0-9_.+-]+ (no spaces, quotes, '#' or ':'), a flow
// collection closes on its own line, ':' is followed by a space, and a comment
// comes after a space. Tabs, CR, control and non-ASCII bytes, quotes, anchors, tags,
// directives and multi-line values all fall back. The events and positions
// are those yaml-cpp sends (tests/unit/test_parse_yaml_simple.cpp compares the
// two readers on every spec and corpus file).
#include <algorithm>
#include <array>

#include "parse/readers.h"
#include "parse/spec_text.h"

namespace netlens {

namespace {

// [A-Za-z0-9_.+-], as a table: tokens are most of the bytes of a spec.
constexpr std::array<bool, 256> kTokenChar = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<std::size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                         (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                                         c == '+' || c == '-';
  }
  return table;
}();

bool is_token_char(char c) { return kTokenChar[static_cast<unsigned char>(c)]; }

// One pass over the text. Without a builder it only checks that the whole text
// is in the subset, so a text that falls back has sent nothing.
class SimpleYaml {
 public:
  SimpleYaml(std::string_view text, DocBuilder* builder) : text_(text), b_(builder) {}

  bool run() {
    bool any_key = false;
    while (!at_end()) {
      if (skip_blank_or_comment_line()) {
        continue;
      }
      if (column() != 0 || !top_level_entry(any_key)) {
        return false;
      }
    }
    if (!any_key) {
      return false;  // empty or comments only: yaml-cpp's messages
    }
    if (b_ != nullptr) {
      b_->end_container();
    }
    return true;
  }

 private:
  bool at_end() const { return i_ >= text_.size(); }
  char peek() const { return at_end() ? '\n' : text_[i_]; }
  std::size_t column() const { return i_ - line_start_; }
  SourcePos pos() const { return {line_, static_cast<int>(column()) + 1}; }

  // A line of spaces, optionally ending in a comment: skipped whole.
  bool skip_blank_or_comment_line() {
    const std::size_t k = std::min(text_.find_first_not_of(' ', i_), text_.size());
    if (k < text_.size() && text_[k] != '\n' && text_[k] != '#') {
      return false;
    }
    i_ = k;
    return end_of_line(false);
  }

  // Past optional spaces and a comment, then the newline (or the end).
  bool end_of_line(bool need_space_before_comment) {
    const std::size_t before = i_;
    skip_spaces();
    if (peek() == '#') {
      if (need_space_before_comment && i_ == before) {
        return false;
      }
      while (!at_end() && text_[i_] != '\n') {
        ++i_;
      }
    }
    if (at_end()) {
      return true;
    }
    if (text_[i_] != '\n') {
      return false;
    }
    ++i_;
    ++line_;
    line_start_ = i_;
    return true;
  }

  // [A-Za-z0-9_.+-]+, not "-" alone and not starting "--" or "..": those
  // are YAML indicators (an item, a document marker) rather than text.
  bool token(bool as_key) {
    const std::size_t start = i_;
    while (!at_end() && is_token_char(text_[i_])) {
      ++i_;
    }
    const std::string_view t = text_.substr(start, i_ - start);
    if (t.empty() || t == "-" || t.rfind("--", 0) == 0 || t.rfind("..", 0) == 0) {
      return false;
    }
    if (as_key && (t[0] == '-' || t[0] == '.')) {
      return false;
    }
    if (b_ != nullptr) {
      // yaml-cpp sends a null as an empty scalar (OnNull), not as the text.
      const bool null = t == "null" || t == "Null" || t == "NULL";
      const SourcePos at{line_, static_cast<int>(start - line_start_) + 1};
      if (as_key && !null) {
        b_->key(std::string(t), at);  // what scalar() does with a key, without the classifying
      } else {
        b_->scalar(plain_scalar(null ? "" : t, at));
      }
    }
    return true;
  }

  void skip_spaces() {
    while (peek() == ' ') {
      ++i_;
    }
  }

  // TOKEN | {..} | [..], on the current line.
  bool flow_value() {
    if (peek() == '{' || peek() == '[') {
      return flow_collection();
    }
    return token(false);
  }

  bool flow_collection() {
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
          if (!token(true) || peek() != ':') {
            return false;
          }
          ++i_;
          if (peek() != ' ') {
            return false;
          }
          skip_spaces();
        }
        if (!flow_value()) {
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

  // key: value, or key: and a block list below.
  bool top_level_entry(bool& any_key) {
    if (!any_key && b_ != nullptr) {
      b_->begin_map(pos());
    }
    any_key = true;
    if (!token(true) || peek() != ':') {
      return false;
    }
    ++i_;
    if (peek() == ' ') {
      skip_spaces();
      if (peek() != '#' && peek() != '\n') {
        return flow_value() && end_of_line(true);
      }
    }
    return end_of_line(true) && block_list();
  }

  // Items "- {..}" at one indentation, comments and blank lines between.
  bool block_list() {
    std::size_t indent = std::string_view::npos;
    bool any = false;
    while (!at_end()) {
      if (skip_blank_or_comment_line()) {
        continue;
      }
      const std::size_t k = std::min(text_.find_first_not_of(' ', i_), text_.size());
      if (k == i_ && text_[k] != '-') {
        break;  // the next top-level key
      }
      if (indent == std::string_view::npos) {
        indent = k - i_;
      }
      if (k - i_ != indent || k + 1 >= text_.size() || text_[k] != '-' || text_[k + 1] != ' ') {
        return false;
      }
      i_ = k;
      if (!any && b_ != nullptr) {
        b_->begin_seq(pos());
      }
      any = true;
      i_ += 2;
      skip_spaces();
      if ((peek() != '{' && peek() != '[') || !flow_collection() || !end_of_line(true)) {
        return false;
      }
    }
    if (any && b_ != nullptr) {
      b_->end_container();
    }
    return any;
  }

  std::string_view text_;
  DocBuilder* b_;
  std::size_t i_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 1;
};

}  // namespace

bool read_simple_yaml(std::string_view text, DocBuilder& builder) {
  // Printable ASCII and newlines only: yaml-cpp has its own rules for tabs,
  // CR, control characters (a NUL ends its stream) and UTF-8.
  for (std::size_t i = skip_printable_ascii(text, 0); i < text.size();
       i = skip_printable_ascii(text, i + 1)) {
    if (text[i] != '\n') {
      return false;
    }
  }
  if (!SimpleYaml(text, nullptr).run()) {
    return false;
  }
  SimpleYaml(text, &builder).run();
  return true;
}

}  // namespace netlens

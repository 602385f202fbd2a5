// JSON through nlohmann's SAX interface. nlohmann reports no positions to a SAX
// handler, so the input iterator records how far the lexer has read, and each
// event finds its token's first byte by scanning back from there.
#include <fmt/format.h>

#include <iterator>
#include <nlohmann/json.hpp>

#include "parse/line_index.h"
#include "parse/readers.h"

namespace netlens {

namespace {

// An input iterator that publishes its position to `head` as it advances.
struct TrackingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* p = nullptr;
  const char** head = nullptr;

  reference operator*() const { return *p; }
  TrackingIterator& operator++() {
    ++p;
    *head = p;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator old = *this;
    ++*this;
    return old;
  }
  // nlohmann compares with !=, which C++20 derives from == (clang flags an
  // unused == when both are written).
  friend bool operator==(const TrackingIterator& a, const TrackingIterator& b) {
    return a.p == b.p;
  }
};

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

class Handler : public nlohmann::json_sax<nlohmann::json> {
 public:
  Handler(std::string_view text, DocBuilder& b, const std::string& file)
      : text_(text), lines_(text), b_(b), file_(file), head_(text.data()) {}

  const char** head() { return &head_; }
  SourcePos end_pos() const { return lines_.at(text_.size()); }

  bool null() override { return scalar(literal_start(), DocNode::Kind::Null); }
  bool boolean(bool val) override {
    return scalar(literal_start(), DocNode::Kind::Bool, &DocNode::bool_value, val);
  }
  bool number_integer(number_integer_t val) override {
    return scalar(number_start(), DocNode::Kind::Int, &DocNode::int_value, std::int64_t{val});
  }
  bool number_unsigned(number_unsigned_t val) override {
    if (val > static_cast<number_unsigned_t>(INT64_MAX)) {
      return scalar(number_start(), DocNode::Kind::Float, &DocNode::float_value,
                    static_cast<double>(val));
    }
    return scalar(number_start(), DocNode::Kind::Int, &DocNode::int_value,
                  static_cast<std::int64_t>(val));
  }
  bool number_float(number_float_t val, const string_t&) override {
    return scalar(number_start(), DocNode::Kind::Float, &DocNode::float_value, double{val});
  }
  bool string(string_t& val) override {
    b_.scalar(quoted_string(std::move(val), lines_.at(string_start())));
    return true;
  }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    b_.begin_map(lines_.at(offset() - 1));
    return true;
  }
  bool key(string_t& val) override {
    b_.key(std::move(val), lines_.at(string_start()));
    return true;
  }
  bool end_object() override {
    b_.end_container();
    return true;
  }
  bool start_array(std::size_t) override {
    b_.begin_seq(lines_.at(offset() - 1));
    return true;
  }
  bool end_array() override {
    b_.end_container();
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: msg"
    std::string msg = ex.what();
    const std::size_t colon = msg.find(": ");
    if (colon != std::string::npos) {
      msg = msg.substr(colon + 2);
    }
    const std::size_t at = offset() == 0 ? 0 : offset() - 1;
    throw ParseError(file_, lines_.at(at), "", fmt::format("invalid JSON: {}", msg));
  }

 private:
  std::size_t offset() const { return static_cast<std::size_t>(head_ - text_.data()); }

  // The lexer stands right after a string's closing quote: find the opening
  // one, the first quote back that is not escaped.
  std::size_t string_start() const {
    std::size_t i = offset() - 1;
    while (i > 0) {
      --i;
      if (text_[i] == '"') {
        std::size_t slashes = 0;
        while (i >= slashes + 1 && text_[i - slashes - 1] == '\\') {
          ++slashes;
        }
        if (slashes % 2 == 0) {
          return i;
        }
      }
    }
    return 0;
  }
  // A number ends one look-ahead character before the lexer (unless at EOF).
  std::size_t number_start() const {
    std::size_t i = offset();
    if (i > 0 && !is_number_char(text_[i - 1])) {
      --i;
    }
    while (i > 0 && is_number_char(text_[i - 1])) {
      --i;
    }
    return i;
  }
  std::size_t literal_start() const {
    std::size_t i = offset();
    while (i > 0 && text_[i - 1] >= 'a' && text_[i - 1] <= 'z') {
      --i;
    }
    return i;
  }
  // A scalar of `kind` from `start`, with `field` (when given) set to `value`.
  template <class T = bool>
  bool scalar(std::size_t start, DocNode::Kind kind, T DocNode::*field = nullptr, T value = {}) {
    DocNode n;
    n.kind = kind;
    n.pos = lines_.at(start);
    n.text = std::string(text_.substr(start, offset() - start));
    while (!n.text.empty() && !is_number_char(n.text.back()) &&
           !(n.text.back() >= 'a' && n.text.back() <= 'z')) {
      n.text.pop_back();  // the look-ahead character after a number
    }
    if (field != nullptr) {
      n.*field = value;
    }
    b_.scalar(std::move(n));
    return true;
  }

  std::string_view text_;
  LineIndex lines_;
  DocBuilder& b_;
  const std::string& file_;
  const char* head_;
};

}  // namespace

DocNode read_json(std::string_view text, const std::string& file, const LayerSink& sink) {
  DocBuilder builder(file, sink);
  Handler handler(text, builder, file);
  builder.set_end(handler.end_pos());
  TrackingIterator first{text.data(), handler.head()};
  TrackingIterator last{text.data() + text.size(), handler.head()};
  nlohmann::json::sax_parse(first, last, &handler);
  return builder.finish();
}

}  // namespace netlens

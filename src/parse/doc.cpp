#include "parse/doc.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

namespace netlens {

const DocNode* DocNode::find(std::string_view key) const {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) {
      return &items[i];
    }
  }
  return nullptr;
}

const char* kind_name(DocNode::Kind kind) {
  static constexpr std::array kNames{"null",     "a boolean", "an integer", "a number",
                                     "a string", "a list",    "a mapping"};
  return kNames[static_cast<std::size_t>(kind)];
}

DocBuilder::DocBuilder(std::string file, LayerSink sink)
    : file_(std::move(file)), sink_(std::move(sink)) {}

void DocBuilder::fail(SourcePos pos, const std::string& message) const {
  throw ParseError(file_, pos, "", message);
}

bool DocBuilder::expecting_key() const {
  return !stack_.empty() && stack_.back().node.kind == DocNode::Kind::Map &&
         !stack_.back().have_key;
}

void DocBuilder::begin(DocNode::Kind kind, SourcePos pos) {
  if (expecting_key()) {
    fail(pos, "a mapping or list where a key should be (an unclosed quote or bracket before?)");
  }
  if (static_cast<int>(stack_.size()) >= kMaxDepth) {
    fail(pos, fmt::format("nesting deeper than {} levels", kMaxDepth));
  }
  Frame frame;
  // A layer has a handful of keys: room for seven once, not growth four times
  // (7 DocNodes stay under the 1 KB blocks that malloc recycles fastest).
  if (kind == DocNode::Kind::Map) {
    frame.node.items.reserve(7);
    frame.node.keys.reserve(7);
    frame.node.key_pos.reserve(7);
  }
  frame.node.kind = kind;
  frame.node.pos = pos;
  // The value of the root mapping's `layers` key is streamed to the sink.
  frame.is_layers = kind == DocNode::Kind::Seq && stack_.size() == 1 &&
                    stack_[0].node.kind == DocNode::Kind::Map && stack_[0].have_key &&
                    stack_[0].node.keys.back() == "layers";
  stack_.push_back(std::move(frame));
}

void DocBuilder::begin_map(SourcePos pos) { begin(DocNode::Kind::Map, pos); }
void DocBuilder::begin_seq(SourcePos pos) { begin(DocNode::Kind::Seq, pos); }

void DocBuilder::end_container() {
  Frame frame = std::move(stack_.back());
  stack_.pop_back();
  if (frame.is_layers) {
    frame.node.int_value = static_cast<std::int64_t>(frame.streamed);
  }
  add_value(std::move(frame.node));  // a layer entry goes to the sink
}

void DocBuilder::key(std::string key, SourcePos pos) {
  Frame& frame = stack_.back();
  DocNode& map = frame.node;
  // Maps are small and a scan is quickest; a hostile one with thousands of
  // keys gets a set, so that checking stays linear.
  constexpr std::size_t kScanKeys = 16;
  if (map.keys.size() == kScanKeys) {
    frame.key_set.insert(map.keys.begin(), map.keys.end());
  }
  const bool repeated = map.keys.size() < kScanKeys
                            ? std::find(map.keys.begin(), map.keys.end(), key) != map.keys.end()
                            : !frame.key_set.insert(key).second;
  if (repeated) {
    const std::size_t i = static_cast<std::size_t>(
        std::find(map.keys.begin(), map.keys.end(), key) - map.keys.begin());
    fail(pos, fmt::format("duplicate key '{}' (first at line {}, column {})", key,
                          map.key_pos[i].line, map.key_pos[i].column));
  }
  map.keys.push_back(std::move(key));
  map.key_pos.push_back(pos);
  frame.have_key = true;
}

void DocBuilder::scalar(DocNode&& node) {
  if (expecting_key()) {
    if (node.kind == DocNode::Kind::Null && node.text.empty()) {
      fail(node.pos, "empty mapping key");
    }
    key(std::move(node.text), node.pos);
    return;
  }
  add_value(std::move(node));
}

void DocBuilder::add_value(DocNode&& node) {
  if (stack_.empty()) {
    if (have_root_) {
      fail(node.pos, "more than one document");
    }
    root_ = std::move(node);
    have_root_ = true;
    return;
  }
  Frame& frame = stack_.back();
  if (frame.node.kind == DocNode::Kind::Map) {
    frame.node.items.push_back(std::move(node));
    frame.have_key = false;
  } else if (frame.is_layers && sink_) {
    sink_(node, frame.streamed++);
  } else {
    frame.node.items.push_back(std::move(node));
  }
}

DocNode DocBuilder::finish() {
  if (!have_root_) {
    fail(end_, "empty spec");
  }
  return std::move(root_);
}

DocNode quoted_string(std::string text, SourcePos pos) {
  DocNode node;
  node.kind = DocNode::Kind::String;
  node.quoted = true;
  node.pos = pos;
  node.text = std::move(text);
  return node;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// [-+]?[0-9]+ with (`leading_zero`) or without a 0 before more digits: 010 is
// not decimal.
bool is_int(std::string_view t, bool leading_zero) {
  const std::size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
  return i < t.size() && std::all_of(t.begin() + i, t.end(), is_digit) &&
         (t[i] == '0' && t.size() > i + 1) == leading_zero;
}

// [-+]? ( \.[0-9]+ | [0-9]+ (\.[0-9]*)? ) ([eE][-+]?[0-9]+)?
bool is_float(std::string_view t) {
  std::size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
  const auto skip_digits = [&] {
    const std::size_t from = i;
    while (i < t.size() && is_digit(t[i])) {
      ++i;
    }
    return i - from;
  };
  std::size_t digits = skip_digits();
  if (i < t.size() && t[i] == '.') {
    ++i;
    digits += skip_digits();
  }
  if (digits == 0) {
    return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) {
      ++i;
    }
    if (skip_digits() == 0) {
      return false;
    }
  }
  return i == t.size();
}

}  // namespace

DocNode plain_scalar(std::string_view t, SourcePos pos) {
  DocNode node;
  node.pos = pos;
  node.text = t;  // before strtoll and strtod, which need the terminating NUL
  // Most scalars are names and small numbers: settled before the comparisons
  // below (a third of reading a bundled net's YAML).
  const char first = t.empty() ? '\0' : t[0];
  const bool digits = std::all_of(t.begin(), t.end(), is_digit);
  if (first >= '1' && first <= '9' && t.size() < 18 && digits) {
    node.kind = DocNode::Kind::Int;
    for (char c : t) {
      node.int_value = node.int_value * 10 + (c - '0');  // < 18 digits: no overflow
    }
    return node;
  }
  if (std::isalpha(static_cast<unsigned char>(first)) != 0 &&
      (t.size() > 5 || std::string_view("nNtTfF").find(first) == std::string_view::npos)) {
    node.kind = DocNode::Kind::String;  // not null, true or false: a name
    return node;
  }
  const char* text = node.text.c_str();
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") {
    node.kind = DocNode::Kind::Null;
  } else if (t == "true" || t == "True" || t == "TRUE") {
    node.kind = DocNode::Kind::Bool;
    node.bool_value = true;
  } else if (t == "false" || t == "False" || t == "FALSE") {
    node.kind = DocNode::Kind::Bool;
  } else if (is_int(t, true)) {
    node.kind = DocNode::Kind::String;  // 010: not decimal, and YAML 1.1 would say octal
  } else if (is_int(t, false)) {
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text, &end, 10);
    if (errno == ERANGE) {
      node.kind = DocNode::Kind::Float;  // out of int64 range: a (huge) number
      node.float_value = std::strtod(text, nullptr);
    } else {
      node.kind = DocNode::Kind::Int;
      node.int_value = v;
    }
  } else if (is_float(t)) {
    node.kind = DocNode::Kind::Float;
    node.float_value = std::strtod(text, nullptr);
  } else if (t == ".inf" || t == ".Inf" || t == ".INF" || t == "+.inf" || t == "-.inf" ||
             t == ".nan" || t == ".NaN" || t == ".NAN") {
    node.kind = DocNode::Kind::Float;
    node.float_value = t == "-.inf" ? -HUGE_VAL : (t[1] == 'n' || t[1] == 'N') ? NAN : HUGE_VAL;
  } else {
    node.kind = DocNode::Kind::String;
  }
  return node;
}

}  // namespace netlens

// Doc: a format-neutral tree of a YAML or JSON spec with the position of every
// node and key, so every later error can point at the line. Both readers build
// it through DocBuilder, which also enforces the structural rules (duplicate
// keys, nesting depth) in one place.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/error.h"

namespace netlens {

struct DocNode {
  enum class Kind : std::uint8_t { Null, Bool, Int, Float, String, Seq, Map };
  Kind kind = Kind::Null;
  bool quoted = false;  // a YAML quoted scalar or a JSON string: never a number
  SourcePos pos;
  std::string text;  // the scalar as written (the value, for strings)
  std::int64_t int_value = 0;
  double float_value = 0.0;
  bool bool_value = false;
  std::vector<DocNode> items;     // Seq items; Map values
  std::vector<std::string> keys;  // Map keys, parallel to items
  std::vector<SourcePos> key_pos;

  // The value of `key` in a Map, or nullptr.
  const DocNode* find(std::string_view key) const;
};

const char* kind_name(DocNode::Kind kind);

// Called with each finished item of the top-level `layers` list, which is then
// dropped from the tree: the spec is never held twice, as a tree and a Net.
using LayerSink = std::function<void(const DocNode& item, std::size_t index)>;

inline constexpr int kMaxDepth = 64;

class DocBuilder {
 public:
  DocBuilder(std::string file, LayerSink sink);

  void begin_map(SourcePos pos);
  void begin_seq(SourcePos pos);
  void end_container();
  void key(std::string key, SourcePos pos);  // JSON: keys are separate events
  void scalar(DocNode&& node);               // YAML: a scalar in key position is a key
  bool expecting_key() const;
  DocNode finish();
  // Where an empty document is reported: the end of the text.
  void set_end(SourcePos end) { end_ = end; }

  [[noreturn]] void fail(SourcePos pos, const std::string& message) const;

 private:
  struct Frame {
    DocNode node;
    bool have_key = false;     // Map: a key waits for its value
    std::size_t streamed = 0;  // the layers list: items handed to the sink
    bool is_layers = false;
    std::unordered_set<std::string> key_set;  // Map: its keys, once it has many
  };
  void add_value(DocNode&& node);
  void begin(DocNode::Kind kind, SourcePos pos);

  std::string file_;
  LayerSink sink_;
  std::vector<Frame> stack_;
  DocNode root_;
  bool have_root_ = false;
  SourcePos end_;
};

// A quoted scalar (a YAML quoted scalar, a JSON string): always a string.
DocNode quoted_string(std::string text, SourcePos pos);

// Classifies a plain (unquoted) YAML scalar by the YAML 1.2 core schema, with
// integers strictly decimal: "010" and "0x10" stay strings.
DocNode plain_scalar(std::string_view text, SourcePos pos);

}  // namespace netlens

// Typed reads of Doc nodes with the key path for messages: every wrong type,
// range or form becomes a ParseError at the node's position.
#pragma once

#include <cstdint>
#include <string>

#include "model/layer.h"
#include "parse/doc.h"

namespace netlens {

class FieldReader {
 public:
  explicit FieldReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const DocNode& node, const std::string& path,
                         const std::string& message) const {
    fail_at(node.pos, path, message);
  }
  [[noreturn]] void fail_at(SourcePos pos, const std::string& path,
                            const std::string& message) const {
    throw ParseError(file_, pos, path, message);
  }

  // Fails at key `i` of `map` unless it is one of `allowed`.
  void check_key(const DocNode& map, std::size_t i, const std::string& path,
                 const std::vector<std::string>& allowed) const;
  std::int64_t integer(const DocNode& node, const std::string& path, std::int64_t min) const;
  double number(const DocNode& node, const std::string& path) const;
  bool boolean(const DocNode& node, const std::string& path) const;
  std::string string(const DocNode& node, const std::string& path) const;
  // An int (every axis) or a list of 1 to 3 ints (one per axis).
  AxisParam<std::int64_t> axis_ints(const DocNode& node, const std::string& path,
                                    std::int64_t min) const;
  AxisParam<double> axis_numbers(const DocNode& node, const std::string& path) const;
  // An int or a list of ints (dims of a reduction or permute), each >= min.
  std::vector<std::int64_t> int_list(const DocNode& node, const std::string& path,
                                     std::int64_t min) const;
  PaddingParam padding(const DocNode& node, const std::string& path) const;
  // A layer name or a non-empty list of them (inputs, outputs), appended to
  // `names` with where each is written.
  void names(const DocNode& node, const std::string& path, std::vector<std::string>& names,
             std::vector<SourcePos>& pos) const;

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

// "'3.0'" style quoting of a scalar for messages.
std::string describe(const DocNode& node);

}  // namespace netlens

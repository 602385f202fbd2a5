#include "model/report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

namespace netlens {

const std::string& Report::node_name(std::size_t id) const {
  static const std::string kInput = "input";
  return id == 0 ? kInput : net.layers[id - 1].name;
}

namespace {
struct DTypeInfo {
  DType dtype;
  const char* name;
  std::int64_t bytes;
};
constexpr std::array<DTypeInfo, 4> kDTypes{{{DType::Float32, "float32", 4},
                                            {DType::Float16, "float16", 2},
                                            {DType::BFloat16, "bfloat16", 2},
                                            {DType::Int8, "int8", 1}}};
}  // namespace

const char* dtype_name(DType dtype) { return kDTypes[static_cast<std::size_t>(dtype)].name; }

std::int64_t dtype_bytes(DType dtype) { return kDTypes[static_cast<std::size_t>(dtype)].bytes; }

std::optional<DType> dtype_from_name(std::string_view name) {
  for (const DTypeInfo& d : kDTypes) {
    if (name == d.name) {
      return d.dtype;
    }
  }
  return std::nullopt;
}

const char* axis_name(std::size_t rank, std::size_t axis) {
  static const char* const kNames[3][3] = {{"l"}, {"h", "w"}, {"d", "h", "w"}};
  return kNames[std::clamp<std::size_t>(rank, 1, 3) - 1][axis];
}

std::string axis_phrase(const std::vector<std::size_t>& axes, std::size_t rank) {
  if (axes.size() == 1) {
    return fmt::format("axis {}", axis_name(rank, axes[0]));
  }
  if (axes.size() == rank) {
    return "every axis";
  }
  std::vector<const char*> names;
  for (std::size_t a : axes) {
    names.push_back(axis_name(rank, a));
  }
  return fmt::format("axes {}", fmt::join(names, " and "));
}

namespace {
constexpr std::array<const char*, kWarningKinds> kKindNames{
    "misaligned",      "unread-input", "padding-only",  "dead-layer",    "rf-exceeds-input",
    "regions-skipped", "roles-lost",   "assumed-batch", "guessed-branch"};
}  // namespace

const char* warning_kind_name(WarningKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<WarningKind> warning_kind_from_name(std::string_view name) {
  if (name == "whole-tensor") {
    return WarningKind::RolesLost;  // its name until the roles were kept through reshapes
  }
  for (std::size_t k = 0; k < kWarningKinds; ++k) {
    if (name == kKindNames[k]) {
      return static_cast<WarningKind>(k);
    }
  }
  return std::nullopt;
}

std::string format_size(const PerAxis<std::int64_t>& size) {
  return fmt::format("{}", fmt::join(size, "x"));
}

std::string format_shape(const Shape& shape) {
  if (shape.is_whole()) {
    return fmt::format("[{}]", fmt::join(shape.dims, ", "));
  }
  if (!shape.has_positions()) {
    return std::to_string(shape.channels);
  }
  if (shape.is_tokens()) {
    const std::string extra =
        shape.extra_tokens > 0 ? fmt::format("+{}", shape.extra_tokens) : std::string();
    return fmt::format("{}x({}{} tokens)", shape.channels, format_size(shape.size), extra);
  }
  return fmt::format("{}x{}", shape.channels, format_size(shape.size));
}

std::vector<std::int64_t> tensor_shape(const Shape& shape, std::int64_t batch) {
  if (shape.is_whole()) {
    return shape.dims;
  }
  std::vector<std::int64_t> dims{batch};
  if (shape.is_tokens()) {
    std::int64_t cells = 1;
    for (const std::int64_t n : shape.size) {
      cells *= n;  // no overflow: the engine counted the elements
    }
    const std::int64_t length = shape.extra_tokens + cells;
    dims.push_back(shape.channels_last() ? length : shape.channels);
    dims.push_back(shape.channels_last() ? shape.channels : length);
    return dims;
  }
  if (!shape.channels_last()) {
    dims.push_back(shape.channels);
  }
  dims.insert(dims.end(), shape.size.begin(), shape.size.end());
  if (shape.channels_last()) {
    dims.push_back(shape.channels);
  }
  return dims;
}

}  // namespace netlens

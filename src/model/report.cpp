#include "model/report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace netlens {

const std::string& Report::node_name(std::size_t id) const {
  static const std::string kInput = "input";
  return id == 0 ? kInput : net.layers[id - 1].name;
}

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::Float32:
      return "float32";
    case DType::Float16:
      return "float16";
    case DType::BFloat16:
      return "bfloat16";
    case DType::Int8:
      return "int8";
  }
  return "float32";
}

std::optional<DType> dtype_from_name(std::string_view name) {
  for (DType d : {DType::Float32, DType::Float16, DType::BFloat16, DType::Int8}) {
    if (name == dtype_name(d)) {
      return d;
    }
  }
  return std::nullopt;
}

std::int64_t dtype_bytes(DType dtype) {
  switch (dtype) {
    case DType::Float32:
      return 4;
    case DType::Float16:
    case DType::BFloat16:
      return 2;
    case DType::Int8:
      return 1;
  }
  return 4;
}

const char* axis_name(std::size_t rank, std::size_t axis) {
  static const char* const kOne[] = {"l"};
  static const char* const kTwo[] = {"h", "w"};
  static const char* const kThree[] = {"d", "h", "w"};
  switch (rank) {
    case 1:
      return kOne[axis];
    case 2:
      return kTwo[axis];
    default:
      return kThree[axis];
  }
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

const char* warning_kind_name(WarningKind kind) {
  switch (kind) {
    case WarningKind::Misaligned:
      return "misaligned";
    case WarningKind::UnreadInput:
      return "unread-input";
    case WarningKind::PaddingOnly:
      return "padding-only";
    case WarningKind::DeadLayer:
      return "dead-layer";
    case WarningKind::RfExceedsInput:
      return "rf-exceeds-input";
    case WarningKind::RegionsSkipped:
      return "regions-skipped";
  }
  return "warning";
}

std::string format_size(const PerAxis<std::int64_t>& size) {
  return fmt::format("{}", fmt::join(size, "x"));
}

std::string format_shape(const Shape& shape) {
  if (shape.flat) {
    return std::to_string(shape.channels);
  }
  return fmt::format("{}x{}", shape.channels, format_size(shape.size));
}

}  // namespace netlens

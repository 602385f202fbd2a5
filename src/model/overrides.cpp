#include "model/overrides.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace netlens {

namespace {

// "224x?" (`sep` "x") or "1, ?, 224" (", "): an unknown dim is ?.
std::string dims_text(const auto& dims, const std::string& sep) {
  std::string out;
  for (const std::int64_t d : dims) {
    out += (out.empty() ? "" : sep) + (d == kUnknownDim ? "?" : std::to_string(d));
  }
  return out;
}

// --input replaces the input's size; a 1-D or 2-D input keeps its rank
// (--input 224 on a 224x224 net is square), and another number of axes is
// refused: 3x224x224 is PyTorch's C x H x W, not a 3-D input.
void override_size(Net& net, const InputOverrides& o) {
  const PerAxis<std::int64_t>& size = o.size;
  const std::size_t rank = net.input_size_scalar ? 0 : net.input_size.size();
  if (rank != 0 && size.size() != 1 && size.size() != rank) {
    // One axis more: the channels when the first (C x H x W) or the last
    // (H x W x C) is the smallest; else the size wants the net's rank.
    std::string hint;
    const auto smallest = [&](std::int64_t v) {
      return std::count_if(size.begin(), size.end(), [&](std::int64_t d) { return d <= v; }) == 1;
    };
    if (size.size() == rank + 1 && (smallest(size[0]) || smallest(size[size.size() - 1]))) {
      const bool first = smallest(size[0]);
      hint = fmt::format(
          ": the channels go in --channels, as in --input {} --channels {}",
          dims_text(std::vector(size.begin() + (first ? 1 : 0), size.end() - (first ? 0 : 1)), "x"),
          first ? size[0] : size[size.size() - 1]);
    } else if (size.size() > rank + 1) {
      hint = ": the channels go in --channels";
    } else if (size.size() > rank) {
      hint = fmt::format(": give {} size{}, as in --input {}", rank, rank == 1 ? "" : "s",
                         dims_text(std::vector(size.begin(), size.begin() + rank), "x"));
    }
    throw UsageError(fmt::format("--input {} has {} axes but {}'s input has {} ({}){}", o.input,
                                 size.size(), net.name, rank, dims_text(net.input_size, "x"),
                                 hint));
  }
  net.input_size_scalar = size.size() == 1 && rank == 0;
  net.input_size = size.size() == 1 && rank != 0 ? PerAxis<std::int64_t>(rank, size[0]) : size;
}

}  // namespace

void apply_input_overrides(Net& net, const InputOverrides& o) {
  const bool input = !o.size.empty();
  if ((input || o.channels) && net.input_dims) {
    throw UsageError(fmt::format(
        "{}: the input of {} is a whole tensor ([{}]), without spatial axes or channels",
        input ? "--input" : "--channels", net.name, dims_text(*net.input_dims, ", ")));
  }
  if (o.channels && net.input_no_channels) {
    throw UsageError(
        fmt::format("--channels: the input of {} has no channel axis (channels: null)", net.name));
  }
  if (input && net.input_flat) {
    throw UsageError(fmt::format(
        "--input: the input of {} is [batch, features], without spatial axes", net.name));
  }
  if (input) {
    override_size(net, o);
  }
  if (o.channels) {
    net.channels = *o.channels;
  }
  if (o.batch) {
    net.batch = *o.batch;
    if (net.input_dims && !net.input_dims->empty()) {
      net.input_dims->front() = *o.batch;
    }
  }
  if (o.convention) {
    net.convention = *o.convention;
  }
}

}  // namespace netlens

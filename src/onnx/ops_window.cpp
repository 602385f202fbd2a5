// Operators that slide a window: Conv, ConvTranspose, the pools, Pad.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "engine/dims.h"
#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

// The spatial axes of (N, C, D1...Dn) as ONNX reads a tensor: a layout's
// own, or a whole tensor's dims after the first two, whatever they hold
// (engine/whole_window_rules.cpp).
std::size_t spatial_rank(NodeContext& c, const Value& x) {
  const std::size_t n = c.dims(x).size();
  if (x.shape.is_whole() && n >= 3 && n <= 5) {
    return n - 2;
  }
  if (!x.shape.has_positions() || x.shape.channels_last() || x.shape.size.empty()) {
    c.fail(fmt::format("needs a (batch, channels, spatial...) input, got [{}]",
                       fmt::join(c.dims(x), ", ")));
  }
  return x.shape.size.size();
}

std::int64_t channels_of(NodeContext& c, const Value& x) {
  return x.shape.is_whole() ? c.dims(x)[1] : x.shape.channels;
}

AxisParam<std::int64_t> per_axis(NodeContext& c, const std::vector<std::int64_t>& v,
                                 std::size_t rank, const char* what) {
  if (v.size() != rank) {
    c.fail(fmt::format("{} has {} values for {} spatial axes", what, v.size(), rank));
  }
  for (std::int64_t x : v) {
    if (x < 1) {
      c.fail(fmt::format("{} must be >= 1 (got {})", what, x));
    }
  }
  return listed<AxisParam<std::int64_t>>(v);
}

std::vector<std::int64_t> ints_or(NodeContext& c, const char* name, std::size_t rank,
                                  std::int64_t fallback) {
  return c.attr_ints(name).value_or(std::vector<std::int64_t>(rank, fallback));
}

// pads [x1_begin, x2_begin, ..., x1_end, x2_end, ...] and auto_pad.
PaddingParam padding(NodeContext& c, std::size_t rank) {
  PaddingParam p;
  p.given = true;
  const std::string mode = c.attr_string("auto_pad", "NOTSET");
  if (mode == "SAME_UPPER" || mode == "SAME_LOWER" || mode == "VALID") {
    p.mode = mode == "VALID"        ? PadMode::Valid
             : mode == "SAME_UPPER" ? PadMode::Same
                                    : PadMode::SameLower;
    p.values.push_back({0, 0});
    return p;
  }
  if (mode != "NOTSET" && !mode.empty()) {
    c.fail(fmt::format("auto_pad '{}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID", mode));
  }
  const std::vector<std::int64_t> pads = ints_or(c, "pads", 2 * rank, 0);
  if (pads.size() != 2 * rank) {
    c.fail(fmt::format("pads has {} values; {} spatial axes need {}", pads.size(), rank, 2 * rank));
  }
  p.scalar = false;
  for (std::size_t k = 0; k < rank; ++k) {
    if (pads[k] < 0 || pads[k + rank] < 0) {
      c.fail(fmt::format("pads [{}] has a negative value", fmt::join(pads, ", ")));
    }
    p.values.push_back({pads[k], pads[k + rank]});
  }
  return p;
}

// The weight's dims: [M, C/g, k...] for Conv, [C, M/g, k...] for ConvTranspose.
const std::vector<std::int64_t>& weight_dims(NodeContext& c, std::size_t rank) {
  const Value& w = c.constant(1);
  if (w.dims.size() != rank + 2) {
    c.fail(fmt::format("weight '{}' has dims [{}]; a {}-D conv needs {}", c.node().input(1),
                       fmt::join(w.dims, ", "), rank, rank + 2));
  }
  return w.dims;
}

// ConvTranspose's output_padding, and output_shape, which fixes the total
// padding: out = s (n - 1) + op + ke - pads.
void transposed_output(NodeContext& c, const Value& x, std::size_t rank, Layer& l) {
  std::vector<std::int64_t> out_pad = ints_or(c, "output_padding", rank, 0);
  if (out_pad.size() != rank) {
    c.fail("output_padding has the wrong number of values");
  }
  if (const auto shape = c.attr_ints("output_shape")) {
    std::vector<std::int64_t> sizes(shape->end() - static_cast<long>(rank), shape->end());
    std::vector<std::array<std::int64_t, 2>> pads;
    const bool upper = c.attr_string("auto_pad", "NOTSET") == "SAME_UPPER";
    for (std::size_t k = 0; k < rank && shape->size() >= rank; ++k) {
      const std::int64_t ke =
          l.window->dilation.values[k] * (l.window->kernel_size.values[k] - 1) + 1;
      const std::int64_t total =
          l.window->stride.values[k] * (c.dims(x)[k + 2] - 1) + out_pad[k] + ke - sizes[k];
      if (total < 0) {
        out_pad[k] -= total;
        pads.push_back({0, 0});
      } else {
        pads.push_back(upper ? std::array<std::int64_t, 2>{total / 2, total - total / 2}
                             : std::array<std::int64_t, 2>{total - total / 2, total / 2});
      }
    }
    l.window->padding = listed<PaddingParam>(pads);
  }
  if (std::any_of(out_pad.begin(), out_pad.end(), [](std::int64_t v) { return v != 0; })) {
    l.extra->output_padding = listed<AxisParam<std::int64_t>>(out_pad);
  }
}

}  // namespace

// Conv, ConvTranspose.
void convert_conv(NodeContext& c, std::string_view type) {
  const bool transposed = type == "conv_transpose";
  const Value& x = c.activation(0);
  const std::size_t rank = spatial_rank(c, x);
  const std::vector<std::int64_t>& w = weight_dims(c, rank);
  const std::int64_t group = c.attr_int("group", 1);
  if (group < 1) {
    c.fail(fmt::format("group must be >= 1 (got {})", group));
  }
  const std::int64_t in_per_group = transposed ? 0 : w[1];
  const std::int64_t channels = channels_of(c, x);
  if (!transposed && channels != in_per_group * group) {
    c.fail(
        fmt::format("weight '{}' is [{}]: {} input channels in {} group(s), but the input "
                    "has {}",
                    c.node().input(1), fmt::join(w, ", "), in_per_group * group, group, channels));
  }
  if (transposed && channels != w[0]) {
    c.fail(fmt::format("weight '{}' is [{}]: {} input channels, but the input has {}",
                       c.node().input(1), fmt::join(w, ", "), w[0], channels));
  }
  Layer l = new_layer(type);
  l.out_channels = transposed ? w[1] * group : w[0];
  l.groups = group;
  l.bias = c.has_input(2);
  const std::vector<std::int64_t> kernel(w.begin() + 2, w.end());
  l.window->kernel_size =
      per_axis(c, c.attr_ints("kernel_shape").value_or(kernel), rank, "kernel_shape");
  l.window->stride = per_axis(c, ints_or(c, "strides", rank, 1), rank, "strides");
  l.window->dilation = per_axis(c, ints_or(c, "dilations", rank, 1), rank, "dilations");
  l.window->padding = padding(c, rank);
  if (transposed) {
    transposed_output(c, x, rank, l);
  }
  c.emit(std::move(l), {&x});
}

void convert_pool(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  const std::size_t rank = spatial_rank(c, x);
  const auto kernel = c.attr_ints("kernel_shape");
  if (!kernel) {
    c.fail("kernel_shape is missing");
  }
  Layer l = new_layer(type);
  l.window->kernel_size = per_axis(c, *kernel, rank, "kernel_shape");
  l.window->stride = per_axis(c, ints_or(c, "strides", rank, 1), rank, "strides");
  if (type == "maxpool") {
    l.window->dilation = per_axis(c, ints_or(c, "dilations", rank, 1), rank, "dilations");
  } else if (ints_or(c, "dilations", rank, 1) != std::vector<std::int64_t>(rank, 1)) {
    c.fail("an average pool with dilations is not supported");
  }
  l.window->padding = padding(c, rank);
  l.window->ceil_mode = c.attr_int("ceil_mode", 0) != 0;
  // The Indices output has Y's shape: the same layer makes it.
  c.forward(c.emit(std::move(l), {&x}), 1);
}

// A global pool; on a whole tensor (Swin's NCHW after its permutes)
// the same reduction over dims 2.., keeping them.
void convert_global_pool(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  if (x.shape.is_whole() && c.dims(x).size() >= 3) {
    Layer l = new_layer(type == "global_maxpool" ? "amax" : "mean");
    for (std::size_t k = 2; k < c.dims(x).size(); ++k) {
      l.extra->dims.push_back(static_cast<std::int64_t>(k));
    }
    l.extra->keepdim = true;
    c.emit(std::move(l), {&x});
    return;
  }
  spatial_rank(c, x);
  c.emit(new_layer(type), {&x});
}

// Pad: pads on every axis (batch and channels must be 0), as an attribute
// (opset < 11) or the second input.
void convert_pad(NodeContext& c, std::string_view /*type: "pad"*/) {
  const Value& x = c.activation(0);
  std::vector<std::int64_t> pads =
      c.opset() < 11
          ? c.attr_ints(c.opset() < 2 ? "paddings" : "pads").value_or(std::vector<std::int64_t>{})
          : c.ints(1);
  const std::size_t n = c.dims(x).size();
  if (c.opset() >= 18 && c.has_input(3)) {
    // pads for the listed axes only
    const std::vector<std::int64_t> axes = c.ints(3);
    std::vector<std::int64_t> full(2 * n, 0);
    if (pads.size() != 2 * axes.size()) {
      c.fail("pads and axes disagree");
    }
    for (std::size_t k = 0; k < axes.size(); ++k) {
      const std::size_t a = dims::axis(axes[k], n);
      full[a] = pads[k];
      full[a + n] = pads[k + axes.size()];
    }
    pads = full;
  }
  if (pads.size() != 2 * n) {
    c.fail(fmt::format("pads has {} values; a {}-D tensor needs {}", pads.size(), n, 2 * n));
  }
  // ONNX's modes by the names PyTorch's padding_mode gives them.
  const std::string mode = c.attr_string("mode", "constant");
  emit_pad(c, x, pads,
           mode == "reflect" ? "reflect"
           : mode == "edge"  ? "replicate"
           : mode == "wrap"  ? "circular"
                             : "zeros");
}

void emit_pad(NodeContext& c, const Value& x, const std::vector<std::int64_t>& pads,
              const std::string& padding_mode) {
  const std::size_t n = c.dims(x).size();
  if (std::all_of(pads.begin(), pads.end(), [](std::int64_t v) { return v == 0; })) {
    c.emit(new_layer("identity"), {&x});  // whatever the layout (Swin's pad to whole windows)
    return;
  }
  // The spatial axes: 2.. channels first, 1..n-2 channels last.
  const bool last = x.shape.channels_last();
  const std::size_t first = last ? 1 : 2;
  if (!last) {
    spatial_rank(c, x);
  }
  const std::size_t channel = last ? n - 1 : 1;
  if (pads[0] != 0 || pads[channel] != 0 || pads[n] != 0 || pads[n + channel] != 0) {
    c.fail(fmt::format("pads [{}] pad the batch or channel axis; netlens pads spatial axes",
                       fmt::join(pads, ", ")));
  }
  std::vector<std::array<std::int64_t, 2>> spatial;
  for (std::size_t k = first; k < first + n - 2; ++k) {
    if (pads[k] < 0 || pads[k + n] < 0) {
      c.fail(fmt::format("pads [{}] has a negative value (a crop)", fmt::join(pads, ", ")));
    }
    spatial.push_back({pads[k], pads[k + n]});
  }
  Layer l = new_layer("pad");
  l.window->padding = listed<PaddingParam>(spatial);
  l.extra->padding_mode = padding_mode;
  c.emit(std::move(l), {&x});
}

}  // namespace netlens::onnx_reader

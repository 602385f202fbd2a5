// Operators that contract, cut, join, resize or reduce data: Gemm, MatMul,
// Concat, Slice, Split, Resize, the reductions, DepthToSpace / SpaceToDepth,
// Tile, Expand, Gather. A form no role names (docs/semantics.md, "Whole
// tensors") becomes a layer on the whole tensor: matmul, expand, tile,
// gather, or the layer with a `dim` on the whole tensor.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>

#include "engine/dims.h"
#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

// The ONNX axis of the channels of `x`.
std::int64_t channel_axis(NodeContext& c, const Value& x) {
  return x.shape.channels_last() ? static_cast<std::int64_t>(c.dims(x).size()) - 1 : 1;
}

void linear(NodeContext& c, const Value& x, std::int64_t in, std::int64_t out, bool bias) {
  const std::vector<std::int64_t> d = c.dims(x);
  const std::int64_t features = x.shape.is_whole() ? (d.empty() ? 0 : d.back()) : x.shape.channels;
  if (features != in) {
    c.fail(fmt::format("the weight '{}' takes {} features, but the input {} has {}",
                       c.node().input(1), in, dims::text(d), features));
  }
  Layer l = new_layer("linear");
  l.out_channels = out;
  l.bias = bias;
  c.emit(std::move(l), {&x});
}

// Resize's mode and coordinate transformation as netlens' upsample modes:
// linear -> bilinear, cubic -> bicubic; nearest is PyTorch's (asymmetric,
// floor) or ONNX's default (half_pixel, round_prefer_floor): nearest_exact.
void read_resize_mode(NodeContext& c, Layer& l) {
  const std::string mode = c.attr_string("mode", "nearest");
  const std::string coords = c.attr_string("coordinate_transformation_mode", "half_pixel");
  if (mode == "linear" || mode == "bilinear" || mode == "trilinear") {
    l.extra->mode = UpsampleMode::Bilinear;
  } else if (mode == "cubic") {
    l.extra->mode = UpsampleMode::Bicubic;
  } else {
    const std::string nearest = c.attr_string("nearest_mode", "round_prefer_floor");
    const bool floor =
        c.op() == "Upsample" || c.opset() < 11 || (coords == "asymmetric" && nearest == "floor");
    l.extra->mode = floor ? UpsampleMode::Nearest : UpsampleMode::NearestExact;
  }
  l.extra->align_corners = coords == "align_corners" && l.extra->mode != UpsampleMode::Nearest &&
                           l.extra->mode != UpsampleMode::NearestExact;
}

}  // namespace

void convert_gemm(NodeContext& c, std::string_view /*type*/) {
  const Value* x = &c.activation(0);
  const Value& w = c.constant(1);
  if (c.attr_int("transA", 0) != 0) {  // A transposed first: a whole tensor
    Layer t = new_layer("permute");
    t.extra->dims = {1, 0};
    x = &c.emit(std::move(t), {x}, -1, ".transpose");
  }
  if (x->shape.has_positions() || w.dims.size() != 2) {
    c.fail(fmt::format("needs a 2-D input and weight, got {} and {}", dims::text(c.dims(*x)),
                       dims::text(w.dims)));
  }
  const bool trans = c.attr_int("transB", 0) != 0;
  linear(c, *x, trans ? w.dims[1] : w.dims[0], trans ? w.dims[0] : w.dims[1], c.has_input(2));
}

// By a 2-D constant on the features: a linear layer; any other: a matmul
// of the whole tensors (a constant operand read through its layer).
void convert_matmul(NodeContext& c, std::string_view type) {
  const Value& x = c.operand(0);
  const Value& w = c.input(1);
  const bool on_features = !x.shape.has_positions() || x.shape.channels_last();
  if (!c.input(0).constant && w.constant && w.dims.size() == 2 && on_features) {
    linear(c, x, w.dims[0], w.dims[1], false);
    return;
  }
  const Value& y = c.operand(1);
  c.emit(new_layer(type), {&x, &y});
}

// On the channels: a concat; on another axis, or with a constant operand
// (read through its layer): a concat of the whole tensors on that dim.
void convert_concat(NodeContext& c, std::string_view type) {
  std::vector<const Value*> acts;
  for (int i = 0; i < c.node().input_size(); ++i) {
    acts.push_back(&c.operand(i));
  }
  const auto axis =
      static_cast<std::int64_t>(dims::axis(c.attr_int("axis", 1), c.dims(*acts[0]).size()));
  if (acts.size() == 1) {
    c.emit(new_layer("identity"), acts);
    return;
  }
  Layer l = new_layer(type);
  if (acts[0]->shape.is_whole() || axis != channel_axis(c, *acts[0])) {
    l.extra->dim = axis;
  }
  c.emit(std::move(l), acts);
}

SliceArgs slice_args(NodeContext& c) {
  SliceArgs s;
  if (c.opset() < 10) {
    s.starts = c.attr_ints("starts").value_or(std::vector<std::int64_t>{});
    s.ends = c.attr_ints("ends").value_or(std::vector<std::int64_t>{});
  } else {
    s.starts = c.ints(1);
    s.ends = c.ints(2);
  }
  s.axes = c.axes(3, 10);
  if (c.opset() >= 10 && c.has_input(4)) {
    s.steps = c.ints(4);
  }
  if (s.axes.empty()) {
    s.axes.resize(s.starts.size());
    std::iota(s.axes.begin(), s.axes.end(), 0);
  }
  if (s.steps.empty()) {
    s.steps.assign(s.starts.size(), 1);
  }
  if (s.starts.size() != s.ends.size() || s.axes.size() != s.starts.size() ||
      s.steps.size() != s.starts.size()) {
    c.fail("starts, ends, axes and steps differ in length");
  }
  return s;
}

// For each sliced axis a slice layer (dim, start, stop, step), chained; an
// axis sliced whole is left out.
void convert_slice(NodeContext& c, std::string_view type) {
  const Value* x = &c.activation(0);
  const SliceArgs args = slice_args(c);
  const std::vector<std::int64_t> d = c.dims(*x);
  struct Cut {
    std::size_t axis;
    dims::Range range;
  };
  std::vector<Cut> cuts;
  for (std::size_t k = 0; k < args.starts.size(); ++k) {
    const std::size_t a = dims::axis(args.axes[k], d.size());
    if (args.steps[k] < 1) {  // a slice layer steps forward
      c.fail(fmt::format("step {} (a reversing or empty slice) is not supported", args.steps[k]));
    }
    const dims::Range r = dims::slice(d[a], args.starts[k], args.ends[k], args.steps[k]);
    if (r.start != 0 || r.stop != d[a] || r.step != 1) {
      cuts.push_back({a, r});
    }
  }
  if (cuts.empty()) {
    c.emit(new_layer("identity"), {x});
    return;
  }
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    Layer l = new_layer(type);
    l.extra->dim = static_cast<std::int64_t>(cuts[k].axis);
    l.extra->start = cuts[k].range.start;
    l.extra->stop = cuts[k].range.stop;
    l.extra->step = cuts[k].range.step;
    const bool last = k + 1 == cuts.size();
    x = &c.emit(std::move(l), {x}, last ? 0 : -1,
                cuts.size() == 1 ? std::string() : fmt::format(".{}", cuts[k].axis));
  }
}

void convert_split(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  const std::vector<std::int64_t> d = c.dims(x);
  const auto axis = static_cast<std::int64_t>(dims::axis(c.attr_int("axis", 0), d.size()));
  std::vector<std::int64_t> sizes =
      c.opset() >= 13 ? (c.has_input(1) ? c.ints(1) : std::vector<std::int64_t>{})
                      : c.attr_ints("split").value_or(std::vector<std::int64_t>{});
  const std::int64_t n = d[static_cast<std::size_t>(axis)];
  const auto parts = static_cast<std::int64_t>(c.node().output_size());
  if (parts == 0) {
    c.fail("a Split without outputs");
  }
  if (sizes.empty()) {
    const std::int64_t each = (n + parts - 1) / parts;
    for (std::int64_t k = 0; k < parts; ++k) {
      sizes.push_back(std::max<std::int64_t>(0, std::min(each, n - k * each)));
    }
  }
  if (static_cast<std::int64_t>(sizes.size()) != parts) {
    c.fail(fmt::format("{} split sizes for {} outputs", sizes.size(), parts));
  }
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    Layer l = new_layer(type);
    l.extra->dim = axis;
    l.extra->sizes = sizes;
    l.extra->part = k;
    c.emit(std::move(l), {&x}, static_cast<int>(k), fmt::format(".{}", k));
  }
}

// Resize (opset 10: scales; 11+: roi, scales, sizes) and Upsample (scales as
// an attribute before opset 9, then an input).
void convert_resize(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  if (!x.shape.has_positions() || x.shape.channels_last()) {
    c.fail("needs a (batch, channels, spatial...) input");
  }
  const std::vector<std::int64_t> d = c.dims(x);
  std::vector<double> scales;
  std::vector<std::int64_t> sizes;
  if (c.op() == "Upsample" && c.opset() < 9) {
    if (const onnx::AttributeProto* a = c.attr("scales")) {
      scales.assign(a->floats().begin(), a->floats().end());
    }
  } else {
    const int scales_at = c.op() == "Upsample" || c.opset() < 11 ? 1 : 2;
    if (c.has_input(scales_at) && !c.input(scales_at).dims.empty() &&
        c.input(scales_at).dims[0] > 0) {
      scales = c.reals(scales_at);
    } else if (c.has_input(3)) {
      sizes = c.ints(3);
    }
  }
  Layer l = new_layer(type);
  if (!scales.empty()) {
    if (scales.size() != d.size() || scales[0] != 1.0 || scales[1] != 1.0) {
      c.fail(
          fmt::format("scales [{}] must be 1 on the batch and channels", fmt::join(scales, ", ")));
    }
    const std::vector<double> spatial(scales.begin() + 2, scales.end());
    for (const double s : spatial) {
      if (!(s > 0)) {
        c.fail(fmt::format("scale {} must be > 0", s));
      }
    }
    l.extra->scale_factor = listed<AxisParam<double>>(spatial);
  } else if (!sizes.empty()) {
    if (sizes.size() != d.size() || sizes[0] != d[0] || sizes[1] != d[1]) {
      c.fail(fmt::format("sizes {} must keep the batch and channels of {}", dims::text(sizes),
                         dims::text(d)));
    }
    const std::vector<std::int64_t> spatial(sizes.begin() + 2, sizes.end());
    for (const std::int64_t s : spatial) {
      if (s < 1) {
        c.fail(fmt::format("size {} must be >= 1", s));
      }
    }
    l.extra->output_size = listed<AxisParam<std::int64_t>>(spatial);
  } else {
    c.fail("neither scales nor sizes are given");
  }
  read_resize_mode(c, l);
  c.emit(std::move(l), {&x});
}

void convert_reduce(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  const bool axes_input = (c.op() == "ReduceSum" && c.opset() >= 13) || c.opset() >= 18;
  const std::vector<std::int64_t> axes = c.axes(1, axes_input ? 0 : 1000);
  if (axes.empty() && c.attr_int("noop_with_empty_axes", 0) != 0) {
    c.emit(new_layer("identity"), {&x});
    return;
  }
  Layer l = new_layer(type);
  l.extra->dims = axes;
  l.extra->keepdim = c.attr_int("keepdims", 1) != 0;
  c.emit(std::move(l), {&x});
}

// ArgMax, ArgMin: the index along `axis` (kept as a dim of 1 by default).
void convert_arg(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  Layer l = new_layer(type);
  l.extra->dims = {c.attr_int("axis", 0)};
  l.extra->keepdim = c.attr_int("keepdims", 1) != 0;
  c.emit(std::move(l), {&x});
}

// DepthToSpace, SpaceToDepth.
void convert_depth_space(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  Layer l = new_layer(type);
  const std::int64_t b = c.attr_int("blocksize", 0);
  if (b < 1) {
    c.fail(fmt::format("blocksize must be >= 1 (got {})", b));
  }
  l.extra->factor = b;
  c.emit(std::move(l), {&x});
}

// Tile and Expand that leave the shape as it is are identities; others
// enlarge the whole tensor.
void convert_repeat(NodeContext& c, std::string_view type) {
  const Value& x = c.operand(0);  // a class token expanded to the batch: a constant
  const std::vector<std::int64_t> d = c.dims(x);
  const std::vector<std::int64_t> v = c.ints(1);
  const bool tile = type == "tile";
  const bool ones = v.size() == d.size() && std::ranges::all_of(v, [](auto n) { return n == 1; });
  const bool same = tile ? ones : dims::broadcast(d, v) == d;
  if (same) {
    c.emit(new_layer("identity"), {&x});
    return;
  }
  Layer l = new_layer(type);
  (tile ? l.extra->repeats : l.extra->shape) = v;
  c.emit(std::move(l), {&x});
}

// Gather of a computed tensor by constant indices, or of a constant (an
// embedding's table) by computed ones.
void convert_gather(NodeContext& c, std::string_view type) {
  const Value& data = c.operand(0);
  Layer l = new_layer(type);
  l.extra->dim = c.attr_int("axis", 0);
  if (c.input(1).constant) {
    l.extra->index_shape = c.input(1).dims;
    c.emit(std::move(l), {&data});
    return;
  }
  c.emit(std::move(l), {&data, &c.activation(1)});
}

}  // namespace netlens::onnx_reader

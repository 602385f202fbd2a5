// Operators that move, cut, resize or contract data: Gemm, MatMul, Flatten,
// Reshape, Squeeze, Transpose, Concat, Slice, Split, Resize, the reductions,
// DepthToSpace / SpaceToDepth, Tile, Expand, Gather. A form no role names
// (docs/semantics.md, "Tensors without roles") becomes a layer on the whole
// tensor: reshape, permute, matmul, expand, tile, gather.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "onnx/graph.h"

namespace netlens::onnx_reader {

namespace {

std::string dims_text(const std::vector<std::int64_t>& d) {
  return fmt::format("[{}]", fmt::join(d, ", "));
}

std::int64_t axis_in(NodeContext& c, std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) {
    c.fail(fmt::format("axis {} is out of range for {} dims", axis, rank));
  }
  return axis < 0 ? axis + r : axis;
}

// The ONNX axis of the channels of `x`.
std::int64_t channel_axis(NodeContext& c, const Value& x) {
  return x.shape.channels_last() ? static_cast<std::int64_t>(c.dims(x).size()) - 1 : 1;
}

void linear(NodeContext& c, const Value& x, std::int64_t in, std::int64_t out, bool bias) {
  const std::vector<std::int64_t> d = c.dims(x);
  const std::int64_t features = x.shape.is_whole() ? (d.empty() ? 0 : d.back()) : x.shape.channels;
  if (features != in) {
    c.fail(fmt::format("the weight '{}' takes {} features, but the input {} has {}",
                       c.node().input(1), in, dims_text(d), features));
  }
  Layer l = c.make_layer("linear");
  l.out_channels = out;
  l.bias = bias;
  c.emit(std::move(l), {&x});
}

void gemm(NodeContext& c) {
  const Value* x = &c.activation(0);
  const Value& w = c.constant(1);
  if (c.attr_int("transA", 0) != 0) {  // A transposed first: a tensor without roles
    Layer t = c.make_layer("permute");
    t.extra->dims = {1, 0};
    x = &c.emit(std::move(t), {x}, -1, ".transpose");
  }
  if (x->shape.has_positions() || w.dims.size() != 2) {
    c.fail(fmt::format("needs a 2-D input and weight, got {} and {}", dims_text(c.dims(*x)),
                       dims_text(w.dims)));
  }
  const bool trans = c.attr_int("transB", 0) != 0;
  linear(c, *x, trans ? w.dims[1] : w.dims[0], trans ? w.dims[0] : w.dims[1], c.has_input(2));
}

// By a 2-D constant on the features: a linear layer; any other: a matmul
// of the whole tensors (a constant operand read through its layer).
void matmul(NodeContext& c) {
  const Value& x = c.operand(0);
  const Value& w = c.input(1);
  const bool on_features = !x.shape.has_positions() || x.shape.channels_last();
  if (!c.input(0).constant && w.constant && w.dims.size() == 2 && on_features) {
    linear(c, x, w.dims[0], w.dims[1], false);
    return;
  }
  const Value& y = c.operand(1);
  c.emit(c.make_layer("matmul"), {&x, &y});
}

void flatten_layer(NodeContext& c, const Value& x) {
  Layer l = c.make_layer("flatten");
  c.emit(std::move(l), {&x});
}

void reshape_to(NodeContext& c, const Value& x, const std::vector<std::int64_t>& target);

// ONNX's Flatten: always 2-D, [dims before axis, dims from axis on].
void flatten(NodeContext& c) {
  const Value& x = c.activation(0);
  const std::vector<std::int64_t> d = c.dims(x);
  const auto n = static_cast<std::int64_t>(d.size());
  std::int64_t axis = c.attr_int("axis", 1);
  if (axis < -n || axis > n) {
    c.fail(fmt::format("axis {} is out of range for {} dims", axis, n));
  }
  axis = axis < 0 ? axis + n : axis;
  std::vector<std::int64_t> target{1, 1};
  for (std::int64_t k = 0; k < n; ++k) {
    target[k < axis ? 0 : 1] *= d[static_cast<std::size_t>(k)];  // counted by the shape rules
  }
  reshape_to(c, x, target);
}

// The same dims: identity; [batch, everything else]: flatten (both keep the
// roles); any other: a reshape of the whole tensor.
void reshape_to(NodeContext& c, const Value& x, const std::vector<std::int64_t>& target) {
  const std::vector<std::int64_t> d = c.dims(x);
  if (target == d) {
    c.emit(c.make_layer("identity"), {&x});
    return;
  }
  std::int64_t rest = 1;
  for (std::size_t k = 1; k < d.size(); ++k) {
    rest *= d[k];
  }
  if (!x.shape.is_whole() && target.size() == 2 && target[0] == d[0] && target[1] == rest) {
    flatten_layer(c, x);
    return;
  }
  Layer l = c.make_layer("reshape");
  l.extra->shape = target;
  c.emit(std::move(l), {&x});
}

// The first Reshape of a channel shuffle, [N, C, ...] -> [N, g, C/g, ...],
// or the last, back to [N, C, ...] after the Transpose: a channel_shuffle.
bool channel_groups(NodeContext& c, const Value& x, const std::vector<std::int64_t>& target) {
  const std::vector<std::int64_t> d = c.dims(x);
  if (x.groups > 0) {
    if (!x.swapped || target != d) {
      c.fail(fmt::format("a reshape of {} split into {} channel groups is not a channel shuffle",
                         dims_text(d), x.groups));
    }
    Layer l = c.make_layer("channel_shuffle");
    l.groups = x.groups;
    c.emit(std::move(l), {&x});
    return true;
  }
  if (!x.shape.has_positions() || x.shape.channels_last() || target.size() != d.size() + 1 ||
      d.size() < 2 || target[0] != d[0] || target[1] < 2 || target[1] * target[2] != d[1] ||
      !std::equal(d.begin() + 2, d.end(), target.begin() + 3)) {
    return false;
  }
  Value split = x;
  split.groups = target[1];
  c.forward(split);
  return true;
}

void reshape(NodeContext& c) {
  const Value& x = c.grouped_activation(0);
  std::vector<std::int64_t> target =
      c.opset() < 5 ? c.attr_ints("shape").value_or(std::vector<std::int64_t>{}) : c.ints(1);
  const std::vector<std::int64_t> d = c.dims(x);
  const bool allowzero = c.attr_int("allowzero", 0) != 0;
  std::int64_t known = 1;
  std::int64_t total = 1;
  for (std::int64_t v : d) {
    total *= v;
  }
  int infer = -1;
  for (std::size_t k = 0; k < target.size(); ++k) {
    if (target[k] == 0 && !allowzero) {
      if (k >= d.size()) {
        c.fail(
            fmt::format("shape {} copies dim {} of a {}-D tensor", dims_text(target), k, d.size()));
      }
      target[k] = d[k];
    }
    if (target[k] == -1 && infer < 0) {
      infer = static_cast<int>(k);
    } else if (target[k] < 1) {
      c.fail(fmt::format("cannot reshape {} to {}", dims_text(d), dims_text(target)));
    } else if (__builtin_mul_overflow(known, target[k], &known)) {
      c.fail(fmt::format("shape {} is too large", dims_text(target)));
    }
  }
  if (infer >= 0) {
    if (total % known != 0) {
      c.fail(fmt::format("cannot reshape {} to {}", dims_text(d), dims_text(target)));
    }
    target[static_cast<std::size_t>(infer)] = total / known;
  } else if (known != total) {
    c.fail(fmt::format("cannot reshape {} ({} elements) to {}", dims_text(d), total,
                       dims_text(target)));
  }
  if (!channel_groups(c, x, target)) {
    reshape_to(c, x, target);
  }
}

std::vector<std::int64_t> axes_input_or_attr(NodeContext& c, int input, int from_opset) {
  if (c.opset() >= from_opset) {
    return c.has_input(input) ? c.ints(input) : std::vector<std::int64_t>{};
  }
  return c.attr_ints("axes").value_or(std::vector<std::int64_t>{});
}

void squeeze(NodeContext& c) {
  const Value& x = c.activation(0);
  const std::vector<std::int64_t> d = c.dims(x);
  const std::vector<std::int64_t> axes = axes_input_or_attr(c, 1, 13);
  std::vector<std::int64_t> target;
  for (std::size_t k = 0; k < d.size(); ++k) {
    bool drop = axes.empty() && d[k] == 1;
    for (std::int64_t a : axes) {
      drop = drop || axis_in(c, a, d.size()) == static_cast<std::int64_t>(k);
    }
    if (drop && d[k] != 1) {
      c.fail(fmt::format("axis {} of {} is not 1", k, dims_text(d)));
    }
    if (!drop) {
      target.push_back(d[k]);
    }
  }
  reshape_to(c, x, target);
}

void unsqueeze(NodeContext& c) {
  const Value& x = c.activation(0);
  const std::vector<std::int64_t> d = c.dims(x);
  const std::vector<std::int64_t> axes = axes_input_or_attr(c, 1, 13);
  const std::size_t n = d.size() + axes.size();
  std::vector<bool> inserted(n, false);
  for (const std::int64_t a : axes) {
    const auto k = static_cast<std::size_t>(axis_in(c, a, n));
    if (inserted[k]) {
      c.fail(fmt::format("axes {} name axis {} twice", dims_text(axes), k));
    }
    inserted[k] = true;
  }
  std::vector<std::int64_t> target;
  for (std::size_t k = 0, from = 0; k < n; ++k) {
    target.push_back(inserted[k] ? 1 : d[from++]);
  }
  reshape_to(c, x, target);
}

void transpose(NodeContext& c) {
  const Value& x = c.grouped_activation(0);
  const std::vector<std::int64_t> d = c.dims(x);
  std::vector<std::int64_t> perm = c.attr_ints("perm").value_or(std::vector<std::int64_t>{});
  if (x.groups > 0) {  // a channel shuffle's: swaps the groups and the channels in a group
    std::vector<std::int64_t> swap{0, 2, 1};
    for (std::size_t k = 2; k < d.size(); ++k) {
      swap.push_back(static_cast<std::int64_t>(k) + 1);
    }
    if (perm != swap) {
      c.fail(fmt::format("a transpose {} of channel groups is not a channel shuffle's {}",
                         dims_text(perm), dims_text(swap)));
    }
    Value shuffled = x;
    shuffled.swapped = !x.swapped;
    c.forward(shuffled);
    return;
  }
  if (perm.empty()) {
    for (std::size_t k = d.size(); k-- > 0;) {
      perm.push_back(static_cast<std::int64_t>(k));
    }
  }
  bool identity = perm.size() == d.size();
  for (std::size_t k = 0; k < perm.size(); ++k) {
    identity = identity && perm[k] == static_cast<std::int64_t>(k);
  }
  if (identity) {
    c.emit(c.make_layer("identity"), {&x});
    return;
  }
  Layer l = c.make_layer("permute");
  l.extra->dims = perm;
  c.emit(std::move(l), {&x});
}

// On the channels: a concat; on another axis, or with a constant operand
// (read through its layer): a concat of the whole tensors on that dim.
void concat(NodeContext& c) {
  std::vector<const Value*> acts;
  for (int i = 0; i < c.node().input_size(); ++i) {
    acts.push_back(&c.operand(i));
  }
  const std::int64_t axis = axis_in(c, c.attr_int("axis", 1), c.dims(*acts[0]).size());
  if (acts.size() == 1) {
    c.emit(c.make_layer("identity"), acts);
    return;
  }
  Layer l = c.make_layer("concat");
  if (acts[0]->shape.is_whole() || axis != channel_axis(c, *acts[0])) {
    l.extra->dim = axis;
  }
  c.emit(std::move(l), acts);
}

// ONNX Slice: for each sliced axis a slice layer (dim, start, stop, step),
// chained; an axis sliced whole is left out.
void slice(NodeContext& c) {
  const Value* x = &c.activation(0);
  std::vector<std::int64_t> starts, ends, axes, steps;
  if (c.opset() < 10) {
    starts = c.attr_ints("starts").value_or(std::vector<std::int64_t>{});
    ends = c.attr_ints("ends").value_or(std::vector<std::int64_t>{});
    axes = c.attr_ints("axes").value_or(std::vector<std::int64_t>{});
  } else {
    starts = c.ints(1);
    ends = c.ints(2);
    if (c.has_input(3)) axes = c.ints(3);
    if (c.has_input(4)) steps = c.ints(4);
  }
  const std::vector<std::int64_t> d = c.dims(*x);
  if (axes.empty()) {
    for (std::size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<std::int64_t>(k));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (starts.size() != ends.size() || axes.size() != starts.size() ||
      steps.size() != starts.size()) {
    c.fail("starts, ends, axes and steps differ in length");
  }
  struct Cut {
    std::int64_t axis, start, stop, step;
  };
  std::vector<Cut> cuts;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::int64_t a = axis_in(c, axes[k], d.size());
    const std::int64_t n = d[static_cast<std::size_t>(a)];
    if (steps[k] < 1) {
      c.fail(fmt::format("step {} (a reversing or empty slice) is not supported", steps[k]));
    }
    const auto from_end = [&](std::int64_t v) {
      return std::clamp(v < 0 ? v + n : v, std::int64_t{0}, n);
    };
    const std::int64_t s = from_end(starts[k]);
    const std::int64_t e = from_end(ends[k]);
    if (s == 0 && e == n && steps[k] == 1) continue;
    cuts.push_back({a, s, e, steps[k]});
  }
  if (cuts.empty()) {
    c.emit(c.make_layer("identity"), {x});
    return;
  }
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    Layer l = c.make_layer("slice");
    l.extra->dim = cuts[k].axis;
    l.extra->start = cuts[k].start;
    l.extra->stop = cuts[k].stop;
    l.extra->step = cuts[k].step;
    const bool last = k + 1 == cuts.size();
    x = &c.emit(std::move(l), {x}, last ? 0 : -1,
                cuts.size() == 1 ? std::string() : fmt::format(".{}", cuts[k].axis));
  }
}

void split(NodeContext& c) {
  const Value& x = c.activation(0);
  const std::vector<std::int64_t> d = c.dims(x);
  const std::int64_t axis = axis_in(c, c.attr_int("axis", 0), d.size());
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
    Layer l = c.make_layer("split");
    l.extra->dim = axis;
    l.extra->sizes = sizes;
    l.extra->part = k;
    c.emit(std::move(l), {&x}, static_cast<int>(k), fmt::format(".{}", k));
  }
}

// Resize (opset 10: scales; 11+: roi, scales, sizes) and Upsample (scales as
// an attribute before opset 9, then an input).
void resize(NodeContext& c) {
  const Value& x = c.activation(0);
  if (!x.shape.has_positions() || x.shape.channels_last()) {
    c.fail("needs a (batch, channels, spatial...) input");
  }
  const std::vector<std::int64_t> d = c.dims(x);
  std::vector<double> scales;
  std::vector<std::int64_t> sizes;
  if (c.op() == "Upsample" && c.opset() < 9) {
    const onnx::AttributeProto* a = c.attr("scales");
    if (a != nullptr) scales.assign(a->floats().begin(), a->floats().end());
  } else {
    const int scales_at = c.op() == "Upsample" || c.opset() < 11 ? 1 : 2;
    if (c.has_input(scales_at) && !c.input(scales_at).dims.empty() &&
        c.input(scales_at).dims[0] > 0) {
      scales = c.reals(scales_at);
    } else if (c.has_input(3)) {
      sizes = c.ints(3);
    }
  }
  Layer l = c.make_layer("upsample");
  const std::size_t rank = d.size() - 2;
  if (!scales.empty()) {
    if (scales.size() != d.size() || scales[0] != 1.0 || scales[1] != 1.0) {
      c.fail(
          fmt::format("scales [{}] must be 1 on the batch and channels", fmt::join(scales, ", ")));
    }
    AxisParam<double> p;
    p.given = true;
    p.scalar = false;
    for (std::size_t k = 0; k < rank; ++k) {
      if (!(scales[k + 2] > 0)) c.fail(fmt::format("scale {} must be > 0", scales[k + 2]));
      p.values.push_back(scales[k + 2]);
    }
    l.extra->scale_factor = p;
  } else if (!sizes.empty()) {
    if (sizes.size() != d.size() || sizes[0] != d[0] || sizes[1] != d[1]) {
      c.fail(fmt::format("sizes {} must keep the batch and channels of {}", dims_text(sizes),
                         dims_text(d)));
    }
    AxisParam<std::int64_t> p;
    p.given = true;
    p.scalar = false;
    for (std::size_t k = 0; k < rank; ++k) {
      if (sizes[k + 2] < 1) c.fail(fmt::format("size {} must be >= 1", sizes[k + 2]));
      p.values.push_back(sizes[k + 2]);
    }
    l.extra->output_size = p;
  } else {
    c.fail("neither scales nor sizes are given");
  }
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
  c.emit(std::move(l), {&x});
}

void reduce(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  const bool axes_input = (c.op() == "ReduceSum" && c.opset() >= 13) || c.opset() >= 18;
  std::vector<std::int64_t> axes = axes_input_or_attr(c, 1, axes_input ? 0 : 1000);
  const std::vector<std::int64_t> d = c.dims(x);
  if (axes.empty()) {
    if (c.attr_int("noop_with_empty_axes", 0) != 0) {
      c.emit(c.make_layer("identity"), {&x});
      return;
    }
  }
  Layer l = c.make_layer(type);
  l.extra->dims = axes;
  l.extra->keepdim = c.attr_int("keepdims", 1) != 0;
  c.emit(std::move(l), {&x});
}

void depth_space(NodeContext& c, bool to_space) {
  const Value& x = c.activation(0);
  Layer l = c.make_layer(to_space ? "pixel_shuffle" : "pixel_unshuffle");
  const std::int64_t b = c.attr_int("blocksize", 0);
  if (b < 1) c.fail(fmt::format("blocksize must be >= 1 (got {})", b));
  l.extra->factor = b;
  c.emit(std::move(l), {&x});
}

// Tile and Expand that leave the shape as it is are identities; others
// enlarge the whole tensor.
void repeat(NodeContext& c) {
  const Value& x = c.operand(0);  // a class token expanded to the batch: a constant
  const std::vector<std::int64_t> d = c.dims(x);
  const std::vector<std::int64_t> v = c.ints(1);
  bool same = true;
  if (c.op() == "Tile") {
    same = v.size() == d.size() &&
           std::all_of(v.begin(), v.end(), [](std::int64_t r) { return r == 1; });
  } else {
    same = v.size() <= d.size();
    for (std::size_t k = 0; same && k < v.size(); ++k) {
      const std::int64_t t = v[v.size() - 1 - k];
      same = t == 1 || t == d[d.size() - 1 - k];
    }
  }
  if (same) {
    c.emit(c.make_layer("identity"), {&x});
    return;
  }
  Layer l = c.make_layer(c.op() == "Tile" ? "tile" : "expand");
  (c.op() == "Tile" ? l.extra->repeats : l.extra->shape) = v;
  c.emit(std::move(l), {&x});
}

// Gather of a computed tensor by constant indices, or of a constant (an
// embedding's table) by computed ones.
void gather(NodeContext& c) {
  const Value& data = c.operand(0);
  Layer l = c.make_layer("gather");
  l.extra->dim = c.attr_int("axis", 0);
  if (c.input(1).constant) {
    l.extra->index_shape = c.input(1).dims;
    c.emit(std::move(l), {&data});
    return;
  }
  c.emit(std::move(l), {&data, &c.activation(1)});
}

}  // namespace

bool convert_layout_op(NodeContext& c) {
  const std::string_view op = c.op();
  if (op == "Gemm")
    gemm(c);
  else if (op == "MatMul")
    matmul(c);
  else if (op == "Flatten")
    flatten(c);
  else if (op == "Reshape")
    reshape(c);
  else if (op == "Squeeze")
    squeeze(c);
  else if (op == "Unsqueeze")
    unsqueeze(c);
  else if (op == "Transpose")
    transpose(c);
  else if (op == "Concat")
    concat(c);
  else if (op == "Slice")
    slice(c);
  else if (op == "Split")
    split(c);
  else if (op == "Resize" || op == "Upsample")
    resize(c);
  else if (op == "ReduceMean")
    reduce(c, "mean");
  else if (op == "ReduceMax")
    reduce(c, "amax");
  else if (op == "ReduceSum")
    reduce(c, "sum");
  else if (op == "DepthToSpace")
    depth_space(c, true);
  else if (op == "SpaceToDepth")
    depth_space(c, false);
  else if (op == "Tile" || op == "Expand")
    repeat(c);
  else if (op == "Gather")
    gather(c);
  else
    return false;
  return true;
}

bool is_read_operator(std::string_view op) {
  // Every op a converter or the folder (fold.cpp) takes; docs/onnx.md lists them.
  static const std::unordered_set<std::string_view> kOps{"Conv",
                                                         "ConvTranspose",
                                                         "MaxPool",
                                                         "AveragePool",
                                                         "LpPool",
                                                         "GlobalAveragePool",
                                                         "GlobalLpPool",
                                                         "GlobalMaxPool",
                                                         "Pad",
                                                         "BatchNormalization",
                                                         "InstanceNormalization",
                                                         "LayerNormalization",
                                                         "GroupNormalization",
                                                         "LRN",
                                                         "PRelu",
                                                         "Relu",
                                                         "LeakyRelu",
                                                         "Elu",
                                                         "Selu",
                                                         "Celu",
                                                         "Clip",
                                                         "Sigmoid",
                                                         "HardSigmoid",
                                                         "HardSwish",
                                                         "Tanh",
                                                         "Softplus",
                                                         "Softsign",
                                                         "Erf",
                                                         "Pow",
                                                         "Sqrt",
                                                         "Gelu",
                                                         "Mish",
                                                         "Softmax",
                                                         "LogSoftmax",
                                                         "Dropout",
                                                         "Identity",
                                                         "Cast",
                                                         "Add",
                                                         "Sum",
                                                         "Mean",
                                                         "Sub",
                                                         "Mul",
                                                         "Div",
                                                         "Max",
                                                         "Min",
                                                         "Gemm",
                                                         "MatMul",
                                                         "Flatten",
                                                         "Reshape",
                                                         "Squeeze",
                                                         "Unsqueeze",
                                                         "Transpose",
                                                         "Concat",
                                                         "Slice",
                                                         "Split",
                                                         "Resize",
                                                         "Upsample",
                                                         "ReduceMean",
                                                         "ReduceMax",
                                                         "ReduceSum",
                                                         "DepthToSpace",
                                                         "SpaceToDepth",
                                                         "Tile",
                                                         "Expand",
                                                         "Constant",
                                                         "Shape",
                                                         "Gather",
                                                         "ConstantOfShape",
                                                         "Range"};
  return kOps.contains(op) || is_folded_operator(op);
}

void check_operator(const NodeContext& c) {
  const std::string& domain = c.node().domain();
  if (!domain.empty() && domain != "ai.onnx") {
    c.fail(
        fmt::format("operator {} of domain '{}' is not supported (docs/onnx.md lists the "
                    "operators netlens reads)",
                    c.op(), domain));
  }
  if (!is_read_operator(c.op())) {
    c.fail(
        fmt::format("operator {} is not supported (docs/onnx.md lists the operators netlens "
                    "reads)",
                    c.op()));
  }
}

void convert_node(NodeContext& c) {
  check_operator(c);
  if (!convert_window_op(c) && !convert_pointwise_op(c) && !convert_layout_op(c)) {
    c.fail(fmt::format("operator {} is not read on tensors computed from the net's input", c.op()));
  }
}

}  // namespace netlens::onnx_reader

// Operators that give the same elements other dims: Flatten, Reshape,
// Squeeze, Unsqueeze, Transpose. The dims come from engine/dims.h; the layer
// keeps the roles when it can (identity, flatten, a permute of the channels)
// and is a layer on the whole tensor otherwise (reshape, permute).
#include <fmt/format.h>

#include <numeric>

#include "engine/dims.h"
#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

// The same dims: identity; [batch, everything else]: flatten (both keep the
// roles); any other: a reshape of the whole tensor.
void reshape_to(NodeContext& c, const Value& x, const std::vector<std::int64_t>& target) {
  const std::vector<std::int64_t> d = c.dims(x);
  if (target == d) {
    c.emit(new_layer("identity"), {&x});
    return;
  }
  std::int64_t rest = 1;
  for (std::size_t k = 1; k < d.size(); ++k) {
    rest *= d[k];
  }
  if (!x.shape.is_whole() && target.size() == 2 && target[0] == d[0] && target[1] == rest) {
    c.emit(new_layer("flatten"), {&x});
    return;
  }
  Layer l = new_layer("reshape");
  l.extra->shape = target;
  c.emit(std::move(l), {&x});
}

}  // namespace

// ONNX's Flatten: always 2-D, [dims before axis, dims from axis on].
void convert_flatten(NodeContext& c, std::string_view /*type*/) {
  const Value& x = c.activation(0);
  const std::vector<std::int64_t> d = c.dims(x);
  const auto n = static_cast<std::int64_t>(d.size());
  std::int64_t axis = c.attr_int("axis", 1);
  if (axis < -n || axis > n) {  // axis n is allowed: [everything, 1]
    c.fail(fmt::format("axis {} is out of range for {} dims", axis, n));
  }
  axis = axis < 0 ? axis + n : axis;
  std::vector<std::int64_t> target{1, 1};
  for (std::int64_t k = 0; k < n; ++k) {
    target[k < axis ? 0 : 1] *= d[static_cast<std::size_t>(k)];  // counted by the shape rules
  }
  reshape_to(c, x, target);
}

std::vector<std::int64_t> reshape_target(NodeContext& c, const std::vector<std::int64_t>& in) {
  const std::vector<std::int64_t> target =
      c.opset() < 5 ? c.attr_ints("shape").value_or(std::vector<std::int64_t>{}) : c.ints(1);
  return dims::reshape(in, target, c.attr_int("allowzero", 0) == 0);
}

void convert_reshape(NodeContext& c, std::string_view /*type*/) {
  const Value& x = c.activation(0);
  reshape_to(c, x, reshape_target(c, c.dims(x)));
}

void convert_squeeze(NodeContext& c, std::string_view /*type*/) {
  const Value& x = c.activation(0);
  reshape_to(c, x, dims::squeeze(c.dims(x), c.axes(1, 13)));
}

void convert_unsqueeze(NodeContext& c, std::string_view /*type*/) {
  const Value& x = c.activation(0);
  reshape_to(c, x, dims::unsqueeze(c.dims(x), c.axes(1, 13)));
}

// The identity permutation: identity; any other, a permute (whose rule keeps
// the roles when only the channels move).
void convert_transpose(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  const std::vector<std::int64_t> d = c.dims(x);
  std::vector<std::int64_t> perm = c.attr_ints("perm").value_or(std::vector<std::int64_t>{});
  if (perm.empty()) {
    perm = dims::reversed_axes(d.size());
  }
  std::vector<std::int64_t> same(d.size());
  std::iota(same.begin(), same.end(), 0);
  if (perm == same) {
    c.emit(new_layer("identity"), {&x});
    return;
  }
  Layer l = new_layer(type);
  l.extra->dims = perm;
  c.emit(std::move(l), {&x});
}

}  // namespace netlens::onnx_reader

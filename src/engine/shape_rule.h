// The shape rule of one layer: a Rule is made per layer and run once. Each
// kind's method is named in model/layer_kinds.def: window rules (convs, pools,
// pad, crop) in window_rules.cpp, layout_rules.cpp, token_rules.cpp, the rules
// on whole tensors in whole_rules.cpp, the rest in shape_rules.cpp;
// apply_shape_rule (shape_rules.h) is the entry point.
#pragma once

#include <fmt/format.h>

#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/dims.h"
#include "engine/roles.h"
#include "engine/shape_rules.h"
#include "model/checked.h"

namespace netlens::shape {

class Rule {
 public:
  Rule(const Layer& layer, std::span<const ShapeInput> inputs, Convention convention,
       const std::string& file, std::int64_t batch)
      : layer_(layer),
        inputs_(inputs),
        convention_(convention),
        file_(file),
        batch_(batch),
        math_(file, layer.pos, layer.name) {}

  LayerShape run();

 private:
  [[noreturn]] void fail(const std::string& message) const { fail_at(layer_.pos, message); }
  [[noreturn]] void fail_at(SourcePos pos, const std::string& message) const {
    throw ModelError(file_, pos.known() ? pos : layer_.pos, layer_.name, message);
  }
  std::int64_t mul(std::int64_t a, std::int64_t b) const { return math_.mul(a, b); }
  std::int64_t add(std::int64_t a, std::int64_t b) const { return math_.add(a, b); }
  std::int64_t product(const auto& values) const { return math_.product(values); }

  const Shape& in() const { return *inputs_[0].shape; }
  std::size_t rank() const { return in().size.size(); }
  const char* axis(std::size_t i) const { return axis_name(rank(), i); }
  void require_spatial() const;
  // BatchNorm2d / Dropout2d also take flat inputs; on a spatial one the rank must match.
  void check_rank_if_spatial() const {
    if (layer_.alias_rank != 0 && in().has_positions()) {
      require_spatial();
    }
  }
  // One value per axis: `fallback` when not given, the one value when scalar,
  // else the list (which must have one entry per axis).
  template <class T>
  PerAxis<T> expand(const AxisParam<T>& p, Field field, std::type_identity_t<T> fallback) const {
    if (!p.given) {
      return PerAxis<T>(rank(), fallback);
    }
    if (p.scalar) {
      return PerAxis<T>(rank(), p.values[0]);
    }
    if (p.values.size() != rank()) {
      fail_entries(field, p.values.size());
    }
    return p.values;
  }
  PerAxis<AxisWindow> windows(bool transposed);
  std::int64_t window_output(std::size_t axis, const AxisWindow& w, bool ceil);
  // PyTorch's rule: a reflect padding is shorter than the axis it mirrors.
  void check_reflect(const PerAxis<AxisWindow>& w) const;
  void check_groups(std::int64_t out_channels) const;
  std::int64_t conv_params(std::int64_t out_channels, const PerAxis<AxisWindow>& w) const;
  void warn_dropped(std::size_t axis, const AxisWindow& w);
  bool warn_padding_windows(std::size_t axis, const AxisWindow& w, std::int64_t out);
  void check_declared_channels(std::int64_t actual) const;
  void check_declared_features(std::int64_t actual) const;
  void check_one_axis_pair(const PaddingParam& pad) const;
  // "has 3 entries but the input has 2 spatial axes"
  [[noreturn]] void fail_entries(Field field, std::size_t entries) const;
  SourcePos pos_of(Field field) const { return layer_.pos_of(field); }

  // The shape rules (layer_kinds.def's shape column): window_rules.cpp,
  void conv(LayerShape& r);
  void conv_transpose(LayerShape& r);
  void pool(LayerShape& r);
  void pad(LayerShape& r);
  void crop(LayerShape& r);
  // shape_rules.cpp,
  void adaptive(LayerShape& r);
  void linear(LayerShape& r);
  void upsample(LayerShape& r);
  void merge(LayerShape& r);
  void flatten(LayerShape& r);
  void keep_shape(LayerShape& r);
  void prelu(LayerShape& r);
  void scale(LayerShape& r);
  // layout_rules.cpp: norms, reductions and the channel and layout operations,
  void layer_norm(LayerShape& r);
  void group_norm(LayerShape& r);
  void channel_norm(LayerShape& r);
  void reduce(LayerShape& r);
  void channel_shuffle(LayerShape& r);
  void slice(LayerShape& r);
  void pixel_shuffle(LayerShape& r);
  void pixel_unshuffle(LayerShape& r);
  void permute(LayerShape& r);
  // token_rules.cpp: tokens, attention, Swin's windows and patch merging.
  // (The checks they share come first.)
  void require_tokens(std::size_t input) const;
  void require_channels_last() const;
  std::int64_t token_count(const Shape& s) const;
  void class_token(LayerShape& r);
  void pos_embedding(LayerShape& r);
  void select(LayerShape& r);
  void attention(LayerShape& r);
  void window_attention(LayerShape& r);
  void patch_merge(LayerShape& r);
  // The dims of the input tensor in PyTorch's order (batch first) and what
  // each is: -1 batch, -2 channels, k >= 0 spatial axis k.
  std::vector<int> dim_roles() const;
  int role_of_dim(std::int64_t dim, Field field) const;
  bool names_batch(std::int64_t dim) const;  // dim 0 (or -n) of the tensor
  // A slice's (or a split part's) start, stop and step on a dim of n, clamped.
  dims::Range slice_range(std::int64_t n) const;

  // whole_rules.cpp: whole tensors, their dims batch first and the roles of
  // those dims. whole() runs the kind's rule of layer_kinds.def's whole
  // column, which changes dims and roles, says how units read (`mixing`)
  // and returns the layer's params.
  using Dims = std::vector<std::int64_t>;
  struct Whole {
    Dims dims;
    roles::Roles roles;
    PerAxis<std::int64_t> grid;     // of the first input that has positions
    std::int64_t extra_tokens = 0;  // before a Grid dim's cells
    Mixing mixing = Mixing::None;
    PerAxis<std::int64_t> window;  // positions split into windows: their sizes (0: not split)
    // A conv's or pool's windows over the dims after the first two (whole_window).
    std::optional<PerAxis<AxisWindow>> windows;
  };
  void whole(LayerShape& r);
  void as_whole(LayerShape& r) { whole(r); }  // the shape rule of kinds that make whole tensors
  bool any_input_whole() const;
  Dims whole_dims(std::size_t input) const;
  std::size_t whole_axis(std::int64_t dim, std::size_t rank, Field field) const;
  Dims broadcast(const Dims& a, const Dims& b, const std::string& what) const;
  void broadcast_roles(Whole& w, std::size_t inputs) const;
  std::int64_t needs_roles(Whole& w) const;
  std::int64_t keep_dims(Whole& w) const;
  std::int64_t whole_activation(Whole& w) const;
  std::int64_t whole_constant(Whole& w) const;
  std::int64_t whole_scale(Whole& w) const;
  std::int64_t whole_prelu(Whole& w) const;
  std::int64_t whole_layer_norm(Whole& w) const;
  std::int64_t whole_instance_norm(Whole& w) const;
  std::int64_t whole_linear(Whole& w) const;
  std::int64_t whole_broadcast(Whole& w) const;
  std::int64_t whole_concat(Whole& w) const;
  std::int64_t whole_reduce(Whole& w) const;
  std::int64_t whole_slice(Whole& w) const;
  std::int64_t whole_permute(Whole& w) const;
  std::int64_t whole_flatten(Whole& w) const;
  std::int64_t whole_reshape(Whole& w) const;
  std::int64_t whole_unflatten(Whole& w) const;
  std::int64_t whole_matmul(Whole& w) const;
  std::int64_t whole_expand(Whole& w) const;
  std::int64_t whole_tile(Whole& w) const;
  std::int64_t whole_gather(Whole& w) const;
  // whole_window_rules.cpp: convs and pools on (N, C, D1...Dn) dims.
  std::int64_t whole_window(Whole& w) const;
  // roll_rules.cpp: Swin's shifted windows as exported.
  std::int64_t whole_roll(Whole& w) const;
  std::int64_t whole_window_mask(Whole& w) const;

  const Layer& layer_;
  std::span<const ShapeInput> inputs_;
  Convention convention_;
  const std::string& file_;
  std::int64_t batch_;  // the batch a whole tensor counts in its dims
  LayerMath math_;
  std::vector<AxisFinding> findings_;
};

}  // namespace netlens::shape

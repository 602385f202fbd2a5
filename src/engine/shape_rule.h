// The shape rule of one layer: a Rule is made per layer and run once. Its
// window rules (convs, pools, pad, crop) are in window_rules.cpp, the others in
// shape_rules.cpp; apply_shape_rule (shape_rules.h) is the entry point.
#pragma once

#include <fmt/format.h>

#include <span>
#include <string>
#include <type_traits>
#include <vector>

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
  std::int64_t product(const PerAxis<std::int64_t>& v) const { return math_.product(v); }
  std::int64_t kernel_volume(const PerAxis<AxisWindow>& w) const {
    std::int64_t v = 1;
    for (const AxisWindow& a : w) {
      v = mul(v, a.kernel);
    }
    return v;
  }

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
  PerAxis<T> expand(const AxisParam<T>& p, const char* field,
                    std::type_identity_t<T> fallback) const {
    if (!p.given) {
      return PerAxis<T>(rank(), fallback);
    }
    if (p.scalar) {
      return PerAxis<T>(rank(), p.values[0]);
    }
    if (p.values.size() != rank()) {
      fail_entries(p.pos, field, p.values.size());
    }
    return p.values;
  }
  PerAxis<AxisWindow> windows(bool transposed);
  std::int64_t window_output(std::size_t axis, const AxisWindow& w, bool ceil);
  void check_groups(std::int64_t out_channels) const;
  void warn_dropped(std::size_t axis, const AxisWindow& w);
  bool warn_padding_windows(std::size_t axis, const AxisWindow& w, std::int64_t out);
  void check_declared_channels(std::int64_t actual) const;
  void check_declared_features(std::int64_t actual) const;
  void check_one_axis_pair(const PaddingParam& pad) const;
  // "has 3 entries but the input has 2 spatial axes"
  [[noreturn]] void fail_entries(SourcePos pos, const char* field, std::size_t entries) const;

  void conv(LayerShape& r);
  void conv_transpose(LayerShape& r);
  void pool(LayerShape& r);
  void adaptive(LayerShape& r);
  void linear(LayerShape& r);
  void pad(LayerShape& r);
  void crop(LayerShape& r);
  void upsample(LayerShape& r);
  void merge(LayerShape& r);
  void flatten(LayerShape& r);
  // layout_rules.cpp: norms, reductions and the channel and layout operations.
  void norm(LayerShape& r);
  void reduce(LayerShape& r);
  void channel_shuffle(LayerShape& r);
  void slice(LayerShape& r);
  void pixel_shuffle(LayerShape& r, bool shuffle);
  void permute(LayerShape& r);
  // token_rules.cpp: tokens, attention, Swin's windows and patch merging.
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
  int role_of_dim(std::int64_t dim, SourcePos pos, const char* field) const;
  bool names_batch(std::int64_t dim) const;  // dim 0 (or -n) of the tensor
  // A slice's (or a split part's) start, stop and step on a dim of n, clamped.
  struct SliceRange {
    std::int64_t start, stop, step, count;
  };
  SliceRange slice_range(std::int64_t n) const;
  PerAxis<AxisWindow> identity_windows() const { return PerAxis<AxisWindow>(rank(), AxisWindow{}); }
  // whole_rules.cpp: tensors without roles, their dims batch first.
  bool any_input_other() const;
  std::vector<std::int64_t> whole_dims(std::size_t input) const;
  std::size_t whole_axis(std::int64_t dim, std::size_t rank, SourcePos pos,
                         const char* field) const;
  std::vector<std::int64_t> broadcast(std::vector<std::int64_t> a,
                                      const std::vector<std::int64_t>& b,
                                      const std::string& what) const;
  std::int64_t whole_elements(const std::vector<std::int64_t>& dims) const;
  void whole(LayerShape& r);
  void whole_concat(std::vector<std::int64_t>& d) const;
  void whole_reduce(std::vector<std::int64_t>& d) const;
  void whole_slice(std::vector<std::int64_t>& d) const;
  void whole_permute(std::vector<std::int64_t>& d) const;
  void whole_reshape(std::vector<std::int64_t>& d) const;
  void whole_matmul(std::vector<std::int64_t>& d) const;

  const Layer& layer_;
  std::span<const ShapeInput> inputs_;
  Convention convention_;
  const std::string& file_;
  std::int64_t batch_;  // the batch a tensor without roles counts in its dims
  LayerMath math_;
  std::vector<AxisFinding> findings_;
};

}  // namespace netlens::shape

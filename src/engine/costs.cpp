#include "engine/costs.h"

#include <algorithm>
#include <array>

#include "model/checked.h"

namespace netlens {

namespace {

// One sample's work in a layer (docs/costs.md): multiply-accumulates, other
// element-wise ops, the elements alive only while it runs (attention's
// scores), and buffers.
struct Work {
  std::int64_t macs = 0;
  std::int64_t ops = 0;
  std::int64_t scratch = 0;
  std::int64_t buffers = 0;
};

// What a layer's work is computed from.
struct CostInput {
  const Layer& layer;
  const LayerReport& lr;
  const Shape& in;
  std::int64_t in_elems;
  std::int64_t out_elems;
  std::int64_t kernel;  // the window's volume (1 without one)
  const LayerMath& m;
};

class Coster {
 public:
  Coster(Report& report, const CostOptions& options) : r_(report), o_(options) {}
  void run();

 private:
  LayerMath math(const Layer& layer) const {
    return LayerMath(r_.net.file, layer.pos, layer.name, "cost arithmetic");
  }
  // One sample's elements; the whole tensor's for a whole tensor.
  static std::int64_t elements(const Shape& s, const LayerMath& m) {
    if (s.is_whole()) {
      return m.product(s.dims);
    }
    return s.has_positions() ? m.mul(s.channels, positions(s, m)) : s.channels;
  }
  // Positions of a spatial tensor, or tokens (the grid's and the extra ones).
  static std::int64_t positions(const Shape& s, const LayerMath& m) {
    return m.add(m.product(s.size), s.extra_tokens);
  }
  void cost_layer(LayerReport& lr);
  void peak_memory();

  // The kinds' costs (layer_kinds.def's cost column).
  Work conv(const CostInput& c) const;
  Work conv_transpose(const CostInput& c) const;
  Work linear(const CostInput& c) const;
  Work pool(const CostInput& c) const;
  Work reads_all(const CostInput& c) const;
  Work batch_norm(const CostInput& c) const;
  Work instance_norm(const CostInput& c) const;
  Work norm(const CostInput& c) const;
  Work per_output(const CostInput& c) const;
  Work reduce(const CostInput& c) const;
  Work attention(const CostInput& c) const;
  Work window_attention(const CostInput& c) const;
  Work elementwise(const CostInput& c) const;
  Work matmul(const CostInput& c) const;
  Work movement(const CostInput& c) const;

  Report& r_;
  const CostOptions& o_;
};

// A whole tensor's channels are its dim 1, as ONNX reads (N, C, D1...Dn).
std::int64_t channels(const Shape& s) {
  return s.is_whole() ? (s.dims.size() > 1 ? s.dims[1] : 0) : s.channels;
}

Work Coster::conv(const CostInput& c) const {
  return {c.m.mul(c.m.mul(c.out_elems, channels(c.in) / c.layer.groups), c.kernel),
          c.layer.bias ? c.out_elems : 0};
}

// Counted on the input: every input unit meets every weight once.
Work Coster::conv_transpose(const CostInput& c) const {
  return {c.m.mul(c.m.mul(c.in_elems, channels(c.lr.output) / c.layer.groups), c.kernel),
          c.layer.bias ? c.out_elems : 0};
}

// Also at each position of a channels-last tensor.
Work Coster::linear(const CostInput& c) const {
  return {c.m.mul(c.in_elems, c.layer.out_channels), c.layer.bias ? c.out_elems : 0};
}

Work Coster::pool(const CostInput& c) const { return {0, c.m.mul(c.out_elems, c.kernel)}; }

// Adaptive and global pools: every input read at least once.
Work Coster::reads_all(const CostInput& c) const { return {0, std::max(c.in_elems, c.out_elems)}; }

// At inference batch norm is a scale and shift; its running mean and
// variance (and count) are buffers.
Work Coster::batch_norm(const CostInput& c) const {
  Work w{0, c.m.mul(2, c.out_elems)};
  if (c.layer.extra->track_running_stats.value_or(true)) {
    w.buffers = c.m.add(c.m.mul(2, c.lr.output.channels), 1);
  }
  return w;
}

// Instance norm first measures each channel's mean and variance, as layer
// and group norm do; it keeps running statistics only when asked.
Work Coster::instance_norm(const CostInput& c) const {
  Work w = norm(c);
  if (c.layer.extra->track_running_stats.value_or(false)) {
    w.buffers = c.m.add(c.m.mul(2, c.lr.output.channels), 1);
  }
  return w;
}

// Mean, variance, subtract, divide; scale and shift when learned.
Work Coster::norm(const CostInput& c) const {
  return {0, c.m.mul(4 + (c.lr.params > 0 ? 2 : 0), c.out_elems)};
}

// Activations, lrn, prelu, scale, upsampling, position embeddings.
Work Coster::per_output(const CostInput& c) const { return {0, c.out_elems}; }

Work Coster::reduce(const CostInput& c) const { return {0, c.in_elems}; }

Work Coster::elementwise(const CostInput& c) const {
  return {0, c.m.mul(c.out_elems, static_cast<std::int64_t>(c.lr.inputs.size()) - 1)};
}

// Every output element sums the shared dim's products.
Work Coster::matmul(const CostInput& c) const {
  return {c.m.mul(c.out_elems, tensor_shape(c.in, o_.batch).back())};
}

// Flatten, dropout, identity, pad, crop, concat, slices, shuffles, permute,
// reshapes: data movement.
Work Coster::movement(const CostInput& /*c*/) const { return {}; }

void Coster::cost_layer(LayerReport& lr) {
  static constexpr std::array<Work (Coster::*)(const CostInput&) const, kLayerKinds> kCost{
#define NETLENS_KIND(kind, shape, whole, cost, erf) &Coster::cost,
#include "model/layer_kinds.def"
#undef NETLENS_KIND
  };
  const Layer& layer = r_.layer(lr.index - 1);
  const LayerMath m = math(layer);
  const Shape& in = r_.node_shape(lr.inputs[0]);
  // A whole tensor counts its batch in its dims: such a layer's costs are
  // those of the whole tensors.
  const bool whole = lr.output.is_whole();
  const std::int64_t batch = whole ? 1 : o_.batch;
  const std::int64_t out_elems = elements(lr.output, m);
  const std::int64_t in_elems =
      whole && !in.is_whole() ? m.mul(elements(in, m), o_.batch) : elements(in, m);
  std::int64_t kernel = 1;
  if (lr.window) {
    for (const AxisWindow& w : *lr.window) {
      kernel = m.mul(kernel, w.kernel);
    }
  }
  const Work w = (this->*kCost[static_cast<std::size_t>(layer.kind)])(
      CostInput{layer, lr, in, in_elems, out_elems, kernel, m});
  LayerCost& c = lr.cost;
  c.buffers = w.buffers;
  c.macs = m.mul(w.macs, batch);
  c.other_ops = m.mul(w.ops, batch);
  c.activations = m.mul(out_elems, batch);
  c.memory = m.mul(c.activations, dtype_bytes(o_.dtype));
  c.scratch_memory = m.mul(m.mul(w.scratch, batch), dtype_bytes(o_.dtype));
  CostTotals& t = r_.totals;
  t.params = m.add(t.params, lr.params);
  const std::int64_t at_dtype = m.mul(lr.params, dtype_bytes(o_.dtype));
  const std::optional<std::int64_t>& stored = layer.extra->param_bytes;
  const bool as_stored = o_.stored_params && stored && *stored != at_dtype;
  t.params_as_stored = t.params_as_stored || as_stored;
  t.param_bytes = m.add(t.param_bytes, as_stored ? *stored : at_dtype);
  t.buffers = m.add(t.buffers, c.buffers);
  t.macs = m.add(t.macs, c.macs);
  t.other_ops = m.add(t.other_ops, c.other_ops);
  t.activation_memory = m.add(t.activation_memory, c.memory);
}

// nn.MultiheadAttention: the q, k, v projections, Q.K^T, the scores times V
// and the output projection are MACs; the biases, q's scaling and the softmax
// other ops.
Work Coster::attention(const CostInput& c) const {
  const LayerMath& m = c.m;
  const LayerReport& lr = c.lr;
  const Shape& q = r_.node_shape(lr.inputs[0]);
  const Shape& k = r_.node_shape(lr.inputs[lr.inputs.size() == 1 ? 0 : 1]);
  const Shape& v = r_.node_shape(lr.inputs.back());
  const std::int64_t e = lr.output.channels;
  const std::int64_t lq = positions(q, m);
  const std::int64_t lk = positions(k, m);
  const std::int64_t heads = c.layer.extra->num_heads;
  Work a;
  const std::int64_t projections =
      m.add(m.mul(m.mul(lq, e), m.mul(2, e)), m.mul(m.mul(lk, e), m.add(k.channels, v.channels)));
  a.macs = m.add(projections, m.mul(m.mul(2, lq), m.mul(lk, e)));
  a.scratch = m.mul(heads, m.mul(lq, lk));
  const std::int64_t biases =
      c.layer.bias ? m.add(m.mul(2, m.mul(lq, e)), m.mul(2, m.mul(lk, e))) : 0;
  a.ops = m.add(m.add(biases, m.mul(lq, e)), a.scratch);
  return a;
}

// torchvision's shifted_window_attention on the padded grid: per window of n
// units, qkv (n C 3C), Q.K^T and scores.V (n n C each) and proj (n C C); the
// relative position bias, the shift's mask and the softmax add other ops.
Work Coster::window_attention(const CostInput& c) const {
  const LayerMath& m = c.m;
  const LayerExtras& x = *c.layer.extra;
  const std::int64_t ch = c.lr.output.channels;
  std::int64_t padded = 1;  // units of the padded grid
  std::int64_t n = 1;       // units of one window
  bool shifted = false;
  for (std::size_t a = 0; a < c.in.size.size(); ++a) {
    const std::int64_t w = x.window_size.at(a);
    const std::int64_t p = m.mul(checked::ceil_div(c.in.size[a], w), w);
    padded = m.mul(padded, p);
    n = m.mul(n, w);
    shifted = shifted || (x.shift_size.given && x.shift_size.at(a) > 0 && w < p);
  }
  Work a;
  a.macs = m.add(m.mul(m.mul(padded, ch), m.mul(4, ch)), m.mul(m.mul(2, padded), m.mul(n, ch)));
  a.scratch = m.mul(x.num_heads, m.mul(padded, n));
  a.buffers = m.mul(n, n);  // relative_position_index
  const std::int64_t biases = c.layer.bias ? m.mul(padded, m.mul(4, ch)) : 0;
  a.ops = m.add(m.add(biases, m.mul(padded, ch)), m.mul(a.scratch, shifted ? 3 : 2));
  return a;
}

// Layers run in spec order; a tensor lives from the layer that makes it to
// its last consumer (the net's last output to the end; an unused one dies at
// once). The peak is the largest sum alive while a layer runs.
void Coster::peak_memory() {
  const std::size_t count = r_.layers.size();
  std::vector<std::size_t> last_use(count + 1, 0);
  for (const LayerReport& lr : r_.layers) {
    for (std::size_t in : lr.inputs) {
      last_use[in] = std::max(last_use[in], lr.index);
    }
  }
  for (std::size_t out : r_.outputs) {
    last_use[out] = count;  // outputs live to the end
  }
  auto bytes = [&](std::size_t node) {
    return node == 0 ? r_.totals.input_memory : r_.layers[node - 1].cost.memory;
  };
  // The bytes freed once layer k has run. Every node in a sum is alive at k,
  // so a sum that overflows means `alive` does, and the loop below throws
  // before it would read the (saturated) sum.
  std::vector<std::int64_t> freed_after(count + 1, 0);
  for (std::size_t node = 0; node <= count; ++node) {
    std::int64_t& freed = freed_after[std::max(last_use[node], node)];
    freed = checked::add(freed, bytes(node)).value_or(INT64_MAX);
  }
  std::int64_t alive = bytes(0);
  std::int64_t peak = alive;
  for (std::size_t k = 1; k <= count; ++k) {
    const LayerMath m = math(r_.layer(k - 1));
    alive = m.add(alive, bytes(k));
    peak = std::max(peak, m.add(alive, r_.layers[k - 1].cost.scratch_memory));
    alive -= freed_after[k];
  }
  r_.totals.peak_memory = peak;
}

void Coster::run() {
  r_.cost_options = o_;
  r_.totals = CostTotals{};
  const std::int64_t bytes = dtype_bytes(o_.dtype);
  const std::string input = "input";
  const LayerMath m(r_.net.file, r_.net.input_pos, input, "cost arithmetic");
  const std::int64_t batch = r_.input.is_whole() ? 1 : o_.batch;  // as in cost_layer
  r_.totals.input_memory = m.mul(m.mul(elements(r_.input, m), batch), bytes);
  for (LayerReport& lr : r_.layers) {
    cost_layer(lr);
  }
  if (!r_.layers.empty()) {
    const LayerMath last = math(r_.layer(r_.layers.size() - 1));
    r_.totals.param_memory = last.add(r_.totals.param_bytes, last.mul(r_.totals.buffers, bytes));
    r_.totals.flops = last.mul(2, r_.totals.macs);
  }
  peak_memory();
}

}  // namespace

void compute_costs(Report& report, const CostOptions& options) { Coster(report, options).run(); }

}  // namespace netlens

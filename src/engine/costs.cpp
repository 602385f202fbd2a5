#include "engine/costs.h"

#include <algorithm>

#include "model/checked.h"

namespace netlens {

namespace {

// One sample's attention costs (docs/costs.md).
struct AttentionCost {
  std::int64_t macs = 0;
  std::int64_t ops = 0;
  std::int64_t scores = 0;  // elements of the score matrices, heads x queries x keys
  std::int64_t buffers = 0;
};

class Coster {
 public:
  Coster(Report& report, const CostOptions& options) : r_(report), o_(options) {}
  void run();

 private:
  LayerMath math(const Layer& layer) const {
    return LayerMath(r_.net.file, layer.pos, layer.name, "cost arithmetic");
  }
  // One sample's elements; the whole tensor's for a tensor without roles.
  static std::int64_t elements(const Shape& s, const LayerMath& m) {
    if (s.is_whole()) {
      std::int64_t n = 1;
      for (const std::int64_t d : s.dims) {
        n = m.mul(n, d);
      }
      return n;
    }
    return s.has_positions() ? m.mul(s.channels, positions(s, m)) : s.channels;
  }
  // Positions of a spatial tensor, or tokens (the grid's and the extra ones).
  static std::int64_t positions(const Shape& s, const LayerMath& m) {
    return m.add(m.product(s.size), s.extra_tokens);
  }
  void cost_layer(LayerReport& lr);
  AttentionCost attention_cost(const Layer& layer, const LayerReport& lr, const LayerMath& m) const;
  static AttentionCost window_attention_cost(const Layer& layer, const LayerReport& lr,
                                             const Shape& in, const LayerMath& m);
  void peak_memory();

  Report& r_;
  const CostOptions& o_;
};

void Coster::cost_layer(LayerReport& lr) {
  const Layer& layer = r_.layer(lr.index - 1);
  const LayerMath m = math(layer);
  const Shape& in = r_.node_shape(lr.inputs[0]);
  // A tensor without roles counts its batch in its dims: such a layer's
  // costs are those of the whole tensors.
  const bool whole = lr.output.is_whole();
  const std::int64_t batch = whole ? 1 : o_.batch;
  const std::int64_t out_elems = elements(lr.output, m);
  const std::int64_t in_elems =
      whole && !in.is_whole() ? m.mul(elements(in, m), o_.batch) : elements(in, m);
  LayerCost& c = lr.cost;
  std::int64_t kernel = 1;
  if (lr.window) {
    for (const AxisWindow& w : *lr.window) {
      kernel = m.mul(kernel, w.kernel);
    }
  }
  std::int64_t macs = 0;
  std::int64_t ops = 0;
  std::int64_t scratch = 0;
  switch (layer.kind) {
    case LayerKind::Conv:
      macs = m.mul(m.mul(out_elems, in.channels / layer.groups), kernel);
      ops = layer.bias ? out_elems : 0;
      break;
    case LayerKind::ConvTranspose:
      // Counted on the input: every input unit meets every weight once.
      macs = m.mul(m.mul(in_elems, lr.output.channels / layer.groups), kernel);
      ops = layer.bias ? out_elems : 0;
      break;
    case LayerKind::Linear:  // also at each position of a channels-last tensor
      macs = m.mul(in_elems, layer.out_channels);
      ops = layer.bias ? out_elems : 0;
      break;
    case LayerKind::MaxPool:
    case LayerKind::AvgPool:
      ops = m.mul(out_elems, kernel);
      break;
    case LayerKind::AdaptiveAvgPool:
    case LayerKind::AdaptiveMaxPool:
    case LayerKind::GlobalAvgPool:
    case LayerKind::GlobalMaxPool:
      ops = std::max(in_elems, out_elems);  // every input read at least once
      break;
    case LayerKind::BatchNorm:
    case LayerKind::InstanceNorm:
      // At inference batch norm is a scale and shift; instance norm first
      // measures each channel's mean and variance (4 ops an element, as layer
      // and group norm do).
      ops = m.mul(layer.kind == LayerKind::BatchNorm ? 2 : 4 + (lr.params > 0 ? 2 : 0), out_elems);
      if (layer.extra->track_running_stats.value_or(layer.kind == LayerKind::BatchNorm)) {
        c.buffers = m.add(m.mul(2, lr.output.channels), 1);  // mean, var, count
      }
      break;
    case LayerKind::LayerNorm:
    case LayerKind::GroupNorm:
      ops = m.mul(4 + (lr.params > 0 ? 2 : 0), out_elems);  // mean, variance, subtract, divide
      break;
    case LayerKind::Lrn:
    case LayerKind::Activation:
    case LayerKind::PRelu:
    case LayerKind::Scale:
    case LayerKind::Upsample:
      ops = out_elems;
      break;
    case LayerKind::Reduce:
      ops = in_elems;
      break;
    case LayerKind::PosEmbedding:
      ops = out_elems;
      break;
    case LayerKind::Attention:
    case LayerKind::WindowAttention: {
      const AttentionCost a = layer.kind == LayerKind::Attention
                                  ? attention_cost(layer, lr, m)
                                  : window_attention_cost(layer, lr, in, m);
      macs = a.macs;
      ops = a.ops;
      scratch = a.scores;
      c.buffers = a.buffers;
      break;
    }
    case LayerKind::Elementwise:
      ops = m.mul(out_elems, static_cast<std::int64_t>(lr.inputs.size()) - 1);
      break;
    case LayerKind::MatMul:  // every output element sums the shared dim's products
      macs = m.mul(out_elems, tensor_shape(in, o_.batch).back());
      break;
    default:  // flatten, dropout, identity, pad, crop, concat, slices, shuffles, permute: data
              // movement
      break;
  }
  c.macs = m.mul(macs, batch);
  c.other_ops = m.mul(ops, batch);
  c.activations = m.mul(out_elems, batch);
  c.memory = m.mul(c.activations, dtype_bytes(o_.dtype));
  c.scratch_memory = m.mul(m.mul(scratch, batch), dtype_bytes(o_.dtype));
  CostTotals& t = r_.totals;
  t.params = m.add(t.params, lr.params);
  t.buffers = m.add(t.buffers, c.buffers);
  t.macs = m.add(t.macs, c.macs);
  t.other_ops = m.add(t.other_ops, c.other_ops);
  t.activation_memory = m.add(t.activation_memory, c.memory);
}

// nn.MultiheadAttention: the q, k, v projections, Q.K^T, the scores times V
// and the output projection are MACs; the biases, q's scaling and the softmax
// other ops.
AttentionCost Coster::attention_cost(const Layer& layer, const LayerReport& lr,
                                     const LayerMath& m) const {
  const Shape& q = r_.node_shape(lr.inputs[0]);
  const Shape& k = r_.node_shape(lr.inputs[lr.inputs.size() == 1 ? 0 : 1]);
  const Shape& v = r_.node_shape(lr.inputs.back());
  const std::int64_t e = lr.output.channels;
  const std::int64_t lq = positions(q, m);
  const std::int64_t lk = positions(k, m);
  const std::int64_t heads = layer.extra->num_heads;
  AttentionCost a;
  const std::int64_t projections =
      m.add(m.mul(m.mul(lq, e), m.mul(2, e)), m.mul(m.mul(lk, e), m.add(k.channels, v.channels)));
  a.macs = m.add(projections, m.mul(m.mul(2, lq), m.mul(lk, e)));
  a.scores = m.mul(heads, m.mul(lq, lk));
  const std::int64_t biases =
      layer.bias ? m.add(m.mul(2, m.mul(lq, e)), m.mul(2, m.mul(lk, e))) : 0;
  a.ops = m.add(m.add(biases, m.mul(lq, e)), a.scores);
  return a;
}

// torchvision's shifted_window_attention on the padded grid: per window of n
// units, qkv (n C 3C), Q.K^T and scores.V (n n C each) and proj (n C C); the
// relative position bias, the shift's mask and the softmax add other ops.
AttentionCost Coster::window_attention_cost(const Layer& layer, const LayerReport& lr,
                                            const Shape& in, const LayerMath& m) {
  const LayerExtras& x = *layer.extra;
  const std::int64_t c = lr.output.channels;
  std::int64_t padded = 1;  // units of the padded grid
  std::int64_t n = 1;       // units of one window
  bool shifted = false;
  for (std::size_t a = 0; a < in.size.size(); ++a) {
    const std::int64_t w = x.window_size.at(a);
    const std::int64_t p = m.mul(checked::ceil_div(in.size[a], w), w);
    padded = m.mul(padded, p);
    n = m.mul(n, w);
    shifted = shifted || (x.shift_size.given && x.shift_size.at(a) > 0 && w < p);
  }
  AttentionCost a;
  a.macs = m.add(m.mul(m.mul(padded, c), m.mul(4, c)), m.mul(m.mul(2, padded), m.mul(n, c)));
  a.scores = m.mul(x.num_heads, m.mul(padded, n));
  a.buffers = m.mul(n, n);  // relative_position_index
  const std::int64_t biases = layer.bias ? m.mul(padded, m.mul(4, c)) : 0;
  a.ops = m.add(m.add(biases, m.mul(padded, c)), m.mul(a.scores, shifted ? 3 : 2));
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
  r_.totals.input_memory =
      r_.input.is_whole()
          ? m.mul(elements(r_.input, m), bytes)
          : m.mul(m.mul(m.mul(r_.input.channels, m.product(r_.input.size)), o_.batch), bytes);
  for (LayerReport& lr : r_.layers) {
    cost_layer(lr);
  }
  if (!r_.layers.empty()) {
    const LayerMath last = math(r_.layer(r_.layers.size() - 1));
    r_.totals.param_memory = last.mul(last.add(r_.totals.params, r_.totals.buffers), bytes);
    r_.totals.flops = last.mul(2, r_.totals.macs);
  }
  peak_memory();
}

}  // namespace

void compute_costs(Report& report, const CostOptions& options) { Coster(report, options).run(); }

}  // namespace netlens

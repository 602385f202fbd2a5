// The shape rules of the transformer layers (docs/transformers.md): tokens,
// class tokens, positional embeddings, attention, Swin's windows.
#include <fmt/format.h>

#include "engine/shape_rule.h"

namespace netlens::shape {

// (N, L, C) tokens, channels last: what class_token, pos_embedding, select
// and attention read (nn.MultiheadAttention with batch_first=True).
void Rule::require_tokens(std::size_t k) const {
  const Shape& s = *inputs_[k].shape;
  if (s.layout != Layout::TokensLast) {
    fail(fmt::format("{} needs tokens (N, L, C), but '{}' is {}{}", layer_.type, *inputs_[k].name,
                     !s.has_positions() ? "flat, " : "", format_shape(s)));
  }
}

// (N, spatial..., C): what Swin's window attention and patch merging read.
void Rule::require_channels_last() const {
  if (in().layout != Layout::ChannelsLast) {
    fail(fmt::format(
        "{} needs a channels-last tensor (N, H, W, C) (permute [0, 2, 3, 1]), but "
        "'{}' is {}{}",
        layer_.type, *inputs_[0].name, !in().has_positions() ? "flat, " : "", format_shape(in())));
  }
}

std::int64_t Rule::token_count(const Shape& s) const {
  return add(s.extra_tokens, product(s.size));
}

void Rule::class_token(LayerShape& r) {
  require_tokens(0);
  r.output = in();
  r.output.extra_tokens = add(in().extra_tokens, layer_.extra->tokens);
  r.params = mul(layer_.extra->tokens, in().channels);
}

// A learned (1, L, C) table added to the tokens: L must be the input's
// tokens, as torch's broadcasting requires, unless the table is resized to
// the grid (`interpolate`, timm's and DINO's practice); its params are L x C.
void Rule::pos_embedding(LayerShape& r) {
  require_tokens(0);
  r.output = in();
  const std::int64_t n = token_count(in());
  const std::optional<std::int64_t> length = layer_.extra->length;
  if (length && *length != n && !layer_.extra->interpolate) {
    fail_at(pos_of(Field::length),
            fmt::format("the table has {} tokens, but '{}' has {} ({} cells{}): PyTorch fails "
                        "here; `interpolate: bicubic` resizes the table to the grid",
                        *length, *inputs_[0].name, n, format_size(in().size),
                        in().extra_tokens ? fmt::format(" and {} more", in().extra_tokens) : ""));
  }
  r.params = mul(length.value_or(n), in().channels);
}

// x[:, index]: one token's features.
void Rule::select(LayerShape& r) {
  require_tokens(0);
  const LayerExtras& x = *layer_.extra;
  const std::int64_t dim = x.dim.value_or(1);
  if (dim != 1 && dim != -2) {
    fail(fmt::format("select takes a token (dim 1 of (N, L, C)), got dim {}", dim));
  }
  const std::int64_t n = token_count(in());
  if (x.index < -n || x.index >= n) {
    fail(fmt::format("select index {} is out of range for {} tokens", x.index, n));
  }
  r.output.layout = Layout::Flat;
  r.output.channels = in().channels;
}

// nn.MultiheadAttention: inputs [x] (self-attention), [q, kv] or [q, k, v].
// Its params as PyTorch counts them: the q, k and v projections (one
// in_proj_weight when kdim == vdim == embed_dim), in_proj_bias, out_proj.
void Rule::attention(LayerShape& r) {
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    require_tokens(k);
  }
  const LayerExtras& x = *layer_.extra;
  const std::int64_t e = x.embed_dim.value_or(in().channels);
  const Shape& key = *inputs_[inputs_.size() == 1 ? 0 : 1].shape;
  const Shape& value = *inputs_.back().shape;
  const std::int64_t kdim = x.kdim.value_or(e);
  const std::int64_t vdim = x.vdim.value_or(e);
  const auto check = [&](std::size_t k, const char* role, const char* field,
                         std::int64_t declared) {
    const std::int64_t features = inputs_[k].shape->channels;
    if (features != declared) {
      fail(fmt::format("the {} '{}' has {} features, but {} is {}", role, *inputs_[k].name,
                       features, field, declared));
    }
  };
  check(0, "query", "embed_dim", e);
  check(inputs_.size() == 1 ? 0 : 1, "key", "kdim", kdim);
  check(inputs_.size() - 1, "value", "vdim", vdim);
  if (token_count(key) != token_count(value)) {
    fail(fmt::format("keys and values differ in length: {} and {} tokens", token_count(key),
                     token_count(value)));
  }
  if (e % x.num_heads != 0) {
    fail(fmt::format("embed_dim {} is not divisible by num_heads {}", e, x.num_heads));
  }
  r.output = in();
  r.output.channels = e;
  const std::int64_t biases = layer_.bias ? mul(4, e) : 0;
  r.params = add(mul(e, add(add(e, kdim), add(vdim, e))), biases);
}

// torchvision's ShiftedWindowAttention: qkv and proj linears, a relative
// position bias table per head; its index is a buffer (costs.cpp).
void Rule::window_attention(LayerShape& r) {
  require_channels_last();
  const LayerExtras& x = *layer_.extra;
  const auto window = expand(x.window_size, Field::window_size, 1);
  expand(x.shift_size, Field::shift_size, 0);
  const std::int64_t c = in().channels;
  if (c % x.num_heads != 0) {
    fail(fmt::format("{} channels are not divisible by num_heads {}", c, x.num_heads));
  }
  std::int64_t table = x.num_heads;
  for (const std::int64_t w : window) {
    table = mul(table, 2 * w - 1);
  }
  r.output = in();
  r.params = add(add(mul(mul(3, c), c), mul(c, c)), add(table, layer_.bias ? mul(4, c) : 0));
}

// torchvision's _patch_merging_pad: odd sizes padded at the end, then each
// 2x2 block's four units side by side on channels (a window 2, stride 2).
void Rule::patch_merge(LayerShape& r) {
  require_channels_last();
  r.output = in();
  r.window = PerAxis<AxisWindow>();
  for (std::size_t a = 0; a < rank(); ++a) {
    const std::int64_t n = in().size[a];
    r.window->push_back(AxisWindow{2, 2, 1, 0, n % 2});
    r.output.size[a] = (n + 1) / 2;
  }
  r.output.channels = mul(in().channels, product(PerAxis<std::int64_t>(rank(), 2)));
}

}  // namespace netlens::shape

// Swin's shifted windows as torch.onnx writes them: torch.roll is a Concat of
// two Slices of one tensor along one axis (x[s:], x[:s]) (and a circular
// padding, F.pad's or a conv's padding_mode, is x[n-p:], x, x[:q]), and the mask that
// keeps a window's queries on their side of the roll's seam is a constant
// added to the scores. The roll is matched before its nodes are read (the
// Slices wait, as a channel shuffle's first nodes do: shuffle.cpp); the mask
// is read from its values, and only torchvision's own is followed.
#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "engine/dims.h"
#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

// A Slice of one axis with step 1 as [start, end) of a dim of n; nullopt when not one.
std::optional<std::pair<std::int64_t, std::int64_t>> one_cut(NodeContext& c, std::size_t axis,
                                                             std::int64_t n) {
  const SliceArgs s = slice_args(c);
  if (s.starts.size() != 1 || s.steps[0] != 1 ||
      dims::axis(s.axes[0], c.dims(c.input(0)).size()) != axis) {
    return std::nullopt;
  }
  const auto clamp = [&](std::int64_t v) {
    return std::clamp<std::int64_t>(v < 0 ? v + n : v, 0, n);
  };
  return std::pair{clamp(s.starts[0]), clamp(s.ends[0])};
}

}  // namespace

std::vector<RollChain> find_rolls(const onnx::GraphProto& graph) {
  const int n = graph.node_size();
  std::unordered_map<std::string_view, int> producer;
  std::unordered_map<std::string_view, int> readers;
  for (int i = 0; i < n; ++i) {
    for (const std::string& out : graph.node(i).output()) {
      producer[out] = i;
    }
    for (const std::string& in : graph.node(i).input()) {
      ++readers[in];
    }
  }
  for (const onnx::ValueInfoProto& out : graph.output()) {
    ++readers[out.name()];
  }
  // Input k of `cat` when a Slice read only there makes it: that node, else -1.
  const auto slice_at = [&](const onnx::NodeProto& cat, int k) {
    const auto it = producer.find(cat.input(k));
    const bool alone = it != producer.end() && readers[cat.input(k)] == 1;
    return alone && is_op(graph.node(it->second), "Slice") &&
                   graph.node(it->second).input_size() > 0
               ? it->second
               : -1;
  };
  const auto source = [&](int slice) -> const std::string& { return graph.node(slice).input(0); };
  std::vector<RollChain> chain_of(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const onnx::NodeProto& cat = graph.node(i);
    const int m = cat.input_size();
    if (!is_op(cat, "Concat") || m < 2 || m > 3) {
      continue;
    }
    RollChain chain{-1, -1, i, false};
    if (m == 2 && slice_at(cat, 0) >= 0 && slice_at(cat, 1) >= 0 &&
        slice_at(cat, 0) != slice_at(cat, 1) &&
        source(slice_at(cat, 0)) == source(slice_at(cat, 1))) {
      chain.head = slice_at(cat, 0);  // x[s:], x[:s]: a roll
      chain.tail = slice_at(cat, 1);
    } else {
      // x[n-p:], x, x[:q] (either slice absent when its side pads nothing):
      // a circular padding.
      const int x = m == 3 ? 1 : slice_at(cat, 0) >= 0 ? 1 : 0;
      chain.head = x == 1 ? slice_at(cat, 0) : -1;
      chain.tail = x + 1 < m ? slice_at(cat, x + 1) : -1;
      chain.pad = true;
      const bool slices_of_x =
          (chain.head >= 0 || chain.tail >= 0) && (m == 2 || (chain.head >= 0 && chain.tail >= 0));
      if (!slices_of_x || (chain.head >= 0 && source(chain.head) != cat.input(x)) ||
          (chain.tail >= 0 && source(chain.tail) != cat.input(x))) {
        continue;
      }
    }
    for (const int node : {chain.head, chain.tail, i}) {
      if (node >= 0) {
        chain_of[static_cast<std::size_t>(node)] = chain;
      }
    }
  }
  return chain_of;
}

// A circular padding's pads on axis a of x (n long): x[n-p:] before it
// (p), x[:q] after it (q); nullopt when a slice is not that.
std::optional<std::pair<std::int64_t, std::int64_t>> circular_pads(Graph& g,
                                                                   const onnx::GraphProto& graph,
                                                                   const RollChain& chain,
                                                                   std::size_t a, std::int64_t n) {
  std::pair<std::int64_t, std::int64_t> pads{0, 0};
  if (chain.head >= 0) {
    NodeContext head(g, graph.node(chain.head));
    const auto cut = one_cut(head, a, n);
    if (!cut || cut->second != n) {
      return std::nullopt;  // torch 1.13 writes x[n-p-1:n-1]: another function, read as it is
    }
    pads.first = n - cut->first;
  }
  if (chain.tail >= 0) {
    NodeContext tail(g, graph.node(chain.tail));
    const auto cut = one_cut(tail, a, n);
    if (!cut || cut->first != 0) {
      return std::nullopt;
    }
    pads.second = cut->second;
  }
  return pads;
}

bool read_roll(Graph& g, const onnx::GraphProto& graph, const RollChain& chain) {
  NodeContext cat(g, graph.node(chain.concat));
  const Value* x = nullptr;
  std::int64_t axis = 0;
  std::int64_t shift = 0;
  try {
    NodeContext slice(g, graph.node(chain.head >= 0 ? chain.head : chain.tail));
    if (!slice.has_input(0) || slice.input(0).constant) {
      return false;  // folded
    }
    x = &slice.input(0);
    const std::vector<std::int64_t> d = slice.dims(*x);
    const std::size_t a = dims::axis(cat.attr_int("axis", 0), d.size());
    if (chain.pad) {
      // F.pad(x, (p, q), mode="circular") on axis a.
      const auto pads = circular_pads(g, graph, chain, a, d[a]);
      if (!pads) {
        return false;
      }
      std::vector<std::int64_t> all(2 * d.size(), 0);
      all[a] = pads->first;
      all[a + d.size()] = pads->second;
      emit_pad(cat, *x, all, "circular");
      return true;
    }
    NodeContext head(g, graph.node(chain.head));
    NodeContext tail(g, graph.node(chain.tail));
    const auto first = one_cut(head, a, d[a]);
    const auto second = one_cut(tail, a, d[a]);
    // x[s:] then x[:s], 0 < s < n: torch.roll(x, -s, a)
    if (!first || !second || first->second != d[a] || second->first != 0 ||
        first->first != second->second || first->first <= 0 || first->first >= d[a]) {
      return false;
    }
    axis = static_cast<std::int64_t>(a);
    shift = -first->first;
  } catch (const Error&) {
    return false;  // read one by one, the node at fault says why
  }
  Layer l = new_layer("roll");
  l.extra->shifts = {shift};
  l.extra->dims = {axis};
  cat.emit(std::move(l), {x});
  return true;
}

// torchvision's mask (shifted_window_attention) on a grid of `size` split in
// windows of `window`, rolled by -shift: on each axis a position is labelled
// by where it lies (before the last window, the last window's part before
// the seam, the part after it), and a query reads a key of another label
// through -100 only (softmax gives it 0 weight: e^-100 is below float's
// resolution of 1). `masked` (windows x cells x cells, windows and cells in
// row-major axis order) is the file's: a value of -100 or less.
bool is_swin_mask(const std::vector<bool>& masked, const PerAxis<std::int64_t>& size,
                  const PerAxis<std::int64_t>& window, const PerAxis<std::int64_t>& shift) {
  const std::size_t rank = size.size();
  std::int64_t windows = 1;
  std::int64_t cells = 1;
  for (std::size_t a = 0; a < rank; ++a) {
    windows *= size[a] / window[a];
    cells *= window[a];
  }
  if (static_cast<std::int64_t>(masked.size()) != windows * cells * cells) {
    return false;
  }
  // The label of cell `c` of window `w`: per axis 0, 1 or 2, as one number.
  const auto label = [&](std::int64_t w, std::int64_t c) {
    std::int64_t l = 0;
    for (std::size_t a = rank; a-- > 0;) {
      const std::int64_t p = (w % (size[a] / window[a])) * window[a] + c % window[a];
      w /= size[a] / window[a];
      c /= window[a];
      l = l * 3 + (p < size[a] - window[a] ? 0 : p < size[a] - shift[a] ? 1 : 2);
    }
    return l;
  };
  std::size_t k = 0;
  for (std::int64_t w = 0; w < windows; ++w) {
    for (std::int64_t q = 0; q < cells; ++q) {
      for (std::int64_t key = 0; key < cells; ++key) {
        if (masked[k++] != (label(w, q) != label(w, key))) {
          return false;
        }
      }
    }
  }
  return true;
}

std::optional<PerAxis<std::int64_t>> swin_mask_shift(const Value& scores, const Value& mask) {
  const Shape& s = scores.shape;
  const bool windows = s.is_whole() && s.keeps_grid() && s.window.size() == s.size.size() &&
                       std::all_of(s.window.begin(), s.window.end(), [](auto w) { return w > 0; });
  if (!windows || !mask.reals || mask.dims.size() > s.dims.size()) {
    return std::nullopt;
  }
  // The mask's dims, right-aligned: the scores' windows, queries' and keys'
  // cells, in that order, and 1 on every other dim.
  std::vector<Role> order;
  const std::size_t first = s.dims.size() - mask.dims.size();
  for (std::size_t k = 0; k < s.dims.size(); ++k) {
    const Role r = s.roles[k].role;
    const std::int64_t m = k < first ? 1 : mask.dims[k - first];
    if (r == Role::Windows || r == Role::Cells || r == Role::KeyCells) {
      order.push_back(r);
      if (m != s.dims[k]) {
        return std::nullopt;
      }
    } else if (m != 1) {
      return std::nullopt;
    }
  }
  if (order != std::vector<Role>{Role::Windows, Role::Cells, Role::KeyCells}) {
    return std::nullopt;
  }
  std::vector<bool> masked;
  for (const double v : *mask.reals) {
    masked.push_back(v <= -100);
  }
  if (std::none_of(masked.begin(), masked.end(), [](bool m) { return m; })) {
    return std::nullopt;
  }
  // Every shift below the window on each axis, the first that matches.
  PerAxis<std::int64_t> shift(s.size.size(), 0);
  while (true) {
    if (is_swin_mask(masked, s.size, s.window, shift)) {
      return shift;
    }
    std::size_t a = 0;
    while (a < shift.size() && ++shift[a] == s.window[a]) {
      shift[a++] = 0;
    }
    if (a == shift.size()) {
      return std::nullopt;
    }
  }
}

}  // namespace netlens::onnx_reader

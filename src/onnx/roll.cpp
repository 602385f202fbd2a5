// Swin's shifted windows as torch.onnx writes them: torch.roll is a Concat of
// two Slices of one tensor along one axis (x[s:], x[:s]), and the mask that
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
  std::vector<RollChain> chain_of(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const onnx::NodeProto& cat = graph.node(i);
    if (!is_op(cat, "Concat") || cat.input_size() != 2) {
      continue;
    }
    int slices[2] = {-1, -1};
    for (int k = 0; k < 2; ++k) {
      const auto it = producer.find(cat.input(k));
      const bool alone = readers[cat.input(k)] == 1;
      if (it != producer.end() && alone && is_op(graph.node(it->second), "Slice") &&
          graph.node(it->second).input_size() > 0) {
        slices[k] = it->second;
      }
    }
    if (slices[0] < 0 || slices[1] < 0 || slices[0] == slices[1] ||
        graph.node(slices[0]).input(0) != graph.node(slices[1]).input(0)) {
      continue;
    }
    const RollChain chain{slices[0], slices[1], i};
    for (const int node : {slices[0], slices[1], i}) {
      chain_of[static_cast<std::size_t>(node)] = chain;
    }
  }
  return chain_of;
}

bool read_roll(Graph& g, const onnx::GraphProto& graph, const RollChain& chain) {
  NodeContext cat(g, graph.node(chain.concat));
  NodeContext head(g, graph.node(chain.head));
  NodeContext tail(g, graph.node(chain.tail));
  const Value* x = nullptr;
  std::int64_t axis = 0;
  std::int64_t shift = 0;
  try {
    if (!head.has_input(0) || head.input(0).constant) {
      return false;  // folded
    }
    x = &head.input(0);
    const std::vector<std::int64_t> d = head.dims(*x);
    const std::size_t a = dims::axis(cat.attr_int("axis", 0), d.size());
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

// Report: what the engine computed for a net, layer by layer. Formatters only
// read it. The few texts here are shared by messages and every format.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/net.h"
#include "model/ratio.h"

namespace netlens {

// How a tensor's axes are laid out, batch first (docs/semantics.md, "Roles").
enum class Layout : std::uint8_t {
  Spatial,       // (N, C, spatial...)
  ChannelsLast,  // (N, spatial..., C): after a permute
  Tokens,        // (N, C, L): the spatial axes flattened into one axis of tokens
  TokensLast,    // (N, L, C)
  Flat,          // (N, C): features, no spatial axes (after flatten or linear)
  Whole,         // a whole tensor: `dims`, batch included, no axis has a role
};

// What one dim of a whole tensor holds (docs/semantics.md, "Roles"), so that
// receptive fields carry on through reshapes and transposes.
enum class Role : std::uint8_t {
  Other,  // nothing netlens can name: its positions are lost
  Batch,
  Features,   // channels, or a part of them (heads, head dims, groups)
  Spatial,    // input axis `axis`
  Grid,       // every spatial axis flattened into tokens, extra tokens first
  Keys,       // a grid indexing another tensor's tokens (attention scores)
  Window,     // which window of spatial axis `axis` (its positions split into windows)
  Cell,       // the position inside its window on spatial axis `axis`
  Windows,    // the windows of every spatial axis (and the batch), flattened
  Cells,      // the positions inside a window on every spatial axis, flattened
  KeyCells,   // cells indexing another tensor's cells of the same window (scores)
  GroupGrid,  // a group's channels and every position, flattened (GroupNorm's export)
};
struct DimRole {
  Role role = Role::Other;
  std::uint8_t axis = 0;  // Spatial: which input axis
  bool operator==(const DimRole&) const = default;
};

// A tensor's shape. Spatial and token layouts keep the grid in `size` (a
// token's region is its cell's); extra (class) tokens come first and have no
// cell. A whole tensor (docs/semantics.md, "Whole tensors") is its `dims`
// and their roles; where these still hold every spatial axis, `size` and
// `extra_tokens` keep the grid and its units have regions (`keeps_grid`).
// A flat tensor has no receptive field.
struct Shape {
  Layout layout = Layout::Spatial;
  PerAxis<std::int64_t> size;
  std::int64_t channels = 0;
  std::int64_t extra_tokens = 0;
  std::vector<std::int64_t> dims;  // a whole tensor's, batch included
  std::vector<DimRole> roles;      // a whole tensor's, one per dim
  PerAxis<std::int64_t> window;    // positions split into windows: a window's size per axis
  // Positions rolled (torch.roll): unit i of axis a holds position
  // (i - roll[a]) mod n. Set by the analysis (engine/propagate_rf.cpp), not
  // by the shape rules; empty or 0: in order.
  PerAxis<std::int64_t> roll;
  // Attention scores over windows masked as Swin's shifted windows are
  // (window_mask): the shift per axis; the units that read them carry it.
  PerAxis<std::int64_t> window_shift;

  // Positions with a receptive field: spatial axes or tokens.
  bool has_positions() const { return layout != Layout::Flat && layout != Layout::Whole; }
  bool is_whole() const { return layout == Layout::Whole; }
  bool keeps_grid() const { return is_whole() && !size.empty(); }
  // Units with a region on every input axis: positions or a kept grid.
  bool tracks_positions() const { return has_positions() || keeps_grid(); }
  bool is_tokens() const { return layout == Layout::Tokens || layout == Layout::TokensLast; }
  bool is_spatial() const { return layout == Layout::Spatial || layout == Layout::ChannelsLast; }
  bool channels_last() const {
    return layout == Layout::ChannelsLast || layout == Layout::TokensLast;
  }
  // The same positions with the channel axis first (`last` false) or last.
  void put_channels_last(bool last) {
    if (is_tokens()) {
      layout = last ? Layout::TokensLast : Layout::Tokens;
    } else if (is_spatial()) {
      layout = last ? Layout::ChannelsLast : Layout::Spatial;
    }
  }
};

// Receptive-field numbers of one axis of a layer's output (spec §2).
// nullopt = no single value (non-uniform units) or not computed.
struct AxisRf {
  std::optional<std::int64_t> rf;      // the largest unit's region
  std::optional<std::int64_t> rf_min;  // the smallest (exact regions only)
  std::optional<Ratio> jump;
  std::optional<Ratio> padding_eff;
  std::optional<Ratio> center_offset;
  bool global = false;  // every unit sees the whole input
  bool operator==(const AxisRf&) const = default;
};

// The sliding-window geometry a layer applied on one axis (conv, pools, pad).
struct AxisWindow {
  std::int64_t kernel = 1;
  std::int64_t stride = 1;
  std::int64_t dilation = 1;
  std::int64_t pad_lo = 0;
  std::int64_t pad_hi = 0;
};

// How the units of a layer on roles (engine/whole_rules.cpp) read their inputs.
enum class Mixing : std::uint8_t {
  None,      // unit i reads unit i of each input that has positions (or reads nothing)
  Global,    // every unit reads every position: a matmul or softmax over tokens
  Windowed,  // every unit reads the positions of its window: over the cells of windows
  Unknown,   // units read positions netlens cannot name (a query's and a key's)
};

// What a warning is about; docs/semantics.md says when each is given.
enum class WarningKind : std::uint8_t {
  Misaligned,      // a merge's inputs are centred or spaced differently
  UnreadInput,     // a window leaves the last input positions unread
  PaddingOnly,     // a window reads only padding
  DeadLayer,       // nothing reads a layer's output
  RfExceedsInput,  // units see more than the input
  RegionsSkipped,  // the unit-by-unit regions were too big to compute
  RolesLost,       // a layer's output no longer holds the grid: no receptive field after it
  AssumedBatch,    // an ONNX input's symbolic batch dim, taken as 1
  GuessedBranch,   // an ONNX If whose condition depends on the input: one branch read
};
inline constexpr std::size_t kWarningKinds = 9;
const char* warning_kind_name(WarningKind kind);  // misaligned, unread-input, ...
std::optional<WarningKind> warning_kind_from_name(std::string_view name);

struct Warning {
  WarningKind kind = WarningKind::Misaligned;
  std::string layer;              // empty: the whole net
  SourcePos pos;                  // the layer's entry
  std::vector<std::size_t> axes;  // the axes it concerns (none: not about axes)
  std::string text;               // the message, axes named in it
};

// What a layer costs (spec: issue 0.3; docs/costs.md). MACs are the
// multiply-accumulates of the layer's weights; FLOPs = 2 x MACs.
struct LayerCost {
  std::int64_t buffers = 0;  // batch-norm running statistics
  std::int64_t macs = 0;
  std::int64_t other_ops = 0;    // element-wise work: pooling, activations, bias, merges
  std::int64_t activations = 0;  // output elements (x batch)
  std::int64_t memory = 0;       // bytes of the output at the chosen dtype
  // Bytes alive only while the layer runs: attention's score matrices.
  std::int64_t scratch_memory = 0;
};

enum class DType : std::uint8_t { Float32, Float16, BFloat16, Int8 };
const char* dtype_name(DType dtype);
std::optional<DType> dtype_from_name(std::string_view name);
std::int64_t dtype_bytes(DType dtype);

struct CostOptions {
  std::int64_t batch = 1;
  DType dtype = DType::Float32;
  // An ONNX file's weights at the bytes it stores them in (no --dtype given).
  bool stored_params = false;
};

struct CostTotals {
  std::int64_t params = 0;
  std::int64_t buffers = 0;
  std::int64_t macs = 0;
  std::int64_t flops = 0;  // 2 x macs
  std::int64_t other_ops = 0;
  std::int64_t param_memory = 0;  // bytes of params + buffers at the dtype
  // Some weights are counted at the bytes the ONNX file stores them in, which
  // differ from the dtype's (a float16 or int8 file): param_memory says so.
  bool params_as_stored = false;
  std::int64_t param_bytes = 0;        // the params' part of param_memory
  std::int64_t activation_memory = 0;  // bytes of every output, summed
  std::int64_t peak_memory = 0;        // bytes alive at once, layers in spec order
  std::int64_t input_memory = 0;       // bytes of the input tensor
};

struct LayerReport {
  std::size_t index = 0;            // 1-based, as in the spec's layer list
  std::vector<std::size_t> inputs;  // 0 = the net input, i = layer i
  Shape output;
  std::optional<PerAxis<AxisWindow>> window;  // layers with kernel/stride/padding
  PerAxis<AxisRf> rf;
  bool global_rf = false;
  // A whole tensor's units: which input positions they read is unknown
  // (printed ?, JSON null), never global (docs/semantics.md, "Whole tensors").
  bool rf_unknown = false;
  // Units also modulated by a global operation (a squeeze-and-excitation
  // gate): rf, jump and regions are those of the local paths (docs/semantics.md).
  bool global_context = false;
  // Global because attention mixed every token into every unit, at full
  // size: merged with local paths it makes them global, it is not context.
  bool attended = false;
  // Set when the layer's rule ran on roles (a whole tensor, or one made whole).
  std::optional<Mixing> mixing;
  // A constant, or made of constants only: it reads no input position.
  bool reads_nothing = false;
  std::int64_t params = 0;
  LayerCost cost;
  std::vector<Warning> warnings;
  // Effective receptive field (`analyze --erf`, docs/semantics.md): per axis
  // the radius around the centre unit's centre that holds 50% / 95% of its
  // paths; nullopt when not computed or the layer has none (global).
  std::optional<PerAxis<Ratio>> erf50;
  std::optional<PerAxis<Ratio>> erf95;
};

struct Report {
  Net net;  // the analyzed net, with the command line's overrides applied
  Shape input;
  std::vector<LayerReport> layers;  // layers[i] describes net.layers[i]
  // The net's outputs (node ids): the spec's `outputs:`, else the last layer.
  std::vector<std::size_t> outputs;
  std::int64_t total_params = 0;
  CostOptions cost_options;
  CostTotals totals;
  std::vector<Warning> warnings;  // every warning, in layer order
  // Warnings of a kind the layer's `allow:` accepts: not printed as warnings,
  // not failing --strict, counted in the summary (never hidden).
  std::vector<Warning> accepted_warnings;
  bool erf = false;  // erf50 / erf95 computed (`analyze --erf`)
  // A depth view (format/blocks.cpp): each row a block of the net's
  // `blocked_layers` layers, grouped by the first `depth` parts of their names.
  std::size_t depth = 0;
  std::size_t blocked_layers = 0;

  const Layer& layer(std::size_t i) const { return net.layers[i]; }
  // The name of node `id` (0 = "input") and its output shape.
  const std::string& node_name(std::size_t id) const;
  const Shape& node_shape(std::size_t id) const { return id == 0 ? input : layers[id - 1].output; }
};

// Axis labels used in messages and CSV headers: l | h w | d h w.
const char* axis_name(std::size_t rank, std::size_t axis);
// Some of a rank's axes in a sentence: "axis h", "axes d and w", "every axis".
std::string axis_phrase(const std::vector<std::size_t>& axes, std::size_t rank);

// "224" for one axis, "224x320" otherwise; with channels, "64x56x56".
std::string format_size(const PerAxis<std::int64_t>& size);
std::string format_shape(const Shape& shape);
// The whole tensor, batch first, in its own axis order: [1, 64, 56, 56], or
// [1, 56, 56, 64] channels last, [1, 1000] flat.
std::vector<std::int64_t> tensor_shape(const Shape& shape, std::int64_t batch);

}  // namespace netlens

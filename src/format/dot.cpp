// --format dot: the net as a Graphviz graph (render with `dot -Tsvg`).
// Layers are nodes with their type, output, rf and jump; edges follow
// `inputs`; merges are drawn as diamonds, misaligned ones in red.
#include <fmt/format.h>

#include <algorithm>

#include "format/columns.h"
#include "format/format.h"
#include "model/layer_types.h"

namespace netlens {

namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

bool misaligned(const LayerReport& lr) {
  return std::any_of(lr.warnings.begin(), lr.warnings.end(),
                     [](const Warning& w) { return w.kind == WarningKind::Misaligned; });
}

}  // namespace

std::string render_dot(const Report& report) {
  const auto columns = select_columns({"rf", "jump"});
  std::string out = fmt::format("digraph \"{}\" {{\n", escape(report.net.name));
  out +=
      "  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6fb\", "
      "fontname=\"Helvetica\", fontsize=10];\n  edge [color=\"#667085\"];\n";
  out += fmt::format("  n0 [label=\"input\\n{}\", shape=ellipse, fillcolor=\"#e3f2e1\"];\n",
                     escape(format_shape(report.input)));
  for (const LayerReport& lr : report.layers) {
    const Layer& layer = report.layer(lr.index - 1);
    const std::string label =
        fmt::format("{}\\n{}  {}\\nrf {}  jump {}", escape(layer.name), layer.type,
                    escape(format_shape(lr.output)), cell(*columns[0], report, lr),
                    cell(*columns[1], report, lr));
    std::string style;
    if (layer_type(layer.kind).reads == Reads::Union) {
      style = misaligned(lr) ? ", shape=diamond, fillcolor=\"#fde2e1\", color=\"#d92d20\""
                             : ", shape=diamond, fillcolor=\"#fff4d6\"";
    }
    out += fmt::format("  n{} [label=\"{}\"{}];\n", lr.index, label, style);
    for (std::size_t in : lr.inputs) {
      out += fmt::format("  n{} -> n{};\n", in, lr.index);
    }
  }
  return out + "}\n";
}

}  // namespace netlens

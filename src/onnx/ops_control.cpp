// Control flow: an If reads one branch. Its condition folds to a constant
// when it depends on shapes alone (an exporter's `if x.size(2) > 8`); one
// that depends on the input's values cannot be known: --onnx-branch names
// the branch, else the then branch is read and a warning says so.
#include <fmt/format.h>

#include "engine/dims.h"
#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

// The branch an If reads, "then" or "else".
std::string branch_of(NodeContext& c) {
  const Value& cond = c.input(0);
  if (cond.constant && has_values(cond)) {
    if (cond.reals ? cond.reals->size() != 1 : cond.ints->size() != 1) {
      c.fail(fmt::format("its condition has {} elements; If takes one", dims::text(cond.dims)));
    }
    const bool holds = cond.reals ? cond.reals->at(0) != 0 : cond.ints->at(0) != 0;
    return holds ? "then" : "else";
  }
  Graph& g = c.graph();
  const std::string name = c.display_name();
  if (g.branches) {
    if (const auto it = g.branches->find(name); it != g.branches->end()) {
      return it->second;
    }
  }
  g.net.guessed_branches.push_back(name);
  return "then";
}

}  // namespace

// Its branch's nodes become layers named IF/then/NODE; the branch's outputs
// are the If's.
void convert_if(NodeContext& c, std::string_view /*type*/) {
  const std::string branch = branch_of(c);
  const onnx::AttributeProto* a = c.attr(branch + "_branch");
  if (a == nullptr || !a->has_g()) {
    c.fail(fmt::format("has no {}_branch graph", branch));
  }
  const onnx::GraphProto& sub = a->g();
  if (sub.output_size() != c.node().output_size()) {
    c.fail(fmt::format("its {} branch has {} outputs, the node {}", branch, sub.output_size(),
                       c.node().output_size()));
  }
  Graph& g = c.graph();
  const std::string outer = g.scope;
  g.scope = fmt::format("{}/{}/", c.display_name(), branch);
  read_subgraph(g, sub);
  g.scope = outer;
  for (int k = 0; k < sub.output_size(); ++k) {
    const auto it = g.values.find(sub.output(k).name());
    if (it == g.values.end()) {
      c.fail(fmt::format("its {} branch's output '{}' is made by no node", branch,
                         sub.output(k).name()));
    }
    c.forward(it->second, k);
  }
}

}  // namespace netlens::onnx_reader

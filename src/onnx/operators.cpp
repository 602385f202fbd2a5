// The operator table (operators.def) and what the reader does with a row:
// check a node against it, then fold or convert the node.
#include "onnx/operators.h"

#include <fmt/format.h>

#include <map>
#include <utility>

#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

constexpr OpRow kOperators[] = {
#define NETLENS_ONNX_OP(op, domain, since, convert, type, fold, inputs) \
  {#op, domain, since, convert, type, fold, weights::inputs},
#include "onnx/operators.def"
#undef NETLENS_ONNX_OP
};

std::string_view domain_of(std::string_view domain) { return domain == "ai.onnx" ? "" : domain; }

// Whether the node folds: its row folds on any input, or every input is a constant.
bool folds(const NodeContext& c, const Fold& fold) {
  if (fold.fn == nullptr) {
    return false;
  }
  for (int i = 0; !fold.any_input && i < c.node().input_size(); ++i) {
    if (c.has_input(i) && !c.input(i).constant) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::span<const OpRow> operators() { return kOperators; }

const OpRow* find_operator(std::string_view domain, std::string_view op) {
  static const auto kRows = [] {
    std::map<std::pair<std::string_view, std::string_view>, const OpRow*> m;
    for (const OpRow& row : kOperators) {
      m.emplace(std::pair(row.domain, row.op), &row);
    }
    return m;
  }();
  const auto it = kRows.find({domain_of(domain), op});
  return it == kRows.end() ? nullptr : it->second;
}

const OpRow& check_operator(const NodeContext& c) {
  const std::string_view domain = domain_of(c.node().domain());
  const OpRow* row = find_operator(domain, c.op());
  if (row == nullptr) {
    c.fail(fmt::format(
        "operator {}{} is not supported (docs/onnx.md lists the operators netlens reads)", c.op(),
        domain.empty() ? "" : fmt::format(" of domain '{}'", domain)));
  }
  if (c.opset(domain) < row->since) {
    c.fail(fmt::format("operator {} is not in opset {}: ONNX defines it from opset {} on", c.op(),
                       c.opset(domain), row->since));
  }
  return *row;
}

void read_node(NodeContext& c, const OpRow& row) {
  try {
    if (folds(c, row.fold)) {
      row.fold.fn(c);
    } else if (row.convert != kNoConvert) {
      row.convert(c, row.type);
    } else {
      c.fail(
          fmt::format("operator {} is not read on tensors computed from the net's input", c.op()));
    }
  } catch (const ParseError&) {
    throw;  // already names the node
  } catch (const ModelError&) {
    throw;  // names its layer
  } catch (const Error& e) {
    c.fail(e.what());  // dims' faults, a constant's values
  }
}

}  // namespace netlens::onnx_reader

// Arithmetic on tensor dims, once for every caller: the shape rules on whole
// tensors (whole_rules.cpp, slices in layout_rules.cpp), the ONNX reader and
// its constant folder. numpy's broadcasting, ONNX's and PyTorch's reshape,
// squeeze, slice, transpose, gather and concat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/error.h"

namespace netlens::dims {

using Dims = std::vector<std::int64_t>;

// Why dims have no result. Each caller phrases it in its own error (the
// engine a ModelError naming the layer, the ONNX reader one naming the
// node); what() is a phrase for callers that need no other. An Error, so
// one no caller phrases still ends as one line.
enum class Fault {
  AxisOutOfRange,  // an axis outside [-rank, rank)
  AxisRepeated,    // an axis named twice
  NotEveryAxis,    // a permutation that leaves axes out
  NotOne,          // squeezing an axis that is not 1
  CopiesPastRank,  // a reshape's 0 copying a dim the input does not have
  SecondInfer,     // a reshape target with two -1
  Negative,        // a reshape target's dim below -1
  Ambiguous,       // a -1 among dims of 0 elements: any size fits
  Mismatch,        // element counts or dims that do not agree
  ZeroStep,        // a slice with step 0
  Overflow,        // more elements than 64 bits count
};

class DimsError : public Error {
 public:
  DimsError(Fault fault, std::int64_t axis, const std::string& message)
      : Error(message), fault_(fault), axis_(axis) {}
  Fault fault() const { return fault_; }
  // The axis (or the target's index) concerned, as given.
  std::int64_t axis() const { return axis_; }

 private:
  Fault fault_;
  std::int64_t axis_;
};

std::string text(const Dims& d);  // "[1, 3, 224, 224]"

// The number of elements; nullopt when a dim is negative or it overflows.
std::optional<std::int64_t> elements(const Dims& d);

// `axis` of a `rank`-D tensor, negative from the end: nullopt out of range.
std::optional<std::size_t> axis_index(std::int64_t axis, std::size_t rank);
// The same, throwing AxisOutOfRange.
std::size_t axis(std::int64_t axis, std::size_t rank);

// numpy's broadcasting: aligned from the last axis, each pair equal or one
// of them 1; nullopt when they do not broadcast.
std::optional<Dims> broadcast(const Dims& a, const Dims& b);

// The dims of `in` reshaped to `target`: one -1 takes the elements left. A 0
// copies the input's dim at its index when `zero_copies` (ONNX's Reshape
// without allowzero), else it is a dim of 0 (allowzero, torch.reshape).
Dims reshape(const Dims& in, Dims target, bool zero_copies);

// ONNX's Squeeze (no axes: every dim of 1) and Unsqueeze (axes of the output).
Dims squeeze(const Dims& in, const std::vector<std::int64_t>& axes);
Dims unsqueeze(const Dims& in, const std::vector<std::int64_t>& axes);

// The elements a slice takes of a dim of n: start, stop and step, resolved
// and clamped. A negative start or stop counts from the end; step > 0 (the
// only one PyTorch has) clamps both to [0, n], step < 0 clamps start to
// [0, n - 1] and stop to [-1, n - 1] (ONNX's Slice). Step 0 throws ZeroStep.
struct Range {
  std::int64_t start, stop, step, count;
};
Range slice(std::int64_t n, std::int64_t start, std::int64_t stop, std::int64_t step);

// The dims of `in` in the order of `perm`, which names every axis once.
Dims transpose(const Dims& in, const std::vector<std::int64_t>& perm);
// The reversing permutation (ONNX's Transpose without perm).
std::vector<std::int64_t> reversed_axes(std::size_t rank);

// Gather along `axis`: that dim replaced by the indices' dims.
Dims gather(const Dims& data, std::int64_t axis, const Dims& indices);

// Two tensors joined along `axis`; the other dims must agree.
Dims concat(const Dims& a, const Dims& b, std::int64_t axis);

}  // namespace netlens::dims

// The dims arithmetic every caller shares (engine/dims.h), against numpy 1.24
// and torch 1.13 (Debian's): np.broadcast_shapes, reshape, squeeze,
// expand_dims, slicing, transpose, take, concatenate; and ONNX's Reshape
// (0 copies, allowzero) and Slice (negative steps) where numpy has none.
#include <catch2/catch.hpp>
#include <limits>

#include "engine/dims.h"

using namespace netlens;
using dims::Dims;
using dims::Fault;

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

// The fault and text of what `f` throws; "" when it throws nothing.
template <class F>
std::string fault_of(F f, Fault expected) {
  try {
    f();
  } catch (const dims::DimsError& e) {
    CHECK(e.fault() == expected);
    return e.what();
  }
  return "";
}

std::vector<std::int64_t> slice(std::int64_t n, std::int64_t start, std::int64_t stop,
                                std::int64_t step) {
  const dims::Range r = dims::slice(n, start, stop, step);
  return {r.start, r.stop, r.step, r.count};
}

}  // namespace

TEST_CASE("dims: element counts and axes", "[engine][dims]") {
  CHECK(dims::elements({2, 3, 4}) == 24);
  CHECK(dims::elements({}) == 1);
  CHECK(dims::elements({2, 0}) == 0);
  CHECK(dims::elements({-1, 3}) == std::nullopt);
  CHECK(dims::elements({std::int64_t{1} << 40, std::int64_t{1} << 40}) == std::nullopt);
  CHECK(dims::axis(-1, 4) == 3);
  CHECK(dims::axis(-4, 4) == 0);
  CHECK(dims::axis_index(-5, 4) == std::nullopt);
  CHECK(fault_of([] { dims::axis(4, 4); }, Fault::AxisOutOfRange) ==
        "axis 4 is out of range for 4 dims");
  CHECK(fault_of([] { dims::axis(0, 0); }, Fault::AxisOutOfRange) ==
        "axis 0 is out of range for 0 dims");
}

TEST_CASE("dims: numpy's broadcasting", "[engine][dims]") {
  CHECK(dims::broadcast({8, 1, 6, 1}, {7, 1, 5}) == Dims{8, 7, 6, 5});
  CHECK(dims::broadcast({5, 4}, {1}) == Dims{5, 4});
  CHECK(dims::broadcast({}, {3}) == Dims{3});
  CHECK(dims::broadcast({2, 1}, {0}) == Dims{2, 0});  // a 1 meets 0: empty
  CHECK(dims::broadcast({3}, {4}) == std::nullopt);
  CHECK(dims::broadcast({2, 3}, {3, 3}) == std::nullopt);
}

TEST_CASE("dims: reshape with 0, -1 and allowzero", "[engine][dims]") {
  // ONNX's Reshape: a 0 copies the input's dim at its index.
  CHECK(dims::reshape({2, 3, 4}, {0, -1}, true) == Dims{2, 12});
  CHECK(dims::reshape({2, 3, 4}, {4, 0, 2}, true) == Dims{4, 3, 2});
  // allowzero (torch.reshape too): a 0 is a dim of 0.
  CHECK(dims::reshape({0, 4}, {4, 0}, false) == Dims{4, 0});
  CHECK(dims::reshape({1, 3, 4, 5}, {-1, 2, 30}, false) == Dims{1, 2, 30});
  CHECK(dims::reshape({1, 1}, {}, false) == Dims{});  // to a scalar
  CHECK(fault_of(
            [] {
              dims::reshape({2, 3, 4}, {4, 0, 2}, false);
            },
            Fault::Mismatch) == "cannot reshape [2, 3, 4] (24 elements) to [4, 0, 2]");
  CHECK(fault_of(
            [] {
              dims::reshape({1, 3, 4, 5}, {7, -1}, false);
            },
            Fault::Mismatch) == "cannot reshape [1, 3, 4, 5] (60 elements) to [7, -1]");
  // numpy and torch: "the unspecified dimension size -1 can be any value".
  CHECK(fault_of(
            [] {
              dims::reshape({0, 3}, {0, -1}, false);
            },
            Fault::Ambiguous) ==
        "cannot reshape [0, 3] (0 elements) to [0, -1]: the -1 could be any size");
  CHECK(fault_of(
            [] {
              dims::reshape({2, 3}, {-1, -1}, false);
            },
            Fault::SecondInfer) == "shape [-1, -1] has more than one -1");
  CHECK(fault_of(
            [] {
              dims::reshape({6}, {0, 0}, true);
            },
            Fault::CopiesPastRank) == "shape [0, 0] copies dim 1 of a 1-D tensor");
  CHECK(fault_of(
            [] {
              dims::reshape({6}, {-2, -3}, false);
            },
            Fault::Negative) == "cannot reshape [6] (6 elements) to [-2, -3]");
  CHECK(fault_of(
            [] {
              dims::reshape({1}, {std::int64_t{1} << 40, std::int64_t{1} << 40}, false);
            },
            Fault::Overflow) == "shape [1099511627776, 1099511627776] is too large");
}

TEST_CASE("dims: squeeze and unsqueeze", "[engine][dims]") {
  CHECK(dims::squeeze({1, 3, 1, 5}, {}) == Dims{3, 5});
  CHECK(dims::squeeze({1, 3, 1, 5}, {-2}) == Dims{1, 3, 5});
  CHECK(dims::squeeze({1}, {}) == Dims{});
  CHECK(fault_of(
            [] {
              dims::squeeze({1, 3, 1, 5}, {1});
            },
            Fault::NotOne) == "axis 1 of [1, 3, 1, 5] is not 1");
  CHECK(fault_of(
            [] {
              dims::squeeze({1, 3}, {0, -2});
            },
            Fault::AxisRepeated) == "axes [0, -2] name axis 0 twice");
  CHECK(dims::unsqueeze({3, 4, 5}, {0, 4}) == Dims{1, 3, 4, 5, 1});
  CHECK(dims::unsqueeze({3, 4, 5}, {-1}) == Dims{3, 4, 5, 1});
  CHECK(dims::unsqueeze({}, {0}) == Dims{1});
  CHECK(fault_of(
            [] {
              dims::unsqueeze({3}, {1, 1});
            },
            Fault::AxisRepeated) == "axes [1, 1] name axis 1 twice");
  CHECK(fault_of([] { dims::unsqueeze({3}, {2}); }, Fault::AxisOutOfRange) ==
        "axis 2 is out of range for 2 dims");
}

TEST_CASE("dims: slice ranges, positive and negative steps", "[engine][dims]") {
  // {start, stop, step, count}, as Python's range(10)[2:8:3] and torch's x[-100:5].
  CHECK(slice(10, 2, 8, 3) == Dims{2, 8, 3, 2});
  CHECK(slice(10, -3, kMax, 1) == Dims{7, 10, 1, 3});
  CHECK(slice(10, -100, 5, 1) == Dims{0, 5, 1, 5});
  CHECK(slice(10, 20, 30, 1) == Dims{10, 10, 1, 0});  // empty
  CHECK(slice(10, 8, 2, 1) == Dims{8, 2, 1, 0});
  CHECK(slice(10, 0, kMax, kMax) == Dims{0, 10, kMax, 1});
  // ONNX's test_slice_neg_steps: x[20:0:-1, 10:0:-3, 4:1:-2] of (20, 10, 5) is (19, 3, 2).
  CHECK(slice(20, 20, 0, -1) == Dims{19, 0, -1, 19});
  CHECK(slice(10, 10, 0, -3) == Dims{9, 0, -3, 3});
  CHECK(slice(5, 4, 1, -2) == Dims{4, 1, -2, 2});
  CHECK(slice(5, -1, kMin, -1) == Dims{4, -1, -1, 5});  // x[::-1]
  CHECK(slice(5, 1, 3, -1) == Dims{1, 3, -1, 0});       // empty
  CHECK(slice(0, kMax, kMin, -1) == Dims{0, 0, -1, 0});
  CHECK(slice(5, 4, kMin, kMin) == Dims{4, -1, kMin, 1});
  // Where ONNX and numpy part: a start before the first element with a
  // negative step. ONNX clamps it to 0 (one element); numpy's
  // arange(5)[-10::-1] is empty.
  CHECK(slice(5, -10, kMin, -1) == Dims{0, -1, -1, 1});
  CHECK(fault_of([] { dims::slice(5, 0, 5, 0); }, Fault::ZeroStep) == "a slice's step cannot be 0");
}

TEST_CASE("dims: transpose, gather, concat", "[engine][dims]") {
  CHECK(dims::transpose({2, 3, 4}, {1, 0, 2}) == Dims{3, 2, 4});
  CHECK(dims::transpose({2, 3, 4}, {-1, 0, 1}) == Dims{4, 2, 3});
  CHECK(dims::reversed_axes(3) == std::vector<std::int64_t>{2, 1, 0});
  CHECK(dims::transpose({}, {}) == Dims{});
  CHECK(fault_of(
            [] {
              dims::transpose({2, 3, 4}, {0, 0, 1});
            },
            Fault::AxisRepeated) == "perm [0, 0, 1] names axis 0 twice");
  CHECK(fault_of(
            [] {
              dims::transpose({2, 3, 4}, {0, 1});
            },
            Fault::NotEveryAxis) == "perm [0, 1] does not order all 3 axes of [2, 3, 4]");
  CHECK(fault_of(
            [] {
              dims::transpose({2, 3, 4}, {0, 1, 3});
            },
            Fault::AxisOutOfRange) == "axis 3 is out of range for 3 dims");
  // np.take(np.zeros((5, 4, 3)), indices, axis).
  CHECK(dims::gather({5, 4, 3}, 1, {2, 6}) == Dims{5, 2, 6, 3});
  CHECK(dims::gather({5, 4, 3}, -1, {}) == Dims{5, 4});
  CHECK(fault_of([] { dims::gather({}, 0, {2}); }, Fault::AxisOutOfRange) ==
        "axis 0 is out of range for 0 dims");
  CHECK(dims::concat({2, 3}, {2, 5}, -1) == Dims{2, 8});
  CHECK(dims::concat({2, 3}, {0, 3}, 0) == Dims{2, 3});
  CHECK(fault_of(
            [] {
              dims::concat({2, 3}, {3, 3}, 1);
            },
            Fault::Mismatch) == "cannot concatenate [2, 3] and [3, 3] on axis 1");
  CHECK(fault_of(
            [] {
              dims::concat({2, 3}, {2}, 0);
            },
            Fault::Mismatch) == "cannot concatenate [2, 3] and [2] on axis 0");
  CHECK(fault_of([] { dims::concat({kMax}, {1}, 0); }, Fault::Overflow) ==
        "concatenating [9223372036854775807] and [1] overflows");
}

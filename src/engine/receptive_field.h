// Receptive-field propagation per axis (spec §2): rf, jump, padding_eff and
// center_offset of a layer's output from those of its input. Chains of
// windows use the closed forms rf' = rf + (ke - 1) * jump, P' = P + lo * jump.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "model/report.h"

namespace netlens::rf {

AxisRf input();
AxisRf global();
// nullopt: 64-bit overflow.
std::optional<AxisRf> through_window(const AxisRf& in, const AxisWindow& window);
// Adaptive pooling from n to out: an ordinary window when every window has the
// same width and step, else only rf (the widest window) survives.
std::optional<AxisRf> through_adaptive(const AxisRf& in, std::int64_t n, std::int64_t out);
// Upsampling by `factor` (nearest/bilinear upsample, conv_transpose's stride):
// the jump divides; the per-unit regions need the exact computation.
std::optional<AxisRf> through_upsampling(const AxisRf& in, const Ratio& factor);
// The union of the inputs' regions at a merge.
std::optional<AxisRf> through_merge(std::span<const AxisRf* const> inputs);

}  // namespace netlens::rf

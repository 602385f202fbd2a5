#include "engine/receptive_field.h"

#include <algorithm>
#include <numeric>

namespace netlens::rf {

namespace {

// out.rf = in.rf + (width - 1) * jump: a window `width` input units wide
// (in.rf and an integer in.jump given). False on overflow.
bool grow_rf(const AxisRf& in, std::int64_t width, AxisRf& out) {
  const auto grow = checked::mul(width - 1, in.jump->num);
  out.rf = grow ? checked::add(*in.rf, *grow) : std::nullopt;
  return out.rf.has_value();
}

// Fills center_offset from rf and padding_eff.
void finish(AxisRf& a) {
  a.center_offset.reset();
  if (!a.global && a.rf && a.padding_eff) {
    a.center_offset = *Ratio::make(*a.rf - 1, 2) - *a.padding_eff;  // Distill's -P + (r - 1) / 2
  }
}

}  // namespace

AxisRf input() {
  AxisRf a;
  a.rf = 1;
  a.jump = Ratio::of(1);
  a.padding_eff = Ratio::of(0);
  a.center_offset = Ratio::of(0);
  return a;
}

AxisRf global() {
  AxisRf a;
  a.global = true;
  return a;
}

std::optional<AxisRf> through_window(const AxisRf& in, const AxisWindow& w) {
  if (in.global) {
    return global();
  }
  AxisRf out;
  const auto span = checked::mul(w.dilation, w.kernel - 1);
  const auto ke = span ? checked::add(*span, 1) : std::nullopt;
  if (!ke) {
    return std::nullopt;
  }
  if (in.jump) {
    const auto jump = *in.jump * Ratio::of(w.stride);
    if (!jump) {
      return std::nullopt;
    }
    out.jump = jump;
    if (in.rf && in.jump->is_integer() && !grow_rf(in, *ke, out)) {
      return std::nullopt;
    }
    if (in.padding_eff) {
      const auto shift = Ratio::of(w.pad_lo) * *in.jump;
      const auto p = shift ? *in.padding_eff + *shift : std::nullopt;
      if (!p) {
        return std::nullopt;
      }
      out.padding_eff = p;
    }
  }
  finish(out);
  return out;
}

// Window o covers [floor(o n / out), ceil((o + 1) n / out)). With n = q out + r
// and out <= n, the windows are evenly spaced exactly when r <= 1 (width q + r,
// step q); the widest window is q + ceil((out - g + r) / out), g = gcd(n, out).
// Closed forms: a huge output_size costs nothing here.
std::optional<AxisRf> through_adaptive(const AxisRf& in, std::int64_t n, std::int64_t out) {
  if (in.global) {
    return global();
  }
  std::int64_t widest = 1;
  if (out <= n) {
    const std::int64_t q = n / out;
    const std::int64_t r = n % out;
    if (r <= 1) {
      return through_window(in, AxisWindow{q + r, q, 1, 0, 0});
    }
    const std::int64_t spill = out - std::gcd(n, out) + r;
    widest = q + (spill == 0 ? 0 : spill <= out ? 1 : 2);
  } else {
    widest = out % n == 0 ? 1 : 2;  // windows of 1 or 2 units, some repeated
  }
  AxisRf result;
  if (in.rf && in.jump && in.jump->is_integer() && !grow_rf(in, widest, result)) {
    return std::nullopt;
  }
  return result;
}

std::optional<AxisRf> through_upsampling(const AxisRf& in, const Ratio& factor) {
  if (in.global) {
    return global();
  }
  AxisRf out;
  if (in.jump) {
    const auto jump = *in.jump * Ratio{factor.den, factor.num};
    if (!jump) {
      return std::nullopt;
    }
    out.jump = jump;
  }
  return out;
}

std::optional<AxisRf> through_merge(std::span<const AxisRf* const> inputs) {
  const AxisRf& first = *inputs[0];
  bool same_jump = true;
  for (const AxisRf* a : inputs) {
    if (a->global) {
      return global();  // one input sees everything, so does the union
    }
    same_jump = same_jump && a->jump && first.jump && *a->jump == *first.jump;
  }
  AxisRf out;
  if (!same_jump) {
    return out;
  }
  out.jump = first.jump;
  // Unit 0's region of input i is [-P_i, -P_i + rf_i - 1]; the union spans
  // from the smallest start to the largest end, and so does every unit's.
  std::optional<Ratio> start;
  std::optional<Ratio> end;
  for (const AxisRf* a : inputs) {
    if (!a->rf || !a->padding_eff) {
      finish(out);
      return out;
    }
    const Ratio s{-a->padding_eff->num, a->padding_eff->den};
    const auto e = s + Ratio::of(*a->rf - 1);
    if (!e) {
      return std::nullopt;
    }
    start = !start || s.to_double() < start->to_double() ? s : *start;
    end = !end || e->to_double() > end->to_double() ? *e : *end;
  }
  const auto size = *end - *start;
  if (!size) {
    return std::nullopt;
  }
  out.padding_eff = Ratio{-start->num, start->den};
  if (size->is_integer()) {
    out.rf = size->num + 1;
  }
  finish(out);
  return out;
}

}  // namespace netlens::rf

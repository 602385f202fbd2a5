#include "engine/dims.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <string_view>

namespace netlens::dims {

std::string text(const Dims& d) { return fmt::format("[{}]", fmt::join(d, ", ")); }

std::optional<std::int64_t> elements(const Dims& d) {
  std::int64_t n = 1;
  for (const std::int64_t x : d) {
    if (x < 0 || __builtin_mul_overflow(n, x, &n)) {
      return std::nullopt;
    }
  }
  return n;
}

std::optional<std::size_t> axis_index(std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

std::size_t axis(std::int64_t axis, std::size_t rank) {
  if (const std::optional<std::size_t> k = axis_index(axis, rank)) {
    return *k;
  }
  throw DimsError(Fault::AxisOutOfRange, axis,
                  fmt::format("axis {} is out of range for {} dims", axis, rank));
}

std::optional<Dims> broadcast(const Dims& a, const Dims& b) {
  Dims out(std::max(a.size(), b.size()), 1);
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::int64_t x = k < a.size() ? a[a.size() - 1 - k] : 1;
    const std::int64_t y = k < b.size() ? b[b.size() - 1 - k] : 1;
    if (x != y && x != 1 && y != 1) {
      return std::nullopt;
    }
    out[out.size() - 1 - k] = x == 1 ? y : x;
  }
  return out;
}

Dims reshape(const Dims& in, Dims target, bool zero_copies) {
  const Dims given = target;
  const std::optional<std::int64_t> total = elements(in);
  if (!total) {
    throw DimsError(Fault::Overflow, 0, fmt::format("{} has too many elements", text(in)));
  }
  const auto mismatch = [&](Fault f, std::size_t k, std::string_view why) {
    return DimsError(
        f, static_cast<std::int64_t>(k),
        fmt::format("cannot reshape {} ({} elements) to {}{}", text(in), *total, text(given), why));
  };
  std::optional<std::size_t> infer;
  std::int64_t known = 1;
  for (std::size_t k = 0; k < target.size(); ++k) {
    if (target[k] == 0 && zero_copies) {
      if (k >= in.size()) {
        throw DimsError(
            Fault::CopiesPastRank, static_cast<std::int64_t>(k),
            fmt::format("shape {} copies dim {} of a {}-D tensor", text(given), k, in.size()));
      }
      target[k] = in[k];
    }
    if (target[k] == -1 && infer) {
      throw DimsError(Fault::SecondInfer, static_cast<std::int64_t>(k),
                      fmt::format("shape {} has more than one -1", text(given)));
    }
    if (target[k] == -1) {
      infer = k;
    } else if (target[k] < 0) {
      throw mismatch(Fault::Negative, k, "");
    } else if (__builtin_mul_overflow(known, target[k], &known)) {
      throw DimsError(Fault::Overflow, static_cast<std::int64_t>(k),
                      fmt::format("shape {} is too large", text(given)));
    }
  }
  if (infer && known == 0) {  // numpy and torch refuse it
    throw mismatch(Fault::Ambiguous, *infer, ": the -1 could be any size");
  }
  if (infer && *total % known == 0) {
    target[*infer] = *total / known;
  } else if (infer || known != *total) {
    throw mismatch(Fault::Mismatch, infer.value_or(0), "");
  }
  return target;
}

Dims squeeze(const Dims& in, const std::vector<std::int64_t>& axes) {
  std::vector<bool> drop(in.size(), false);
  for (std::size_t k = 0; k < in.size(); ++k) {
    drop[k] = axes.empty() && in[k] == 1;
  }
  for (const std::int64_t a : axes) {
    const std::size_t k = axis(a, in.size());
    if (drop[k]) {
      throw DimsError(Fault::AxisRepeated, a,
                      fmt::format("axes {} name axis {} twice", text(axes), k));
    }
    if (in[k] != 1) {
      throw DimsError(Fault::NotOne, a, fmt::format("axis {} of {} is not 1", k, text(in)));
    }
    drop[k] = true;
  }
  Dims out;
  for (std::size_t k = 0; k < in.size(); ++k) {
    if (!drop[k]) {
      out.push_back(in[k]);
    }
  }
  return out;
}

Dims unsqueeze(const Dims& in, const std::vector<std::int64_t>& axes) {
  const std::size_t n = in.size() + axes.size();
  std::vector<bool> inserted(n, false);
  for (const std::int64_t a : axes) {
    const std::size_t k = axis(a, n);
    if (inserted[k]) {
      throw DimsError(Fault::AxisRepeated, a,
                      fmt::format("axes {} name axis {} twice", text(axes), k));
    }
    inserted[k] = true;
  }
  Dims out;
  for (std::size_t k = 0, from = 0; k < n; ++k) {
    out.push_back(inserted[k] ? 1 : in[from++]);
  }
  return out;
}

Range slice(std::int64_t n, std::int64_t start, std::int64_t stop, std::int64_t step) {
  if (step == 0) {
    throw DimsError(Fault::ZeroStep, 0, "a slice's step cannot be 0");
  }
  const auto from_end = [n](std::int64_t v) { return v < 0 ? v + n : v; };
  if (step > 0) {
    const std::int64_t s = std::clamp<std::int64_t>(from_end(start), 0, n);
    const std::int64_t e = std::clamp<std::int64_t>(from_end(stop), 0, n);
    return {s, e, step, e > s ? (e - s - 1) / step + 1 : 0};
  }
  if (n == 0) {
    return {0, 0, step, 0};
  }
  const std::int64_t s = std::clamp<std::int64_t>(from_end(start), 0, n - 1);
  const std::int64_t e = std::clamp<std::int64_t>(from_end(stop), -1, n - 1);
  const std::int64_t stride = step == std::numeric_limits<std::int64_t>::min()
                                  ? std::numeric_limits<std::int64_t>::max()
                                  : -step;
  return {s, e, step, s > e ? (s - e - 1) / stride + 1 : 0};
}

Dims transpose(const Dims& in, const std::vector<std::int64_t>& perm) {
  std::vector<bool> used(in.size(), false);
  Dims out;
  for (const std::int64_t p : perm) {
    const std::size_t k = axis(p, in.size());
    if (used[k]) {
      throw DimsError(Fault::AxisRepeated, p,
                      fmt::format("perm {} names axis {} twice", text(perm), k));
    }
    used[k] = true;
    out.push_back(in[k]);
  }
  if (out.size() != in.size()) {
    throw DimsError(
        Fault::NotEveryAxis, 0,
        fmt::format("perm {} does not order all {} axes of {}", text(perm), in.size(), text(in)));
  }
  return out;
}

std::vector<std::int64_t> reversed_axes(std::size_t rank) {
  std::vector<std::int64_t> perm(rank);
  std::iota(perm.rbegin(), perm.rend(), std::int64_t{0});
  return perm;
}

Dims gather(const Dims& data, std::int64_t axis_given, const Dims& indices) {
  const auto k = static_cast<long>(axis(axis_given, data.size()));
  Dims out(data.begin(), data.begin() + k);
  out.insert(out.end(), indices.begin(), indices.end());
  out.insert(out.end(), data.begin() + k + 1, data.end());
  return out;
}

Dims concat(const Dims& a, const Dims& b, std::int64_t axis_given) {
  const std::size_t k = axis(axis_given, a.size());
  bool agree = a.size() == b.size();
  for (std::size_t j = 0; agree && j < a.size(); ++j) {
    agree = j == k || a[j] == b[j];
  }
  if (!agree) {
    throw DimsError(Fault::Mismatch, axis_given,
                    fmt::format("cannot concatenate {} and {} on axis {}", text(a), text(b), k));
  }
  Dims out = a;
  if (__builtin_add_overflow(a[k], b[k], &out[k])) {
    throw DimsError(Fault::Overflow, axis_given,
                    fmt::format("concatenating {} and {} overflows", text(a), text(b)));
  }
  return out;
}

}  // namespace netlens::dims

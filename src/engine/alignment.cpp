// Misalignment at merges: each tensor's anchor (where its units sit in the
// input) follows the layers in closed form; a merge warns when its inputs'
// jumps differ, or their centres differ and they are not all causal.
#include <fmt/format.h>

#include <algorithm>

#include "engine/net_checks.h"
#include "engine/reads.h"
#include "engine/shape_rules.h"
#include "model/layer_types.h"

namespace netlens {

namespace {

using Q = std::optional<Ratio>;

Q plus(const Q& a, const Q& b) { return a && b ? *a + *b : std::nullopt; }
Q minus(const Q& a, const Q& b) { return a && b ? *a - *b : std::nullopt; }
Q times(const Q& a, const Q& b) { return a && b ? *a * *b : std::nullopt; }
Q whole(std::int64_t n) { return Ratio::of(n); }
Q halves(std::int64_t n) { return Ratio::make(n, 2); }

// Unit k reads input units k * s - lo + t * d, t < kernel: every unit's
// region has one size, so start, end and centre are lines.
Anchor through_window(const Anchor& in, const AxisWindow& w, const Q& jump) {
  const std::int64_t span = w.dilation * (w.kernel - 1);  // checked by the shape rule
  return {jump, plus(in.centre, times(in.jump, plus(halves(span), whole(-w.pad_lo)))),
          plus(in.start, times(in.jump, whole(-w.pad_lo))),
          plus(in.end, times(in.jump, whole(span - w.pad_lo)))};
}

// Output unit o reads the input units i with i * s - lo + t * d = o: their
// centres climb in steps of s units, on average along
// centre + (lo - span / 2) * jump_out. A kernel narrower than the stride
// leaves units that read nothing: no line.
Anchor through_transposed(const Anchor& in, const AxisWindow& w, const Q& jump) {
  const std::int64_t span = w.dilation * (w.kernel - 1);
  if (span + 1 < w.stride) {
    return {jump, {}, {}, {}};
  }
  return {jump, plus(in.centre, times(jump, minus(whole(w.pad_lo), halves(span)))), {}, {}};
}

// Upsampling by f = p/q: nearest copies input unit floor(o / f), whose
// centre is on average (p - 1) / 2p input units behind o's; the centred
// modes (nearest-exact, bilinear, bicubic without aligned corners) sample at
// (o + 1/2) / f - 1/2, half a unit of each behind. Aligned corners stretch
// the grid end to end: no line at the jump.
Anchor through_resample(const Anchor& in, const Layer& layer, const Q& jump) {
  const Q factor = in.jump && jump ? *in.jump * Ratio{jump->den, jump->num} : std::nullopt;
  if (!factor || !in.centre) {
    return {jump, {}, {}, {}};
  }
  Q behind;
  if (layer.extra->mode == UpsampleMode::Nearest) {
    behind = times(in.jump, Ratio::make(factor->num - 1, 2 * factor->num));
  } else if (!layer.extra->align_corners) {
    behind = times(halves(1), minus(in.jump, jump));
  }
  return {jump, minus(in.centre, behind), {}, {}};
}

// A merge of aligned inputs: the union of their regions when they are exact,
// else their common centre.
Anchor through_merge(const std::vector<const Anchor*>& ins) {
  const Anchor& first = *ins[0];
  Anchor out{first.jump, {}, first.start, first.end};
  bool same_centre = true;
  for (const Anchor* a : ins) {
    if (!a->jump || !first.jump || *a->jump != *first.jump) {
      return {};
    }
    same_centre = same_centre && a->centre && first.centre && *a->centre == *first.centre;
    const bool exact = out.start && a->start && out.end && a->end;
    out.start = exact && a->start->to_double() < out.start->to_double() ? a->start
                : exact                                                 ? out.start
                                                                        : std::nullopt;
    out.end = exact && a->end->to_double() > out.end->to_double() ? a->end
              : exact                                             ? out.end
                                                                  : std::nullopt;
  }
  out.centre = out.start && out.end ? times(halves(1), plus(out.start, out.end))
               : same_centre        ? first.centre
                                    : std::nullopt;
  return out;
}

}  // namespace

Alignment::Alignment(const Report& report) : report_(report) {
  const std::size_t rank = report.input.size.size();
  anchors_.push_back(PerAxis<Anchor>(rank, Anchor{whole(1), whole(0), whole(0), whole(0)}));
  for (const LayerReport& lr : report.layers) {
    const Layer& layer = report.layer(lr.index - 1);
    PerAxis<Anchor> out(rank, Anchor{});
    const std::vector<std::size_t> local = local_inputs(report, layer, lr);
    for (std::size_t a = 0; a < rank && lr.output.has_positions(); ++a) {
      const AxisRf& rf = lr.rf[a];
      const Anchor& in = anchors_[local[0]][a];
      if (rf.global) {
        continue;
      }
      switch (reads_of(layer, lr)) {
        case Reads::Window:
          out[a] = through_window(in, (*lr.window)[a], rf.jump);
          break;
        case Reads::Transposed:
          out[a] = through_transposed(in, (*lr.window)[a], rf.jump);
          break;
        case Reads::Resample:
          out[a] = through_resample(in, layer, rf.jump);
          break;
        case Reads::Adaptive: {
          // Evenly spaced windows (n = q * out + r, r <= 1) are a window.
          const std::int64_t n = report.node_shape(local[0]).size[a];
          const std::int64_t m = lr.output.size[a];
          if (m <= n && n % m <= 1) {
            out[a] = through_window(in, AxisWindow{n / m + n % m, n / m, 1, 0, 0}, rf.jump);
          }
          break;
        }
        case Reads::Union: {
          std::vector<const Anchor*> ins;
          for (std::size_t id : local) {
            ins.push_back(&anchors_[id][a]);
          }
          out[a] = through_merge(ins);
          break;
        }
        case Reads::Same:
        case Reads::Windowed:  // unit i stays the token at position i
        case Reads::Roll:      // positions, whichever unit holds them
          out[a] = in;
          break;
        case Reads::Everything:
          break;
      }
    }
    anchors_.push_back(out);
  }
}

// Inputs line up when they have one jump and either one centre, or every
// one is causal: its units' regions end at their own position k * jump, so
// all end at the same step (a WaveNet's residual adds).
// Inputs that only lend global context (a gate) are not compared.
std::optional<Warning> Alignment::check(const LayerReport& lr) const {
  const std::size_t rank = report_.input.size.size();
  const std::vector<std::size_t> local = local_inputs(report_, report_.layer(lr.index - 1), lr);
  std::vector<AxisFinding> findings;
  for (std::size_t a = 0; a < rank && lr.output.has_positions(); ++a) {
    const Anchor& first = anchors_[local[0]][a];
    bool differ = false;
    bool causal = true;
    for (std::size_t id : local) {
      const Anchor& x = anchors_[id][a];
      if (!x.jump || !x.centre) {
        differ = false;  // only a measurable difference counts
        break;
      }
      differ = differ || *x.jump != *first.jump || *x.centre != *first.centre;
      causal = causal && *x.jump == *first.jump && x.end && *x.end == Ratio::of(0);
    }
    if (!differ || causal) {
      continue;
    }
    double lo = first.centre->to_double();
    double hi = lo;
    std::string text = "inputs are misaligned on {axes}: ";
    for (std::size_t k = 0; k < local.size(); ++k) {
      const Anchor& x = anchors_[local[k]][a];
      lo = std::min(lo, x.centre->to_double());
      hi = std::max(hi, x.centre->to_double());
      text += fmt::format("{}'{}' jump {}, centre {}", k == 0 ? "" : "; ",
                          report_.node_name(local[k]), ratio_text(*x.jump), ratio_text(*x.centre));
    }
    text += fmt::format(" ({:g} pixel{} apart)", hi - lo, hi - lo == 1 ? "" : "s");
    findings.push_back({WarningKind::Misaligned, a, std::move(text)});
  }
  const std::vector<Warning> merged = merge_axis_findings(findings, rank);
  if (merged.empty()) {
    return std::nullopt;
  }
  // One warning: "on axis h: ...; on axis w: ..." when the axes differ.
  Warning w = merged[0];
  for (std::size_t i = 1; i < merged.size(); ++i) {
    w.text += "; " + merged[i].text.substr(std::string_view("inputs are misaligned ").size());
    w.axes.insert(w.axes.end(), merged[i].axes.begin(), merged[i].axes.end());
  }
  return w;
}

}  // namespace netlens

#include "engine/regions.h"

#include <fmt/format.h>

#include "engine/axis_map.h"
#include "engine/reads.h"
#include "model/checked.h"

namespace netlens {

namespace {

// The three passes of compute_regions over one report.
class RegionPass {
 public:
  RegionPass(Report& report, bool keep_all)
      : r_(report),
        keep_all_(keep_all),
        count_(report.layers.size()),
        rank_(report.input.size.size()) {}

  NetRegions run() {
    inputs_.resize(count_ + 1);
    wraps_.assign(count_ + 1, false);
    for (std::size_t k = 1; k <= count_; ++k) {
      inputs_[k] = local_inputs(r_, r_.layer(k - 1), r_.layers[k - 1]);
      // From a circular padding on, actual regions are arcs of the input's
      // ring (model/regions.h); before it, intervals.
      wraps_[k] = r_.layer(k - 1).extra->padding_mode == "circular" ||
                  std::any_of(inputs_[k].begin(), inputs_[k].end(),
                              [&](std::size_t in) { return wraps_[in]; });
    }
    find_needed_ranges();
    check_budget();
    out_.layers.resize(count_ + 1);
    for (std::size_t k = 1; k <= count_; ++k) {
      fill_layer(k);
    }
    return std::move(out_);
  }

 private:
  using Range = std::pair<std::int64_t, std::int64_t>;

  bool tracked(std::size_t node) const {
    return node == 0 || (!r_.layers[node - 1].global_rf && !r_.layers[node - 1].rf_unknown &&
                         r_.layers[node - 1].output.tracks_positions());
  }
  AxisMap map_of(std::size_t k, std::size_t in, std::size_t a) const {
    return axis_map(r_.layer(k - 1), r_.layers[k - 1], r_.node_shape(in), a);
  }
  Interval theoretical(std::size_t node, std::size_t a, std::int64_t i) const {
    return node == 0 ? Interval{i, i} : (*out_.layers[node])[a].theoretical_at(i);
  }
  Interval actual(std::size_t node, std::size_t a, std::int64_t i) const {
    if (i < 0 || i >= r_.node_shape(node).size[a]) {
      return Interval{};  // padding: no pixel behind it
    }
    return node == 0 ? Interval{i, i} : (*out_.layers[node])[a].actual_at(i);
  }
  void find_needed_ranges();
  void check_budget() const;
  void fill_layer(std::size_t k);
  AxisRegions fill_axis(std::size_t k, std::size_t a);

  Report& r_;
  bool keep_all_;
  std::size_t count_;
  std::size_t rank_;
  std::vector<bool> wraps_;                       // per node: at or after a circular padding
  std::vector<std::vector<std::size_t>> inputs_;  // per layer: local_inputs()
  std::vector<PerAxis<Range>> needed_;            // per node: the units to cover, per axis
  std::vector<std::size_t> last_use_;             // per node: its last consumer
  NetRegions out_;
};

// Backward: the unit range each node must cover (real units plus the virtual
// ones its consumers' windows reach), and each node's last consumer.
void RegionPass::find_needed_ranges() {
  needed_.assign(count_ + 1, {});
  last_use_.assign(count_ + 1, 0);
  for (std::size_t node = 0; node <= count_; ++node) {
    const Shape& s = r_.node_shape(node);
    for (std::size_t a = 0; a < rank_; ++a) {
      needed_[node].push_back({0, s.tracks_positions() ? s.size[a] - 1 : 0});
    }
  }
  for (std::size_t k = count_; k >= 1; --k) {
    if (!tracked(k)) {
      continue;
    }
    for (std::size_t in : inputs_[k]) {
      last_use_[in] = std::max(last_use_[in], k);
      for (std::size_t a = 0; a < rank_; ++a) {
        const auto [lo, hi] =
            map_of(k, in, a).input_range(needed_[k][a].first, needed_[k][a].second);
        needed_[in][a].first = std::min(needed_[in][a].first, lo);
        needed_[in][a].second = std::max(needed_[in][a].second, hi);
      }
    }
  }
}

// Nothing is allocated before the total is known to fit.
void RegionPass::check_budget() const {
  std::int64_t units = 0;
  for (std::size_t node = 1; node <= count_; ++node) {
    for (std::size_t a = 0; a < rank_ && tracked(node); ++a) {
      const auto span = checked::sub(needed_[node][a].second, needed_[node][a].first);
      const auto total = span ? checked::add(units, *span + 1) : std::nullopt;
      units = total && *total <= kMaxRegionUnits ? *total : kMaxRegionUnits + 1;
    }
    if (units > kMaxRegionUnits) {
      const Layer& layer = r_.layer(node - 1);
      throw ModelError(r_.net.file, layer.pos, layer.name,
                       fmt::format("unit-by-unit regions would need more than {} units; use a "
                                   "smaller --input",
                                   kMaxRegionUnits));
    }
  }
}

// Forward: every covered unit's intervals from the taps it reads, united over
// a merge's inputs.
AxisRegions RegionPass::fill_axis(std::size_t k, std::size_t a) {
  AxisRegions r;
  const auto [first, last] = needed_[k][a];
  r.first = first;
  r.ring = wraps_[k] ? r_.input.size[a] : 0;
  r.theoretical.resize(static_cast<std::size_t>(last - first + 1));
  r.actual.resize(r.theoretical.size());
  for (std::size_t in : inputs_[k]) {
    const AxisMap m = map_of(k, in, a);
    for (std::int64_t o = first; o <= last; ++o) {
      Interval& theo = r.theoretical[static_cast<std::size_t>(o - first)];
      Interval& act = r.actual[static_cast<std::size_t>(o - first)];
      const bool real = m.real_out(o);
      m.taps(o, [&](std::int64_t i) {
        theo.add(theoretical(in, a, i));
        if (real && r.ring != 0) {
          act = unite_arcs(act, actual(in, a, m.source(i)), r.ring);
        } else if (real) {
          act.add(actual(in, a, m.source(i)));
        }
      });
    }
  }
  return r;
}

// Fills layer k's regions and writes its rf, rf_min and (where units are
// evenly spaced) unit 0's padding_eff and centre into the report.
void RegionPass::fill_layer(std::size_t k) {
  LayerReport& lr = r_.layers[k - 1];
  bool inputs_tracked = tracked(k);
  for (std::size_t in : inputs_[k]) {
    inputs_tracked = inputs_tracked && (in == 0 || out_.layers[in].has_value());
  }
  if (!inputs_tracked) {
    return;
  }
  PerAxis<AxisRegions> axes;
  for (std::size_t a = 0; a < rank_; ++a) {
    axes.push_back(fill_axis(k, a));
    AxisRf& rf = lr.rf[a];
    if (rf.global) {
      continue;  // pooled to one unit: it sees the whole axis
    }
    std::int64_t widest = 0;
    std::int64_t narrowest = INT64_MAX;
    for (std::int64_t o = 0; o < lr.output.size[a]; ++o) {
      const std::int64_t size = axes[a].theoretical_at(o).size();
      widest = std::max(widest, size);
      narrowest = std::min(narrowest, size);
    }
    rf.rf = widest;
    rf.rf_min = narrowest;
    if (rf.jump) {
      // Unit 0's region: exact even where units differ (after upsampling).
      const Interval zero = axes[a].theoretical_at(0);
      rf.padding_eff = Ratio::of(-zero.lo);
      rf.center_offset = *Ratio::make(2 * zero.lo + zero.size() - 1, 2);
    }
  }
  out_.layers[k] = std::move(axes);
  if (!keep_all_) {
    for (std::size_t in : inputs_[k]) {
      if (in != 0 && last_use_[in] == k) {
        out_.layers[in].reset();
      }
    }
  }
}

}  // namespace

NetRegions compute_regions(Report& report, bool keep_all) {
  return RegionPass(report, keep_all).run();
}

UnitLocation locate_unit(const Report& report, const NetRegions& regions, std::size_t layer,
                         const PerAxis<std::int64_t>& unit) {
  const LayerReport& lr = report.layers[layer];
  const std::string& name = report.layer(layer).name;
  const auto& axes = regions.layers[layer + 1];
  if (lr.rf_unknown) {
    throw UsageError(
        fmt::format("layer '{}' ({}): which input positions its units read is unknown "
                    "(docs/semantics.md, \"Whole tensors\")",
                    name, format_shape(lr.output)));
  }
  if (!axes) {
    throw UsageError(
        fmt::format("layer '{}' sees the whole input (global): every unit's region "
                    "is the full input",
                    name));
  }
  if (unit.size() != lr.output.size.size()) {
    throw UsageError(fmt::format("--unit has {} coordinate{}, layer '{}' has {} spatial axes",
                                 unit.size(), unit.size() == 1 ? "" : "s", name,
                                 lr.output.size.size()));
  }
  UnitLocation loc;
  loc.layer = layer;
  loc.unit = unit;
  loc.runs = any_unit_wraps(*axes, lr.output.size);
  for (std::size_t a = 0; a < unit.size(); ++a) {
    if (unit[a] < 0 || unit[a] >= lr.output.size[a]) {
      throw UsageError(fmt::format("--unit {} is outside layer '{}' on axis {} (0 to {})", unit[a],
                                   name, axis_name(unit.size(), a), lr.output.size[a] - 1));
    }
    loc.theoretical.push_back((*axes)[a].theoretical_at(unit[a]));
    loc.actual.push_back((*axes)[a].actual_at(unit[a]));
    loc.ring.push_back((*axes)[a].ring);
  }
  return loc;
}

}  // namespace netlens

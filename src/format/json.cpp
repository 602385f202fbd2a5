// The netlens/1 JSON contract (spec §3): per-axis values are lists in the
// order of input.size; keys are only ever added.
#include <nlohmann/json.hpp>

#include "format/format.h"

namespace netlens {

namespace {

using Json = nlohmann::ordered_json;

Json interval_json(const Interval& r) {
  return r.empty() ? Json(nullptr) : Json::array({r.lo, r.hi});
}

Json ratio_json(const Ratio& r) {
  if (r.is_integer()) {
    return r.num;
  }
  return r.to_double();
}

Json size_json(const PerAxis<std::int64_t>& v) {
  Json out = Json::array();
  for (std::int64_t x : v) {
    out.push_back(x);
  }
  return out;
}

// A per-axis receptive-field field: null when no axis has a value.
template <class F>
Json rf_field(const LayerReport& lr, F value_of) {
  if (lr.global_rf) {
    return nullptr;
  }
  Json out = Json::array();
  bool any = false;
  for (const AxisRf& a : lr.rf) {
    Json v = value_of(a);
    any = any || !v.is_null();
    out.push_back(std::move(v));
  }
  return any ? out : Json(nullptr);
}

Json window_json(const LayerReport& lr, const char* field) {
  if (!lr.window) {
    return nullptr;
  }
  Json out = Json::array();
  for (const AxisWindow& w : *lr.window) {
    const std::string f = field;
    if (f == "kernel_size") {
      out.push_back(w.kernel);
    } else if (f == "stride") {
      out.push_back(w.stride);
    } else if (f == "dilation") {
      out.push_back(w.dilation);
    } else {
      out.push_back(Json::array({w.pad_lo, w.pad_hi}));
    }
  }
  return out;
}

// Readable and diff-friendly: one top-level key per line, one layer per line.
std::string layout(const Json& root) {
  std::string out = "{\n";
  std::size_t i = 0;
  for (auto it = root.begin(); it != root.end(); ++it, ++i) {
    out += "  " + Json(it.key()).dump() + ": ";
    const Json& v = it.value();
    if (v.is_array() && !v.empty() && v[0].is_object()) {
      out += "[\n";
      for (std::size_t k = 0; k < v.size(); ++k) {
        out += "    " + v[k].dump() + (k + 1 < v.size() ? ",\n" : "\n");
      }
      out += "  ]";
    } else {
      out += v.dump();
    }
    out += i + 1 < root.size() ? ",\n" : "\n";
  }
  return out + "}\n";
}

Json intervals_json(const std::vector<Interval>& units, std::int64_t first, std::int64_t count) {
  Json out = Json::array();
  for (std::int64_t o = 0; o < count; ++o) {
    const Interval& r = units[static_cast<std::size_t>(o - first)];
    out.push_back(interval_json(r));
  }
  return out;
}

Json net_json(const Report& report) {
  return {{"name", report.net.name}, {"source", report.net.source}};
}

}  // namespace

std::string render_json(const Report& report, const NetRegions* regions) {
  Json root;
  root["schema"] = "netlens/1";
  root["net"] = net_json(report);
  root["input"] = {{"size", size_json(report.input.size)}, {"channels", report.input.channels}};
  root["convention"] = convention_name(report.net.convention);
  root["batch"] = report.cost_options.batch;
  root["dtype"] = dtype_name(report.cost_options.dtype);
  Json layers = Json::array();
  for (const LayerReport& lr : report.layers) {
    const Layer& layer = report.layer(lr.index - 1);
    Json j;
    j["index"] = lr.index;
    j["name"] = layer.name;
    j["type"] = layer.type;
    Json inputs = Json::array();
    for (std::size_t in : lr.inputs) {
      inputs.push_back(report.node_name(in));
    }
    j["inputs"] = std::move(inputs);
    j["output"] = {{"size", size_json(lr.output.size)}, {"channels", lr.output.channels}};
    j["kernel_size"] = window_json(lr, "kernel_size");
    j["stride"] = window_json(lr, "stride");
    j["padding"] = window_json(lr, "padding");
    j["dilation"] = window_json(lr, "dilation");
    j["rf"] = rf_field(lr, [](const AxisRf& a) { return a.rf ? Json(*a.rf) : Json(nullptr); });
    j["rf_min"] = rf_field(lr, [](const AxisRf& a) {
      return a.rf_min ? Json(*a.rf_min) : Json(nullptr);
    });
    j["jump"] = rf_field(lr, [](const AxisRf& a) {
      return a.jump ? ratio_json(*a.jump) : Json(nullptr);
    });
    j["padding_eff"] = rf_field(lr, [](const AxisRf& a) {
      return a.padding_eff ? ratio_json(*a.padding_eff) : Json(nullptr);
    });
    j["center_offset"] = rf_field(lr, [](const AxisRf& a) {
      return a.center_offset ? ratio_json(*a.center_offset) : Json(nullptr);
    });
    j["global_rf"] = lr.global_rf;
    j["params"] = lr.params;
    j["buffers"] = lr.cost.buffers;
    j["macs"] = lr.cost.macs;
    j["flops"] = 2 * lr.cost.macs;
    j["other_ops"] = lr.cost.other_ops;
    j["activations"] = lr.cost.activations;
    j["memory"] = lr.cost.memory;
    j["warnings"] = lr.warnings;
    if (regions != nullptr) {
      const auto& axes = regions->layers[lr.index];
      Json actual = nullptr;
      Json theoretical = nullptr;
      if (axes) {
        actual = Json::array();
        theoretical = Json::array();
        for (std::size_t a = 0; a < axes->size(); ++a) {
          const AxisRegions& r = (*axes)[a];
          actual.push_back(intervals_json(r.actual, r.first, lr.output.size[a]));
          theoretical.push_back(intervals_json(r.theoretical, r.first, lr.output.size[a]));
        }
      }
      j["regions"] = std::move(actual);
      j["regions_theoretical"] = std::move(theoretical);
    }
    layers.push_back(std::move(j));
  }
  root["layers"] = std::move(layers);
  const CostTotals& t = report.totals;
  root["totals"] = {{"params", t.params},
                    {"buffers", t.buffers},
                    {"macs", t.macs},
                    {"flops", t.flops},
                    {"other_ops", t.other_ops},
                    {"param_memory", t.param_memory},
                    {"activation_memory", t.activation_memory},
                    {"peak_memory", t.peak_memory},
                    {"input_memory", t.input_memory}};
  Json warnings = Json::array();
  for (const Warning& w : report.warnings) {
    warnings.push_back({{"layer", w.layer}, {"message", w.message}});
  }
  root["warnings"] = std::move(warnings);
  return layout(root);
}

}  // namespace netlens

namespace netlens {

std::string render_location_json(const Report& report, const UnitLocation& location) {
  Json root;
  root["schema"] = "netlens/1";
  root["net"] = net_json(report);
  root["input"] = {{"size", size_json(report.input.size)}, {"channels", report.input.channels}};
  root["layer"] = report.layer(location.layer).name;
  root["unit"] = size_json(location.unit);
  Json theoretical = Json::array();
  Json actual = Json::array();
  for (std::size_t a = 0; a < location.unit.size(); ++a) {
    theoretical.push_back(interval_json(location.theoretical[a]));
    actual.push_back(interval_json(location.actual[a]));
  }
  root["theoretical"] = std::move(theoretical);
  root["actual"] = std::move(actual);
  return layout(root);
}

}  // namespace netlens

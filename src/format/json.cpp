// The netlens/1 JSON contract (spec §3): per-axis values are lists in the
// order of input.size; keys are only ever added.
//
// Layers are written one line each with fmt, not built as a JSON tree (a
// tree costs kilobytes a layer); nlohmann::json writes the small top-level
// values and what needs its exact text (string escaping, non-integer numbers).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <span>

#include "format/format.h"

namespace netlens {

namespace {

using Json = nlohmann::ordered_json;
using Out = fmt::memory_buffer;

void put(Out& out, std::string_view text) { out.append(text); }
void put(Out& out, std::int64_t v) { fmt::format_to(fmt::appender(out), "{}", v); }
// A JSON string, escaped as nlohmann escapes it.
void put_string(Out& out, std::string_view s) { put(out, Json(std::string(s)).dump()); }
void put_null(Out& out) { put(out, "null"); }
// The next member's key: ,"key":
void put_key(Out& out, std::string_view key) {
  fmt::format_to(fmt::appender(out), ",\"{}\":", key);
}

void put(Out& out, const Ratio& r) {
  if (r.is_integer()) {
    put(out, r.num);
  } else {
    put(out, Json(r.to_double()).dump());
  }
}

void put(Out& out, const Interval& r) {
  if (r.empty()) {
    put_null(out);
  } else {
    fmt::format_to(fmt::appender(out), "[{},{}]", r.lo, r.hi);
  }
}

// [f(x0),f(x1),...] over a range.
template <class Range, class F>
void put_list(Out& out, const Range& range, F put_item) {
  put(out, "[");
  bool first = true;
  for (const auto& item : range) {
    if (!first) {
      put(out, ",");
    }
    first = false;
    put_item(item);
  }
  put(out, "]");
}

// [x0,x1,...]: values `put` writes.
template <class Range>
void put_values(Out& out, const Range& range) {
  put_list(out, range, [&](const auto& x) { put(out, x); });
}

// A per-axis receptive-field member: null when no axis has a value.
template <class T>
void put_rf_field(Out& out, std::string_view key, const LayerReport& lr,
                  std::optional<T> AxisRf::*field) {
  put_key(out, key);
  const bool any = std::any_of(lr.rf.begin(), lr.rf.end(),
                               [&](const AxisRf& a) { return (a.*field).has_value(); });
  if (lr.global_rf || !any) {
    put_null(out);
    return;
  }
  put_list(out, lr.rf, [&](const AxisRf& a) {
    if (a.*field) {
      put(out, *(a.*field));
    } else {
      put_null(out);
    }
  });
}

// A per-axis window member: null for a layer without a window.
template <class F>
void put_window(Out& out, std::string_view key, const LayerReport& lr, F put_axis) {
  put_key(out, key);
  if (!lr.window) {
    put_null(out);
  } else {
    put_list(out, *lr.window, put_axis);
  }
}

// The actual and theoretical [lo, hi] of the units 0 .. n-1 of each axis.
void put_regions(Out& out, const LayerReport& lr, const NetRegions& regions) {
  const auto& axes = regions.layers[lr.index];
  for (const auto& units : {std::pair{"regions", &AxisRegions::actual},
                            std::pair{"regions_theoretical", &AxisRegions::theoretical}}) {
    put_key(out, units.first);
    if (!axes) {
      put_null(out);
      continue;
    }
    // A layer whose regions wrap: each actual region its list of runs.
    const bool runs = units.second == &AxisRegions::actual && any_unit_wraps(*axes, lr.output.size);
    std::size_t a = 0;
    put_list(out, *axes, [&](const AxisRegions& r) {
      const auto n = static_cast<std::size_t>(lr.output.size[a++]);
      const auto span = std::span(r.*units.second).subspan(static_cast<std::size_t>(-r.first), n);
      if (!runs) {
        put_values(out, span);
        return;
      }
      put_list(out, span, [&](const Interval& arc) {
        if (arc.empty()) {
          put_null(out);
        } else {
          put_list(out, runs_of(arc, r.ring), [&](const Interval& run) { put(out, run); });
        }
      });
    });
  }
}

void put_layer(Out& out, const Report& report, const LayerReport& lr, const NetRegions* regions) {
  const Layer& layer = report.layer(lr.index - 1);
  fmt::format_to(fmt::appender(out), "{{\"index\":{},\"name\":", lr.index);
  put_string(out, layer.name);
  put_key(out, "type");
  put_string(out, layer.type);
  put_key(out, "inputs");
  put_list(out, lr.inputs, [&](std::size_t in) { put_string(out, report.node_name(in)); });
  put(out, ",\"output\":{\"size\":");
  put_values(out, lr.output.size);
  if (lr.output.is_whole()) {  // no channel axis
    put(out, ",\"channels\":null}");
  } else {
    fmt::format_to(fmt::appender(out), ",\"channels\":{}}}", lr.output.channels);
  }
  put_key(out, "shape");
  put_values(out, tensor_shape(lr.output, report.cost_options.batch));
  put_window(out, "kernel_size", lr, [&](const AxisWindow& w) { put(out, w.kernel); });
  put_window(out, "stride", lr, [&](const AxisWindow& w) { put(out, w.stride); });
  put_window(out, "padding", lr, [&](const AxisWindow& w) {
    fmt::format_to(fmt::appender(out), "[{},{}]", w.pad_lo, w.pad_hi);
  });
  put_window(out, "dilation", lr, [&](const AxisWindow& w) { put(out, w.dilation); });
  put_rf_field(out, "rf", lr, &AxisRf::rf);
  put_rf_field(out, "rf_min", lr, &AxisRf::rf_min);
  put_rf_field(out, "jump", lr, &AxisRf::jump);
  put_rf_field(out, "padding_eff", lr, &AxisRf::padding_eff);
  put_rf_field(out, "center_offset", lr, &AxisRf::center_offset);
  fmt::format_to(fmt::appender(out),
                 ",\"global_rf\":{},\"global_context\":{},\"params\":{},\"buffers\":{},\"macs\":{},"
                 "\"flops\":{},\"other_ops\":{},\"activations\":{},\"memory\":{}",
                 lr.rf_unknown  ? "null"
                 : lr.global_rf ? "true"
                                : "false",
                 lr.global_context, lr.params, lr.cost.buffers, lr.cost.macs, 2 * lr.cost.macs,
                 lr.cost.other_ops, lr.cost.activations, lr.cost.memory);
  put_key(out, "warnings");
  put_list(out, lr.warnings, [&](const Warning& w) { put_string(out, w.text); });
  if (report.erf) {  // `analyze --erf`; null: the layer has none
    for (auto [key, member] :
         {std::pair{"erf50", &LayerReport::erf50}, std::pair{"erf95", &LayerReport::erf95}}) {
      put_key(out, key);
      if (const auto& radii = lr.*member) {
        put_values(out, *radii);
      } else {
        put_null(out);
      }
    }
  }
  if (regions != nullptr) {
    put_regions(out, lr, *regions);
  }
  put(out, "}");
}

// Readable and diff-friendly: one top-level key per line, one object of a
// list per line. `put_layers` writes the value of the null member named
// `written` (`layers`; locate's `erf`).
template <class Layers>
std::string layout(const Json& members, Layers put_layers, std::string_view written = "layers",
                   std::size_t expected_bytes = 0) {
  Out out;
  out.reserve(expected_bytes);
  put(out, "{\n");
  std::size_t i = 0;
  for (auto it = members.begin(); it != members.end(); ++it, ++i) {
    fmt::format_to(fmt::appender(out), "  {}: ", Json(it.key()).dump());
    const Json& v = it.value();
    if (v.is_null() && it.key() == written) {
      put_layers(out);
    } else if (v.is_array() && !v.empty() && v[0].is_object()) {
      put(out, "[\n");
      for (std::size_t k = 0; k < v.size(); ++k) {
        fmt::format_to(fmt::appender(out), "    {}{}", v[k].dump(),
                       k + 1 < v.size() ? ",\n" : "\n");
      }
      put(out, "  ]");
    } else {
      put(out, it.value().dump());
    }
    put(out, i + 1 < members.size() ? ",\n" : "\n");
  }
  put(out, "}\n");
  return fmt::to_string(out);
}

// The keys every document starts with: schema, net, input.
Json header(const Report& report) {
  Json root;
  root["schema"] = "netlens/1";
  root["net"] = {{"name", report.net.name}, {"source", report.net.source}};
  const std::vector<std::int64_t> size(report.input.size.begin(), report.input.size.end());
  root["input"] = {{"size", size}, {"channels", report.input.channels}};
  if (report.input.channels_last()) {  // (batch, spatial..., channels)
    root["input"]["channels_last"] = true;
  }
  if (report.input.is_whole()) {  // an ONNX input that is a whole tensor: its whole shape
    root["input"] = {{"size", size}, {"channels", nullptr}, {"shape", report.input.dims}};
  }
  return root;
}

}  // namespace

std::string render_json(const Report& report, const NetRegions* regions, std::size_t depth) {
  Json root = header(report);
  root["convention"] = convention_name(report.net.convention);
  root["batch"] = report.cost_options.batch;
  root["dtype"] = dtype_name(report.cost_options.dtype);
  root["layers"] = nullptr;  // written by put_layer
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
  if (report.net.shared_params != 0) {  // ONNX weights read by several layers
    root["totals"]["shared_params"] = report.net.shared_params;
  }
  if (t.params_as_stored) {  // param_memory counts some weights at the file's bytes
    root["totals"]["params_as_stored"] = true;
  }
  const auto warning_list = [](const std::vector<Warning>& list) {
    Json items = Json::array();
    for (const Warning& w : list) {
      items.push_back(
          {{"layer", w.layer}, {"kind", warning_kind_name(w.kind)}, {"message", w.text}});
    }
    return items;
  };
  root["warnings"] = warning_list(report.warnings);
  root["accepted_warnings"] = warning_list(report.accepted_warnings);  // by allow:
  if (depth > 0) {  // --depth N: the blocks, each with its layers' costs
    Json blocks = Json::array();
    for (const Block& b : blocks_of(report, depth)) {
      std::int64_t params = 0;
      std::int64_t buffers = 0;
      std::int64_t macs = 0;
      std::int64_t other_ops = 0;
      for (std::size_t i = b.first; i <= b.last; ++i) {
        params += report.layers[i].params;
        buffers += report.layers[i].cost.buffers;
        macs += report.layers[i].cost.macs;
        other_ops += report.layers[i].cost.other_ops;
      }
      blocks.push_back({{"name", b.name},
                        {"first", report.layers[b.first].index},
                        {"last", report.layers[b.last].index},
                        {"params", params},
                        {"buffers", buffers},
                        {"macs", macs},
                        {"flops", 2 * macs},
                        {"other_ops", other_ops}});
    }
    root["blocks"] = std::move(blocks);
  }

  const auto put_layers = [&](Out& out) {
    if (report.layers.empty()) {
      put(out, "[]");
      return;
    }
    put(out, "[\n");
    for (std::size_t i = 0; i < report.layers.size(); ++i) {
      put(out, "    ");
      put_layer(out, report, report.layers[i], regions);
      put(out, i + 1 < report.layers.size() ? ",\n" : "\n");
    }
    put(out, "  ]");
  };
  // A layer takes about 470 bytes: reserved, the buffer is not copied as it
  // grows (a 10^5-layer chain's 47 MB: 78 of 746 ms, docs/performance.md).
  return layout(root, put_layers, "layers", 512 * report.layers.size());
}

namespace {

// The `erf` member, written with fmt: its map has a value per input pixel
// (50,176 for resnet50's last unit), which a JSON tree made 3x slower.
void put_erf(Out& out, const UnitErf& erf) {
  put(out, "{\"paths_log10\":");
  put(out, Json(erf.map.paths_log10()).dump());
  for (auto [key, radii] : {std::pair{"centre", &erf.centre}, std::pair{"erf50", &erf.erf50},
                            std::pair{"erf95", &erf.erf95}}) {
    put_key(out, key);
    put_values(out, *radii);
  }
  put(out, ",\"origin\":");
  put_values(out, erf.map.origin);
  put(out, ",\"size\":");
  put_values(out, erf.map.size);
  // Fractions of the total to 12 significant digits: the counts themselves
  // pass 2^64 (paths_log10 gives the scale).
  const double total = erf.map.sum();
  put(out, ",\"fractions\":");
  put_list(out, erf.map.values,
           [&](double v) { fmt::format_to(fmt::appender(out), "{:.12g}", v / total); });
  put(out, "}");
}

}  // namespace

std::string render_location_json(const Report& report, const UnitLocation& location,
                                 const UnitErf* erf) {
  Json root = header(report);
  root["layer"] = report.layer(location.layer).name;
  const auto intervals = [](const PerAxis<Interval>& axes) {
    Json list = Json::array();
    for (const Interval& r : axes) {
      list.push_back(r.empty() ? Json(nullptr) : Json::array({r.lo, r.hi}));
    }
    return list;
  };
  root["unit"] = std::vector<std::int64_t>(location.unit.begin(), location.unit.end());
  root["theoretical"] = intervals(location.theoretical);
  root["actual"] = intervals(location.actual);
  if (location.runs) {  // a layer whose regions wrap: each axis its list of runs
    for (std::size_t a = 0; a < location.actual.size(); ++a) {
      Json runs = Json::array();
      for (const Interval& run : runs_of(location.actual[a], location.ring[a])) {
        runs.push_back(Json::array({run.lo, run.hi}));
      }
      root["actual"][a] = location.actual[a].empty() ? Json(nullptr) : runs;
    }
  }
  // A global operation also modulates the unit: the regions are the local paths'.
  root["global_context"] = report.layers[location.layer].global_context;
  if (erf != nullptr) {
    root["erf"] = nullptr;  // a placeholder: layout writes it with put_erf
  }
  return layout(
      root, [&](Out& out) { put_erf(out, *erf); }, "erf");
}

}  // namespace netlens

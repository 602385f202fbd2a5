// Where the time goes inside one `netlens analyze`: parse (YAML, JSON), the
// engine (shapes, receptive fields, costs), the exact regions and the
// renderers, on bundled nets and on generated chains of N layers. The
// chains' time per layer (the `per_layer` counter) must stay flat in N.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <string>

#include "engine/analyze.h"
#include "engine/erf.h"
#include "engine/regions.h"
#include "format/format.h"
#include "parse/bundled.h"
#include "parse/spec_reader.h"

namespace {

using netlens::SpecFormat;

std::string bundled_text(const char* name) {
  const netlens::BundledNet* net = netlens::find_bundled(name);
  if (net == nullptr) {
    throw std::runtime_error(fmt::format("no bundled net '{}'", name));
  }
  return std::string(net->text);
}

// The same chain as bench/gen_net.sh chain N: 3x3 convs and relus on 32x32x16.
std::string chain_text(std::int64_t layers, SpecFormat format) {
  const bool json = format == SpecFormat::Json;
  std::string out =
      json ? R"({"name": "chain", "input": {"size": [32, 32], "channels": 16}, "layers": [)"
           : "name: chain\ninput: {size: [32, 32], channels: 16}\nlayers:\n";
  for (std::int64_t i = 0; i < layers; ++i) {
    const bool conv = i % 2 == 0;
    if (json) {
      out += fmt::format(
          R"({}{{"name": "{}{}", "type": "{}"{}}})", i > 0 ? ",\n" : "\n", conv ? "conv" : "relu",
          i, conv ? "conv" : "relu",
          conv ? R"(, "in_channels": 16, "out_channels": 16, "kernel_size": 3, "padding": 1)" : "");
    } else {
      out += fmt::format(
          "  - {{name: {}{}, type: {}{}}}\n", conv ? "conv" : "relu", i, conv ? "conv" : "relu",
          conv ? ", in_channels: 16, out_channels: 16, kernel_size: 3, padding: 1" : "");
    }
  }
  return json ? out + "\n]}\n" : out;
}

netlens::Net parse(const std::string& text, SpecFormat format) {
  return netlens::parse_spec(text, "bench", "bench", format, std::size_t{1} << 30);
}

void set_per_layer(benchmark::State& state, std::size_t layers) {
  state.counters["layers"] = static_cast<double>(layers);
  state.counters["per_layer"] = benchmark::Counter(
      static_cast<double>(layers),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void parse_bundled(benchmark::State& state, const char* name) {
  const std::string text = bundled_text(name);
  for (auto _ : state) {
    benchmark::DoNotOptimize(parse(text, SpecFormat::Yaml));
  }
}

void analyze_bundled(benchmark::State& state, const char* name) {
  const netlens::Net net = parse(bundled_text(name), SpecFormat::Yaml);
  for (auto _ : state) {
    benchmark::DoNotOptimize(netlens::analyze(net));
  }
}

void render_bundled(benchmark::State& state, const char* name, netlens::OutputFormat format) {
  const netlens::Report report = netlens::analyze(parse(bundled_text(name), SpecFormat::Yaml));
  for (auto _ : state) {
    benchmark::DoNotOptimize(netlens::render(report, format, {}));
  }
}

void regions_bundled(benchmark::State& state, const char* name) {
  const netlens::Report report = netlens::analyze(parse(bundled_text(name), SpecFormat::Yaml));
  for (auto _ : state) {
    netlens::Report copy = report;
    benchmark::DoNotOptimize(netlens::compute_regions(copy, false));
  }
}

// One unit's effective receptive field: the map of `layer`'s unit (i, i).
void erf_bundled(benchmark::State& state, const char* name, const char* layer, std::int64_t i) {
  const netlens::Report report = netlens::analyze(parse(bundled_text(name), SpecFormat::Yaml));
  std::size_t index = 0;
  while (report.layer(index).name != layer) {
    ++index;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(netlens::compute_erf(report, index, {i, i}));
  }
}

void parse_chain(benchmark::State& state, SpecFormat format) {
  const std::string text = chain_text(state.range(0), format);
  for (auto _ : state) {
    benchmark::DoNotOptimize(parse(text, format));
  }
  set_per_layer(state, static_cast<std::size_t>(state.range(0)));
}

void analyze_chain(benchmark::State& state) {
  const netlens::Net net = parse(chain_text(state.range(0), SpecFormat::Json), SpecFormat::Json);
  for (auto _ : state) {
    // analyze() takes the net by value: the copy, and freeing the report,
    // are not the engine's work (100k layers: 45 MB to copy).
    state.PauseTiming();
    netlens::Net copy = net;
    state.ResumeTiming();
    netlens::Report report = netlens::analyze(std::move(copy));
    benchmark::DoNotOptimize(report);
    state.PauseTiming();
    report = {};
    state.ResumeTiming();
  }
  set_per_layer(state, net.layers.size());
}

void render_chain(benchmark::State& state, netlens::OutputFormat format) {
  const netlens::Report report =
      netlens::analyze(parse(chain_text(state.range(0), SpecFormat::Json), SpecFormat::Json));
  for (auto _ : state) {
    benchmark::DoNotOptimize(netlens::render(report, format, {}));
  }
  set_per_layer(state, report.layers.size());
}

using netlens::OutputFormat;

BENCHMARK_CAPTURE(parse_bundled, vgg16, "vgg16")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(parse_bundled, resnet50, "resnet50")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(analyze_bundled, vgg16, "vgg16")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(analyze_bundled, resnet50, "resnet50")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(analyze_bundled, inception_v3, "inception_v3")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(render_bundled, vgg16_table, "vgg16", OutputFormat::Table)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(render_bundled, vgg16_json, "vgg16", OutputFormat::Json)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(render_bundled, resnet50_table, "resnet50", OutputFormat::Table)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(render_bundled, resnet50_json, "resnet50", OutputFormat::Json)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(regions_bundled, inception_v3, "inception_v3")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(regions_bundled, unet, "unet")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(erf_bundled, resnet50_last, "resnet50", "layer4.2.conv3", 3)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(parse_chain, yaml, SpecFormat::Yaml)
    ->RangeMultiplier(10)
    ->Range(1000, 100000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(parse_chain, json, SpecFormat::Json)
    ->RangeMultiplier(10)
    ->Range(1000, 100000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(analyze_chain)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(render_chain, table, OutputFormat::Table)
    ->RangeMultiplier(10)
    ->Range(1000, 100000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(render_chain, json, OutputFormat::Json)
    ->RangeMultiplier(10)
    ->Range(1000, 100000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

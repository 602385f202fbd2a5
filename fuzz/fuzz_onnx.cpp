// libFuzzer: the ONNX reader (protobuf, folding, every converter) and the
// analysis of what it builds. Bad input must be a netlens::Error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/analyze.h"
#include "onnx/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  netlens::OnnxOptions options;
  options.overrides.batch = 2;  // symbolic dims resolved, so the converters run
  options.overrides.channels = 3;
  options.overrides.input = "9";
  options.overrides.size.push_back(9);
  try {
    netlens::Net net = netlens::read_onnx_bytes(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.onnx", options);
    netlens::analyze(std::move(net));
  } catch (const netlens::Error&) {
  }
  return 0;
}

// libFuzzer: spec text to report to every output format, regions included.
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  netlens::fuzz::run_one(data, size, netlens::SpecFormat::Auto, true);
  return 0;
}

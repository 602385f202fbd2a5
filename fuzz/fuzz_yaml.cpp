// libFuzzer: the YAML reader and spec builder.
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  netlens::fuzz::run_one(data, size, netlens::SpecFormat::Yaml, false);
  return 0;
}

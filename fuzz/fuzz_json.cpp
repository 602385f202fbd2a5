// libFuzzer: the JSON reader (nlohmann SAX with tracked positions).
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  netlens::fuzz::run_one(data, size, netlens::SpecFormat::Json, false);
  return 0;
}

// libFuzzer, differential: wherever the fast JSON reader takes a text, it must
// produce exactly what nlohmann's reader does (tree, positions, layers, errors).
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "../tests/unit/readers_compare.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const netlens::test::Readers r = netlens::test::compare_json_readers(text);
  if (r.accepted && r.fast != r.library) {
    std::fprintf(stderr, "fast:     %s\nnlohmann: %s\n", r.fast.c_str(), r.library.c_str());
    std::abort();
  }
  return 0;
}

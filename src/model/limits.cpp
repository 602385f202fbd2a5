#include "model/limits.h"

#include <fmt/format.h>

namespace netlens {

std::string too_large(std::string_view what, const ByteLimit& limit) {
  return fmt::format("{} is larger than {} bytes (raise the limit with {})", what, limit.bytes,
                     limit.option);
}

std::string too_many_layers(std::size_t max_layers) {
  return fmt::format("more than {} layer{} (raise the limit with --max-layers)", max_layers,
                     max_layers == 1 ? "" : "s");
}

}  // namespace netlens

#include "model/report.h"

namespace netlens {

const std::string& Report::node_name(std::size_t id) const {
  static const std::string kInput = "input";
  return id == 0 ? kInput : net.layers[id - 1].name;
}

const char* axis_name(std::size_t rank, std::size_t axis) {
  static const char* const kOne[] = {"l"};
  static const char* const kTwo[] = {"h", "w"};
  static const char* const kThree[] = {"d", "h", "w"};
  switch (rank) {
    case 1:
      return kOne[axis];
    case 2:
      return kTwo[axis];
    default:
      return kThree[axis];
  }
}

}  // namespace netlens

// Net -> spec text: the YAML a spec reader reads back into the same Net
// (netlens convert writes an ONNX file's net this way, to read and edit).
#pragma once

#include <string>

#include "model/net.h"

namespace netlens {

// One layer per line (the fast reader's form), every field written out so
// the convention's defaults never matter.
std::string write_spec(const Net& net);

}  // namespace netlens

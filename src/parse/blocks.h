// `blocks:` and `use:`: a block of layers defined once and used, or repeated,
// with parameters. A use expands into ordinary layer entries before they are
// read (docs/spec-format.md, "Blocks").
#pragma once

#include <string>
#include <vector>

#include "parse/doc.h"
#include "parse/field_reader.h"

namespace netlens {

struct BlockLayer {
  DocNode node;      // the definition's entry, named, wired and with `$params` replaced
  std::string path;  // for messages: "layers[3] (block2 of 'residual'): blocks.residual.layers[0]"
};

// The layers of one `use:` entry at `path`. `previous` is what the entry would
// read without `inputs` (the layer before it, or "input").
std::vector<BlockLayer> expand_use(const FieldReader& r, const DocNode& use, const DocNode* blocks,
                                   const std::string& path, const std::string& previous,
                                   std::size_t max_layers);

}  // namespace netlens

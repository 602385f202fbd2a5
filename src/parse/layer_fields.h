// A layer's fields read from a spec and written back, both made from the one
// schema of model/fields.def: a field the reader takes, the writer writes.
#pragma once

#include <optional>
#include <string>

#include "model/layer.h"
#include "model/layer_types.h"
#include "parse/doc.h"
#include "parse/field_reader.h"

namespace netlens {

// Reads `node` as `field` of `layer` (a layer of type `type`) and notes
// where it was written. Throws ParseError at the node.
void read_field(const FieldReader& reader, const LayerType& type, Field field, const DocNode& node,
                const std::string& path, Layer& layer);

// `field` of `layer` as a spec writes it (`3`, `[1, 2]`, `same`), or nullopt
// when it holds the default and may be left out (`required`: it may not).
std::optional<std::string> write_field(const Layer& layer, Field field, bool required);

}  // namespace netlens

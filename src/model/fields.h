// The fields of a layer entry (model/fields.def): their ids, keys and the
// formats the spec reader reads and the spec writer writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace netlens {

enum class Field : std::uint8_t {
#define NETLENS_FIELD(id, key, format, member, choices) id,
#include "model/fields.def"
#undef NETLENS_FIELD
};

// How a field is written in a spec (and read: parse/layer_fields.cpp).
enum class FieldFormat : std::uint8_t {
  Count,        // an integer >= 1
  Count0,       // an integer >= 0
  Int,          // any integer (a dim: negative counts from the end)
  IntOrNull,    // an integer, or null
  Flag,         // true or false
  Real,         // a finite number
  AxisCounts,   // an integer >= 1, or a list of one per spatial axis
  AxisOffsets,  // the same, >= 0
  AxisFactors,  // a number > 0, or a list of one per spatial axis
  Stride,       // AxisCounts; a pool's may be null (its kernel size)
  Padding,      // an int, a list per axis, [before, after] pairs, or valid / same / same_lower
  Cropping,     // Padding's ints, lists and pairs
  Mode,         // one of `choices` (an interpolation)
  Dims,         // dims of the tensor, batch first (negative from the end); [] every dim
  Sizes,        // a list of integers >= 1
  Parts,        // a list of integers >= 0
  Shape,        // a whole tensor's dims (-1 once: the rest); [] a scalar's
  Repeats,      // an integer >= 0 per dim; [] a scalar's
  Ints,         // a list of integers of any sign
  Choice,       // one of `choices`, kept as written
  Warnings,     // a warning kind's name or a list of them (allow)
  InertNumber,  // fields inert to netlens (kept as written, written back):
  InertFlag,
  InertCount,
  InertChoice,  // one of `choices`
};

struct FieldDef {
  Field id;
  std::string_view name;  // the id's name: what type rows list
  std::string_view key;   // as written in a spec
  FieldFormat format;
  std::string_view choices;  // space-separated
  std::string_view member;   // the Layer member, as fields.def names it: fields that share it
};

const FieldDef& field_def(Field field);
// The field whose id is `name` ("crop_size"); nullopt when none is.
std::optional<Field> field_named(std::string_view name);

}  // namespace netlens

// Checks and counts on a spec's raw text (check_spec_text itself is declared
// in spec_reader.h, for callers outside parse/).
#pragma once

#include <cstddef>
#include <string_view>

namespace netlens {

// An upper bound on the number of layers, which each have one `type` key:
// the occurrences of "type" (in comments and names too; a little too many
// is harmless). Used to reserve the layer list.
std::size_t count_type_keys(std::string_view text);

// The first index at or after `from` whose byte is not printable ASCII
// (0x20-0x7E), or text.size(). Eight bytes at a time: a spec is almost all
// printable, and the byte-by-byte checks cost 10 instructions a byte.
std::size_t skip_printable_ascii(std::string_view text, std::size_t from);

// Whether the first non-blank character opens a JSON object or array.
bool starts_like_json(std::string_view text);

}  // namespace netlens

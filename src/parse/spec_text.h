// Checks on a spec's raw text, before and beside any parser.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace netlens {

// Rejects text no spec may contain before any parser sees it: NUL bytes,
// invalid UTF-8, nothing but white space.
void check_spec_text(std::string_view text, const std::string& file);

// The first index at or after `from` whose byte is not printable ASCII
// (0x20-0x7E), or text.size().
std::size_t skip_printable_ascii(std::string_view text, std::size_t from);

// Whether the first non-blank character opens a JSON object or array.
bool starts_like_json(std::string_view text);

}  // namespace netlens

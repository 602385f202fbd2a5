// Spec text -> Net. The one entry point of parsing: picks the format, builds
// the Doc tree (layers streamed one by one) and turns it into a Net.
#pragma once

#include <string>
#include <string_view>

#include "model/limits.h"
#include "model/net.h"

namespace netlens {

enum class SpecFormat { Auto, Yaml, Json };

// `file` names the text in messages; `default_name` is used when the spec has
// no `name` (the file's stem).
Net parse_spec(std::string_view text, const std::string& file, const std::string& default_name,
               SpecFormat format = SpecFormat::Auto, std::size_t max_layers = kDefaultMaxLayers);

}  // namespace netlens

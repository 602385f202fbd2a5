// One entry of a spec's `layers` list -> a Layer: its type, its keys checked
// against the type's row (model/layer_types.h), each field read and typed.
#pragma once

#include <string>

#include "model/layer.h"
#include "model/layer_types.h"
#include "parse/doc.h"
#include "parse/field_reader.h"

namespace netlens {

// A key a type takes and the field it fills (none: name, type, inputs).
struct AllowedKey {
  std::string_view key;
  std::optional<Field> field;
};

class LayerReader {
 public:
  explicit LayerReader(const FieldReader& reader) : r_(reader) {}

  // `path` is the entry's key path (layers[3]). The layer's name is left
  // empty when the entry has none.
  Layer read(const DocNode& node, const std::string& path);

 private:
  // A type as written, resolved once per net (a net uses a handful).
  struct KnownType {
    std::string written;
    TypeMatch match;
    std::vector<AllowedKey> allowed;  // allowed_keys(match)
  };
  const KnownType& read_type(const DocNode& node, const std::string& path);
  // The index of `key` (written as `written`) among `allowed`; an unknown one
  // fails, listing them.
  std::size_t key_index(const std::vector<AllowedKey>& allowed, std::string_view key,
                        const std::string& written, std::string_view type, SourcePos pos,
                        const std::string& path) const;

  const FieldReader& r_;
  std::vector<KnownType> types_;
  std::string key_path_;  // layers[3].stride, rebuilt per key in one buffer
};

// The keys a type takes: name, type, inputs, its row's fields and params,
// with the changes of the spellings that alter them (UpSampling2D's size is
// the scale factor; the fixed-mode upsamplers take no mode).
std::vector<AllowedKey> allowed_keys(const TypeMatch& match);

}  // namespace netlens

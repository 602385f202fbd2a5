// Parsing a ModelProto without reading its weights: the graph's initializers
// are walked field by field and a large raw_data is skipped, never copied (a
// 98 MB resnet50.onnx then costs its nodes, not its bytes). Every other field
// is parsed by the generated code.
#include "onnx/wire.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include <climits>
#include <string>

namespace netlens::onnx_reader {

namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;
using google::protobuf::io::StringOutputStream;
using WFL = google::protobuf::internal::WireFormatLite;

// Tensor bytes kept: enough for every constant the folder reads (fold.cpp's
// kMaxFoldedElements of 8 bytes); larger ones keep their dims only.
constexpr std::uint32_t kMaxKeptBytes = 8 * kMaxFoldedElements;

// Merges the field of `tag` into `message` through a copy of its bytes (SkipField
// writes the tag and the value it skips).
template <class Message>
bool merge_field(CodedInputStream& in, std::uint32_t tag, Message& message) {
  std::string bytes;
  {
    StringOutputStream sink(&bytes);
    CodedOutputStream out(&sink);
    if (!WFL::SkipField(&in, tag, &out)) {
      return false;
    }
  }
  return message.MergeFromString(bytes);
}

// The length-delimited field just tagged, read into `message` by `read`.
template <class Message, class Read>
bool read_nested(CodedInputStream& in, Message& message, Read read) {
  std::uint32_t length = 0;
  if (!in.ReadVarint32(&length) || length > INT_MAX) {
    return false;
  }
  const CodedInputStream::Limit limit = in.PushLimit(static_cast<int>(length));
  const bool ok = read(in, message) && in.ConsumedEntireMessage();
  in.PopLimit(limit);
  return ok;
}

bool read_tensor(CodedInputStream& in, onnx::TensorProto& t) {
  constexpr int kRawData = onnx::TensorProto::kRawDataFieldNumber;
  while (const std::uint32_t tag = in.ReadTag()) {
    if (WFL::GetTagFieldNumber(tag) == kRawData &&
        WFL::GetTagWireType(tag) == WFL::WIRETYPE_LENGTH_DELIMITED) {
      std::uint32_t length = 0;
      if (!in.ReadVarint32(&length) || length > INT_MAX) {
        return false;
      }
      if (length > kMaxKeptBytes) {
        if (!in.Skip(static_cast<int>(length))) {
          return false;
        }
      } else if (!in.ReadString(t.mutable_raw_data(), static_cast<int>(length))) {
        return false;
      }
    } else if (!merge_field(in, tag, t)) {
      return false;
    }
  }
  return true;
}

bool read_graph(CodedInputStream& in, onnx::GraphProto& g) {
  while (const std::uint32_t tag = in.ReadTag()) {
    if (WFL::GetTagFieldNumber(tag) == onnx::GraphProto::kInitializerFieldNumber &&
        WFL::GetTagWireType(tag) == WFL::WIRETYPE_LENGTH_DELIMITED) {
      if (!read_nested(in, *g.add_initializer(), read_tensor)) {
        return false;
      }
    } else if (!merge_field(in, tag, g)) {
      return false;
    }
  }
  return true;
}

bool read_model(CodedInputStream& in, onnx::ModelProto& m) {
  while (const std::uint32_t tag = in.ReadTag()) {
    if (WFL::GetTagFieldNumber(tag) == onnx::ModelProto::kGraphFieldNumber &&
        WFL::GetTagWireType(tag) == WFL::WIRETYPE_LENGTH_DELIMITED) {
      if (!read_nested(in, *m.mutable_graph(), read_graph)) {
        return false;
      }
    } else if (!merge_field(in, tag, m)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool parse_model_without_weights(const void* data, std::size_t size, onnx::ModelProto& model) {
  if (size > INT_MAX) {
    return false;
  }
  google::protobuf::io::ArrayInputStream stream(data, static_cast<int>(size));
  CodedInputStream in(&stream);
  in.SetTotalBytesLimit(INT_MAX);
  return read_model(in, model) && in.ConsumedEntireMessage();
}

}  // namespace netlens::onnx_reader

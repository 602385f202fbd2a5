// `netlens convert`: a net (an ONNX file, a spec, a bundled net) written as a
// netlens spec, to read and edit; analyzing it gives the same report.
#include "cli/commands.h"
#include "engine/analyze.h"
#include "parse/spec_writer.h"

namespace netlens::cli {

void setup_convert(CLI::App* cmd, ConvertOptions& o) {
  add_net_options(*cmd, o.net, false);
  cmd->add_option("-o,--output", o.output, "Write the spec to this file (default: stdout)");
  cmd->footer(
      "Examples:\n"
      "  netlens convert model.onnx -o model.yaml\n"
      "  netlens convert model.onnx --batch 1 --input 320 -o model.yaml");
}

int run_convert(const ConvertOptions& o) {
  Net net = load_net_with_overrides(o.net);
  analyze(net);  // a net that does not analyze is not written: its error is the answer
  write_output(write_spec(net), o.output);
  return 0;
}

}  // namespace netlens::cli

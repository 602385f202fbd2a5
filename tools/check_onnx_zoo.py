#!/usr/bin/env python3
"""check_onnx_zoo: torchvision's CNNs exported by torch.onnx.export at opsets 11, 13 and 17, read by
`netlens analyze`, against the bundled spec of the same net.

    /usr/bin/python3 tools/check_onnx_zoo.py --netlens build/src/netlens [NET ...] [--opsets 11,13,17]

Per net and opset: the model (weights=None, eval mode) is exported at the bundled spec's input size
(batch 1), its weights stripped (moved to an absent external file: netlens never reads them), and
both are analyzed with `--format json`. Compared: the layers that slide a window or read everything
(conv, conv_transpose, the pools, linear; adaptive and global average pools count as one kind),
as a sorted list of (shape, rf, jump, effective padding, FLOPs), and the total FLOPs. Params
are not compared: the exporter folds batch norm into the convs (docs/onnx.md). The transformers
(vit_b_16, swin_t: their tokens are whole tensors in ONNX, so no layer after the patch
embedding has a receptive field to compare) are compared on the total FLOPs and the output shape. One line per net and
opset, then a summary; exit status 1 if any differs or fails. Needs python3-torch,
python3-torchvision and python3-onnx; run by hand, never by CI.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import onnx
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_onnx_tests import strip_weights  # noqa: E402

NETS = ["alexnet", "convnext_tiny", "densenet121", "efficientnet_b0", "googlenet", "inception_v3",
        "mnasnet1_0", "mobilenet_v2", "mobilenet_v3_large", "regnet_y_400mf", "resnet18",
        "resnet50", "resnet101", "resnet152", "shufflenet_v2_x1_0", "squeezenet1_0", "vgg11",
        "vgg16", "vgg19"]
TRANSFORMERS = ["vit_b_16", "swin_t"]
SPEC = {"alexnet": "alexnet-torchvision"}
WINDOWS = {"conv", "conv_transpose", "maxpool", "avgpool", "adaptive_avgpool", "adaptive_maxpool",
           "global_avgpool", "global_maxpool", "linear"}


def analyze(netlens, source):
    out = subprocess.run([netlens, "analyze", source, "--format", "json", "-q"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return json.loads(out.stdout)


def windows(report):
    rows = []
    for layer in report["layers"]:
        if layer["type"] in WINDOWS:
            # Not the kernel: an adaptive pool that keeps its size exports as a 1x1 AveragePool.
            rows.append(json.dumps([layer["shape"], layer["rf"], layer["jump"], layer["padding_eff"],
                                    layer["flops"]]))
    return sorted(rows)


def export(name, size, opset, path):
    kwargs = {"aux_logits": False, "init_weights": False} if name in ("googlenet", "inception_v3") else {}
    net = getattr(torchvision.models, name)(weights=None, **kwargs).eval()
    # Grad stays on for the transformers: nn.MultiheadAttention's inference fast path
    # (_native_multi_head_attention) has no ONNX export.
    with torch.set_grad_enabled(name in TRANSFORMERS):
        torch.onnx.export(net, torch.zeros(1, 3, *size), path, opset_version=opset)
    model = onnx.load(path)
    strip_weights(model)
    onnx.save(model, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--netlens", default="build/src/netlens")
    parser.add_argument("--opsets", default="11,13,17")
    parser.add_argument("nets", nargs="*", default=NETS + TRANSFORMERS)
    args = parser.parse_args()
    failed = 0
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.nets:
            spec = analyze(args.netlens, SPEC.get(name, name))
            for opset in [int(o) for o in args.opsets.split(",")]:
                total += 1
                path = os.path.join(tmp, f"{name}-{opset}.onnx")
                try:
                    export(name, spec["input"]["size"], opset, path)
                    got = analyze(args.netlens, path)
                    same = got["totals"]["flops"] == spec["totals"]["flops"] and \
                        got["layers"][-1]["shape"] == spec["layers"][-1]["shape"]
                    if name not in TRANSFORMERS:
                        same = same and windows(got) == windows(spec)
                    note = "" if same else (f"flops {got['totals']['flops']} vs {spec['totals']['flops']}, "
                                            f"{len(windows(got))} vs {len(windows(spec))} window layers")
                except Exception as e:  # noqa: BLE001 - one line per net, whatever failed
                    same, note = False, str(e).splitlines()[-1][:300]
                failed += 0 if same else 1
                print(f"{name:20} opset {opset}: {'same' if same else 'DIFFERS'} {note}", flush=True)
    print(f"{total - failed} of {total} agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

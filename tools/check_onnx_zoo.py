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
(vit_b_16, swin_t) are compared on the total FLOPs, the output shape and, layer by layer, every
spec layer that has a counterpart node (`counterparts`: the patch embedding, each block's attention
and residual adds, the head): rf, rf_min, jump, global_rf and every unit's region (`--regions`).
One line per net and opset, then a summary; exit status 1 if any differs or fails. Needs
python3-torch, python3-torchvision and python3-onnx; run by hand, never by CI.
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
    out = subprocess.run([netlens, "analyze", source, "--format", "json", "-q", "--regions"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return json.loads(out.stdout)


def counterparts(name, spec, got):
    """Spec layer -> the ONNX layer torch.onnx names after the same module: the last node of a block's
    attention (its output), the block's residual Adds, the patch embedding and the head."""
    nodes = [layer["name"] for layer in got["layers"]]
    pairs = {"conv_proj": "/conv_proj/Conv", "features.0.0": "/features/features.0/features.0.0/Conv",
             "heads.head": "/heads/head/Gemm", "head": "/head/Gemm"}
    for layer in spec["layers"]:
        p = layer["name"].split(".")
        if name == "swin_t" and len(p) == 4 and p[3] in ("attn", "add", "add_1"):
            block = f"/features/features.{p[1]}/features.{p[1]}.{p[2]}/"
            attn = [n for n in nodes if n.startswith(block + "attn/")]
            pairs[layer["name"]] = attn[-1] if p[3] == "attn" and attn else block + p[3].replace("add", "Add")
        if name == "vit_b_16" and len(p) == 4 and p[3] in ("self_attention", "add", "add_1"):
            block = f"/encoder/layers/{p[2]}/"
            attn = [n for n in nodes if n.startswith(block + "self_attention/")]
            pairs[layer["name"]] = attn[-1] if p[3] == "self_attention" and attn else \
                block + p[3].replace("add", "Add")
    names = {layer["name"] for layer in spec["layers"]}
    return {k: v for k, v in pairs.items() if k in names}


def same_layers(name, spec, got):
    """The counterpart layers that differ (and the count compared)."""
    by_name = {layer["name"]: layer for layer in got["layers"]}
    spec_layers = {layer["name"]: layer for layer in spec["layers"]}
    differ = []
    pairs = counterparts(name, spec, got)
    for spec_name, node in pairs.items():
        other = by_name.get(node)
        keys = ("rf", "rf_min", "jump", "global_rf", "regions")
        if other is None or any(spec_layers[spec_name].get(k) != other.get(k) for k in keys):
            differ.append(spec_name)
    return differ, len(pairs)


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
                    else:
                        differ, pairs = same_layers(name, spec, got)
                        same = same and not differ and not got["warnings"]
                        note = f"{pairs} counterpart layers" + (f", differ: {differ[:5]}" if differ else "") + \
                            (f", {len(got['warnings'])} warnings" if got["warnings"] else "")
                except Exception as e:  # noqa: BLE001 - one line per net, whatever failed
                    same, note = False, str(e).splitlines()[-1][:300]
                failed += 0 if same else 1
                print(f"{name:20} opset {opset}: {'same' if same else 'DIFFERS'} {note}", flush=True)
    print(f"{total - failed} of {total} agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

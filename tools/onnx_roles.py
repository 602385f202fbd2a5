#!/usr/bin/env python3
"""onnx_roles: export tools/tiny_transformers.py's tiny_vit to ONNX at opsets 13 and 17 (torch.onnx, as a user
would) and measure, with PyTorch's autograd, the input region of the units of its layers, so that a test can check
that the ONNX route and the spec (tests/data/models/tiny_vit.yaml) give the same rf, jump and regions, both
equal to the gradient's (docs/semantics.md, "Whole tensors": roles through reshapes and transposes).

    /usr/bin/python3 tools/onnx_roles.py > tests/data/onnx_roles.json

`swin`: tiny_swin exported the same way (tests/data/onnx/tiny_swin_op13.onnx, _op17.onnx), with the nodes that
end each block's attention (windows shifted in every second block); their regions are the gradient's of
tests/data/swin_regions.json.

Writes tests/data/onnx/tiny_vit_op13.onnx and tiny_vit_op17.onnx (their weights' data stripped, as
tools/make_onnx_tests.py does: netlens reads their dims). `layers` pairs each spec layer with its
counterpart node in each file (the node whose output is that layer's output; the spec's dropouts have none:
an eval-mode export drops them). `regions` are measured at the module whose output is the spec layer's, for every
unit: "i,j" a cell of conv_proj's 4x4 output, "t" a token (0 the class token, which reads no input pixel before
the first attention: null; 1 + i*4 + j the patch in row i, column j), as in tools/swin_regions.py (float64,
parameters perturbed so no zero hides a dependence). Needs torch (Debian: python3-torch); never run by CI: its
output is checked in.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_onnx_tests import strip_weights  # noqa: E402
from swin_regions import measure, randomized  # noqa: E402
from tiny_transformers import tiny_swin, tiny_vit  # noqa: E402
from transformer_truth import dump  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPSETS = [13, 17]


def norm_node(prefix, opset):
    """A LayerNorm's last node: the LayerNormalization node from opset 17, before it the decomposition's Add."""
    return f"{prefix}/LayerNormalization" if opset >= 17 else f"{prefix}/Add_1"


def counterparts(opset):
    """Spec layer name -> ONNX node name (torch.onnx's naming of tiny_vit's modules)."""
    pairs = {"conv_proj": "/conv_proj/Conv", "reshape": "/Reshape", "permute": "/Transpose",
             "cat": "/Concat", "encoder.add": "/encoder/Add"}
    for b in range(2):
        spec, node = f"encoder.layers.encoder_layer_{b}", f"/encoder/layers/encoder_layer_{b}"
        pairs.update({
            f"{spec}.ln": norm_node(f"{node}/ln_1", opset),
            f"{spec}.self_attention": f"{node}/self_attention/Transpose_5",
            f"{spec}.add": f"{node}/Add",
            f"{spec}.ln_1": norm_node(f"{node}/ln_2", opset),
            f"{spec}.mlp.0": f"{node}/mlp/mlp.0/Add",
            f"{spec}.mlp.1": f"{node}/mlp/mlp.1/Mul_1",
            f"{spec}.mlp.3": f"{node}/mlp/mlp.3/Add",
            f"{spec}.add_1": f"{node}/Add_1",
        })
    pairs.update({"encoder.ln": norm_node("/encoder/ln", opset), "getitem_5": "/Gather",
                  "heads.head": "/heads/head/Gemm"})
    return pairs


# Spec layer -> the module whose output it is (its regions are measured there).
MEASURED = {
    "conv_proj": "conv_proj",
    "encoder.add": "encoder.dropout",
    "encoder.layers.encoder_layer_0.ln": "encoder.layers.encoder_layer_0.ln_1",
    "encoder.layers.encoder_layer_0.self_attention": "encoder.layers.encoder_layer_0.self_attention",
    "encoder.layers.encoder_layer_0.add_1": "encoder.layers.encoder_layer_0",
}


# tiny_swin's blocks: spec layer -> the node that makes the attention module's output (its crop, a Slice
# of the whole grid). The second block's windows are shifted: torch.roll (Slice and Concat) before and after,
# the mask added to the scores. Their regions are tests/data/swin_regions.json's (tiny_swin_32).
SWIN_LAYERS = {"features.1.0.attn": "/features/features.1/features.1.0/attn/Slice_2",
               "features.1.1.attn": "/features/features.1/features.1.1/attn/Slice_55",
               "features.3.0.attn": "/features/features.3/features.3.0/attn/Slice_2",
               "features.3.1.attn": "/features/features.3/features.3.1/attn/Slice_2"}


def export_file(model, path, opset):
    """torch.onnx.export at `opset`, the weights' data stripped; the file's node names."""
    import onnx
    torch.onnx.export(model, torch.zeros(1, 3, 32, 32), os.path.join(ROOT, path), opset_version=opset)
    exported = onnx.load(os.path.join(ROOT, path))
    strip_weights(exported)  # netlens reads the weights' dims only
    onnx.save(exported, os.path.join(ROOT, path))
    return {n.name for n in exported.graph.node}


def units(layer, shape):
    if len(shape) == 4:  # conv_proj: (1, C, 4, 4)
        return [(f"{i},{j}", (slice(None), i, j)) for i in range(shape[2]) for j in range(shape[3])]
    return [(str(t), (t,)) for t in range(shape[1])]


def main():
    import onnx
    import torchvision
    names = {}
    torch.set_default_dtype(torch.float32)  # swin_regions sets float64 when imported: export as users do
    for opset in OPSETS:
        path = f"tests/data/onnx/tiny_vit_op{opset}.onnx"
        torch.manual_seed(0)
        nodes = export_file(tiny_vit().eval(), path, opset)
        pairs = counterparts(opset)
        missing = [n for n in pairs.values() if n not in nodes]
        assert not missing, f"{path} has no node {missing}"
        names[str(opset)] = {"file": path, "layers": pairs}
    swin = {}
    for opset in OPSETS:
        path = f"tests/data/onnx/tiny_swin_op{opset}.onnx"
        torch.manual_seed(0)
        nodes = export_file(tiny_swin().eval(), path, opset)
        assert all(n in nodes for n in SWIN_LAYERS.values()), f"{path}: {SWIN_LAYERS}"
        swin[str(opset)] = {"file": path, "layers": SWIN_LAYERS}
    torch.set_default_dtype(torch.float64)
    regions = measure(randomized(tiny_vit), 32, units, MEASURED, False)
    print(dump({"generator": "tools/onnx_roles.py", "torch": torch.__version__,
                "torchvision": torchvision.__version__, "onnx": onnx.__version__,
                "model": "tools.tiny_transformers:tiny_vit()", "spec": "tests/data/models/tiny_vit.yaml",
                "input": [1, 3, 32, 32],
                "region": "[row_lo, row_hi, col_lo, col_hi] of the input pixels whose gradient is not zero; "
                          "null: none",
                "exports": names, "regions": regions,
                "swin": {"model": "tools.tiny_transformers:tiny_swin()", "spec": "tests/data/models/tiny_swin_32.yaml",
                         "regions": "tests/data/swin_regions.json, case tiny_swin_32", "exports": swin}}))


if __name__ == "__main__":
    main()

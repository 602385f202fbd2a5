#!/usr/bin/env python3
"""swin_regions: measure, with PyTorch's autograd, the input region of tokens after Swin's windowed attention
(and after a ViT's global attention), for the engine's receptive-field tests (docs/semantics.md's rule for attention).

    /usr/bin/python3 tools/swin_regions.py > tests/data/swin_regions.json

For a layer's output token (i, j) (channels last: y[0, i, j, :]; a ViT token t: y[0, t, :]) the region is the
support of the gradient of that token's channels summed, with respect to the input: the first and last input
row and column with a non-zero gradient, `[row_lo, row_hi, col_lo, col_hi]`. Layers are named as
tools/torch2netlens.py names them (the specs in tests/data/models/). Cases: swin_t at 224 (both blocks of each
stage, and stage 3's last: shift 0 and 3; a few tokens per stage: corners, centre, the diagonal of stage 1),
tools/tiny_transformers.py's tiny_swin at 32 and 36 (every token of every attention) and tiny_vit at 32
(every token of both attentions: each must see the whole image).

So that no zero hides a dependence: float64, every parameter of torchvision's initialisation plus N(0, 0.02)
noise (no weight, bias or norm parameter is exactly 0 or 1), a random N(0, 1) input, eval mode (dropout and
stochastic depth are the identity).

The shifted-window mask. torchvision adds -100 (not -inf) to the logits of token pairs from different
regions of a shifted window, so a masked pair keeps a weight of about exp(-100) ~ 4e-44: not zero in float64.
`regions` are measured with that -100 made -inf (the attention torchvision means: masked weights exactly 0;
every row keeps its own token, so no row is all -inf), which is the rule docs/semantics.md describes;
`torch_mask_regions` lists the tokens whose region differs when the -100 is left as it is. Needs torch
(Debian: python3-torch); never run by CI: its output is checked in.
"""
import contextlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tiny_transformers import tiny_swin, tiny_vit  # noqa: E402
from torch2netlens import export  # noqa: E402
from transformer_truth import dump  # noqa: E402

torch.set_default_dtype(torch.float64)

SWIN_T_TOKENS = {  # grid size -> tokens measured in swin_t's blocks of that stage
    56: [(0, 0), (3, 3), (6, 6), (27, 27), (52, 52), (55, 55), (0, 55)],
    28: [(0, 0), (0, 27), (27, 0), (27, 27), (14, 14)],
    14: [(0, 0), (0, 13), (13, 0), (13, 13), (7, 7)],
    7: [(0, 0), (0, 6), (6, 0), (6, 6), (3, 3)],
}
SWIN_T_LAYERS = ["features.1.0.attn", "features.1.1.attn", "features.3.0.attn", "features.3.1.attn",
                 "features.5.0.attn", "features.5.1.attn", "features.5.5.attn", "features.7.0.attn",
                 "features.7.1.attn"]


@contextlib.contextmanager
def exact_mask():
    """While active, torchvision's shifted-window mask fills -inf where it fills -100."""
    original = torch.Tensor.masked_fill

    def masked_fill(self, mask, value):
        return original(self, mask, float("-inf") if value == -100.0 else value)

    torch.Tensor.masked_fill = masked_fill
    try:
        yield
    finally:
        torch.Tensor.masked_fill = original


def randomized(factory):
    """factory() in float64 and eval mode, every parameter perturbed by N(0, 0.02) noise (seeded)."""
    torch.manual_seed(0)
    model = factory().double().eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    return model


def region(grad):
    """[row_lo, row_hi, col_lo, col_hi] of the non-zero gradient (summed over batch and channels), or None."""
    support = grad.abs().sum(dim=(0, 1)) > 0
    rows = torch.nonzero(support.any(dim=1)).flatten().tolist()
    cols = torch.nonzero(support.any(dim=0)).flatten().tolist()
    return [rows[0], rows[-1], cols[0], cols[-1]] if rows else None


def measure(model, size, units_of, layer_names, exact):
    """{layer: {unit: region}}: one forward pass, one gradient per unit. units_of(shape) -> [(key, index)]."""
    outputs, handles = {}, []
    for layer, path in layer_names.items():
        def hook(m, args, out, layer=layer):
            outputs[layer] = out[0] if isinstance(out, tuple) else out
        handles.append(model.get_submodule(path).register_forward_hook(hook))
    torch.manual_seed(1)
    x = torch.randn(1, 3, size, size, requires_grad=True)
    try:
        with exact_mask() if exact else contextlib.nullcontext():
            model(x)
    finally:
        for h in handles:
            h.remove()
    result = {}
    for layer in layer_names:
        y = outputs[layer]
        result[layer] = {}
        for key, index in units_of(layer, tuple(y.shape)):
            (grad,) = torch.autograd.grad(y[(0, *index)].sum(), x, retain_graph=True)
            result[layer][key] = region(grad)
    return result


def layer_paths(model, size, wanted):
    """The exporter's layer name -> module path of the attention modules (`wanted(name)` picks them)."""
    exporter = export(model, [size, size], 3)
    return {exporter.names.get(n, n.name): n.target for n in exporter.gm.graph.nodes
            if n.op == "call_module" and wanted(exporter.names.get(n, n.name))}


def swin_case(name, factory, size, layers=None, tokens=None):
    """A Swin: the regions of the chosen tokens (default: every token) of its window attentions."""
    model = randomized(factory)
    paths = layer_paths(model, size, lambda n: n.endswith(".attn") and (layers is None or n in layers))

    def units(layer, shape):
        grid = tokens[shape[1]] if tokens else [(i, j) for i in range(shape[1]) for j in range(shape[2])]
        return [(f"{i},{j}", (i, j)) for i, j in grid]
    exact = measure(model, size, units, paths, True)
    raw = measure(model, size, units, paths, False)
    differs = {layer: {k: r for k, r in raw[layer].items() if r != exact[layer][k]} for layer in raw}
    windows = {layer: {"window_size": list(model.get_submodule(p).window_size),
                       "shift_size": list(model.get_submodule(p).shift_size)} for layer, p in paths.items()}
    return {"model": name, "spec": f"tests/data/models/{name}.yaml", "input": [1, 3, size, size],
            "unit": "i,j: row and column of the output token (channels last)", "layers": windows,
            "regions": exact, "torch_mask_regions": {k: v for k, v in differs.items() if v}}


def vit_case(name, factory, size):
    """A ViT: the regions of every token of its attentions (token 0: the class token; 1 + i*W + j: cell i, j)."""
    model = randomized(factory)
    paths = layer_paths(model, size, lambda n: n.endswith(".self_attention"))
    regions = measure(model, size, lambda layer, shape: [(str(t), (t,)) for t in range(shape[1])], paths, False)
    return {"model": name, "spec": f"tests/data/models/{name}.yaml", "input": [1, 3, size, size],
            "unit": "t: token index (0 the class token, 1 + i*W + j the patch in row i, column j)",
            "regions": regions}


def main():
    import torchvision
    cases = [
        swin_case("swin_t", torchvision.models.swin_t, 224, SWIN_T_LAYERS, SWIN_T_TOKENS),
        swin_case("tiny_swin_32", tiny_swin, 32),
        swin_case("tiny_swin_36", tiny_swin, 36),
        vit_case("tiny_vit", tiny_vit, 32),
    ]
    print(dump({"generator": "tools/swin_regions.py", "torch": torch.__version__,
                "torchvision": torchvision.__version__,
                "region": "[row_lo, row_hi, col_lo, col_hi] of the input pixels whose gradient is not zero",
                "cases": cases}))


if __name__ == "__main__":
    main()

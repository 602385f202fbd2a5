#!/usr/bin/env python3
"""role_blocks: small PyTorch blocks whose tensors change layout (an NHWC input, a waveform's Unsqueeze, a
MobileViT-style conv -> tokens -> attention -> grid -> conv, a ConvNeXt block's permute -> Linear -> permute,
attention written by hand: a qkv Linear, reshapes to heads, matmuls, softmax; ECA's Conv1d across the pooled
channels, a Conv1d along the channels at each position), each exported both ways a user
would: to ONNX by torch.onnx (opset 17) and to a spec by tools/torch2netlens.py; and the input region of the
units of some of their tensors, measured with PyTorch's autograd. A test checks that both routes give those
regions (docs/semantics.md, "Whole tensors").

    /usr/bin/python3 tools/role_blocks.py > tests/data/role_blocks.json

Writes tests/data/onnx/blocks/NAME.onnx (weights' data stripped: netlens reads their dims) and
tests/data/models/blocks/NAME.yaml. Each case's `points` name a module whose output is measured, the spec
layer and the ONNX node that make that tensor, and `regions` give, for every unit, the first and last input
index on each spatial axis whose gradient is not zero (`[row_lo, row_hi, col_lo, col_hi]`, `[lo, hi]` in
1-D); units are "i,j" (or "i") of a spatial output and "t" of a token sequence (the cell t // W, t % W).
float64, parameters perturbed by N(0, 0.02) so no zero hides a dependence (tools/swin_regions.py). Needs
torch (Debian: python3-torch); never run by CI: its output is checked in.
"""
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_onnx_tests import strip_weights  # noqa: E402
from torch2netlens import export, spec_text  # noqa: E402
from transformer_truth import dump  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Nhwc(nn.Module):
    """A TensorFlow-style model: it takes (N, H, W, C) and permutes to channels first."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x):
        return self.conv2(self.pool(torch.relu(self.conv1(x.permute(0, 3, 1, 2)))))


class Wave(nn.Module):
    """An audio net: a (N, L) waveform, unsqueezed to one channel, two strided Conv1d."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 8, 25, stride=10)
        self.conv2 = nn.Conv1d(8, 8, 3, stride=2, padding=1)

    def forward(self, x):
        return self.conv2(torch.relu(self.conv1(x.unsqueeze(1))))


class MobileVitBlock(nn.Module):
    """conv -> tokens (flatten, transpose) -> global attention -> grid (transpose, reshape) -> conv."""

    def __init__(self, c=16):
        super().__init__()
        self.conv1 = nn.Conv2d(3, c, 3, stride=2, padding=1)
        self.attn = nn.MultiheadAttention(c, 2, batch_first=True)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        x = self.conv1(x)
        b, c, h, w = x.shape
        t = x.flatten(2).transpose(1, 2)
        t, _ = self.attn(t, t, t, need_weights=False)
        return self.conv2(t.transpose(1, 2).reshape(b, c, h, w))


class ConvNextBlock(nn.Module):
    """A patchify stem, then ConvNeXt's block as torchvision writes it (depthwise 7x7, permute to channels
    last, LayerNorm, Linear, GELU, Linear, permute back, layer scale, residual)."""

    def __init__(self):
        super().__init__()
        from torchvision.models.convnext import CNBlock
        self.stem = nn.Conv2d(3, 16, 4, stride=4)
        self.block = CNBlock(16, 1e-6, 0.0)

    def forward(self, x):
        return self.block(self.stem(x))


class HandAttention(nn.Module):
    """Patches, then attention written by hand: qkv Linear, reshape to heads, q @ k^T, softmax, @ v."""

    def __init__(self, c=16, heads=2):
        super().__init__()
        self.conv = nn.Conv2d(3, c, 4, stride=4)
        self.qkv = nn.Linear(c, 3 * c)
        self.proj = nn.Linear(c, c)
        self.heads = heads

    def forward(self, x):
        x = self.conv(x).flatten(2).transpose(1, 2)
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = ((q @ k.transpose(-2, -1)) * (c // self.heads) ** -0.5).softmax(dim=-1)
        return self.proj((a @ v).transpose(1, 2).reshape(b, n, c))


class EcaBlock(nn.Module):
    """ECA-Net's channel attention: a global pool, a Conv1d across the channels (N, 1, C), a sigmoid gate
    (detached: its gradient is then the local paths', which regions count, rf*; the export is the same)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.eca = nn.Conv1d(1, 1, 3, padding=1, bias=False)
        self.conv2 = nn.Conv2d(16, 8, 3, padding=1)

    def forward(self, x):
        x = self.conv1(x)
        y = self.eca(self.pool(x).squeeze(-1).transpose(-1, -2)).transpose(-1, -2).unsqueeze(-1)
        return self.conv2(x * torch.sigmoid(y).detach())


class ChannelConv(nn.Module):
    """A Conv1d along the channels at each position: (N, C, H, W) -> (N H W, 1, C) and back."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.mix = nn.Conv1d(1, 1, 3, padding=1, bias=False)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x):
        x = self.conv1(x)
        n, c, h, w = x.shape
        y = self.mix(x.permute(0, 2, 3, 1).reshape(n * h * w, 1, c))
        return self.conv2(y.reshape(n, h, w, c).permute(0, 3, 1, 2))


class PadModes1d(nn.Module):
    """Reflect and replicate padding in 1-D: a conv's padding_mode, ReplicationPad1d, ReflectionPad1d."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(3, 4, 3, padding=2, padding_mode="reflect")
        self.pad = nn.ReplicationPad1d(3)
        self.conv2 = nn.Conv1d(4, 4, 5, stride=2)
        self.pad2 = nn.ReflectionPad1d((1, 2))
        self.conv3 = nn.Conv1d(4, 4, 3, dilation=2)

    def forward(self, x):
        return self.conv3(self.pad2(self.conv2(self.pad(self.conv1(x)))))


class PadModes2d(nn.Module):
    """Reflect and replicate padding in 2-D: padding_mode, ReflectionPad2d with unequal sides, F.pad's mode."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, padding_mode="replicate")
        self.pad = nn.ReflectionPad2d((2, 1, 0, 2))
        self.conv2 = nn.Conv2d(8, 8, 3, stride=2)
        self.conv3 = nn.Conv2d(8, 8, 3)

    def forward(self, x):
        x = self.conv2(self.pad(self.conv1(x)))
        return self.conv3(nn.functional.pad(x, (1, 1, 2, 0), mode="reflect"))


class PadCircular1d(nn.Module):
    """Circular padding in 1-D: a conv's padding_mode, F.pad's mode with unequal sides."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(3, 4, 3, padding=2, padding_mode="circular")
        self.conv2 = nn.Conv1d(4, 4, 5, stride=2)

    def forward(self, x):
        return self.conv2(nn.functional.pad(self.conv1(x), (1, 3), mode="circular"))


class PadCircular2d(nn.Module):
    """Circular padding in 2-D: padding_mode, F.pad's mode with a side of 0."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, padding_mode="circular")
        self.conv2 = nn.Conv2d(8, 8, 3, stride=2)

    def forward(self, x):
        return self.conv2(nn.functional.pad(self.conv1(x), (2, 1, 0, 2), mode="circular"))


# Cases whose regions wrap (circular padding): the support as the smallest arc of the input's ring, and no
# ONNX route: torch 1.13 exports circular padding as Slices one pixel off (x[n-p-1:n-1]), a file of another
# function (tests/data/onnx/circular_pad.onnx is the correct form, checked against these specs' regions).
CIRCULAR = ("pad_circular_1d", "pad_circular_2d")

# name, model, input size, exporter input layout, points: (module path or "" for the output, spec layer,
# ONNX node, the tensor's layout: "first" (N, C, spatial...), "last" (N, spatial..., C), "tokens" (N, L, C)).
CASES = [
    ("nhwc", Nhwc, [20, 24], "last",
     [("conv1", "conv1", "/conv1/Conv", "first"), ("", "conv2", "/conv2/Conv", "first")]),
    ("waveform", Wave, [400], "whole", [("", "conv2", "/conv2/Conv", "first")]),
    ("mobilevit_block", MobileVitBlock, [16, 16], "first",
     [("conv1", "conv1", "/conv1/Conv", "first"), ("", "conv2", "/conv2/Conv", "first")]),
    ("convnext_block", ConvNextBlock, [32, 32], "first",
     [("block.block.3", "block.block.3", "/block/block/block.3/Add", "last"),
      ("", "block.add", "/block/Add", "first")]),
    ("hand_attention", HandAttention, [32, 32], "first",
     [("qkv", "qkv", "/qkv/Add", "tokens"), ("", "proj", "/proj/Add", "tokens")]),
    ("eca_block", EcaBlock, [16, 16], "first", [("", "conv2", "/conv2/Conv", "first")]),
    ("channel_conv", ChannelConv, [12, 12], "first", [("", "conv2", "/conv2/Conv", "first")]),
    ("pad_modes_1d", PadModes1d, [20], "first",
     [("conv1", "conv1", "/conv1/Conv", "first"), ("conv2", "conv2", "/conv2/Conv", "first"),
      ("", "conv3", "/conv3/Conv", "first")]),
    ("pad_modes_2d", PadModes2d, [13, 11], "first",
     [("conv1", "conv1", "/conv1/Conv", "first"), ("conv2", "conv2", "/conv2/Conv", "first"),
      ("", "conv3", "/conv3/Conv", "first")]),
    ("pad_circular_1d", PadCircular1d, [16], "first",
     [("conv1", "conv1", "", "first"), ("", "conv2", "", "first")]),
    ("pad_circular_2d", PadCircular2d, [9, 10], "first",
     [("conv1", "conv1", "", "first"), ("", "conv2", "", "first")]),
]


def input_shape(size, layout):
    return {"first": (1, 3, *size), "last": (1, *size, 3), "whole": (1, *size)}[layout]


def arc(nz, n):
    """The smallest arc of the ring of n holding the sorted positions nz: [lo, hi], hi >= n past the seam
    (netlens's form, model/regions.h); round the other side of the largest gap, the seam's on a tie."""
    lo, hi = nz[0], nz[-1]
    best = n - 1 - hi + lo  # the gap across the seam
    for a, b in zip(nz, nz[1:]):
        if b - a - 1 > best:
            best, lo, hi = b - a - 1, b, a + n
    return [lo, hi]


def support(grad, layout, rank, circular=False):
    """The gradient's first and last non-zero index on each spatial axis (an arc when circular), or None."""
    axes = {"first": list(range(2, 2 + rank)), "last": list(range(1, 1 + rank)),
            "whole": list(range(1, 1 + rank))}[layout]
    g = grad.abs()
    out = []
    for a in axes:
        others = tuple(d for d in range(g.dim()) if d != a)
        nz = torch.nonzero(g.sum(dim=others) > 0).flatten().tolist()
        if not nz:
            return None
        out += arc(nz, g.shape[a]) if circular else [nz[0], nz[-1]]
    return out


def measure(model, size, layout, points, circular=False):
    """{spec layer: {unit: region}} at each point's module output."""
    torch.manual_seed(0)
    model = model.double().eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    outputs, handles = {}, []
    for module, layer, _, _ in points:
        if module:
            def hook(m, args, out, layer=layer):
                outputs[layer] = out[0] if isinstance(out, tuple) else out
            handles.append(model.get_submodule(module).register_forward_hook(hook))
    torch.manual_seed(1)
    x = torch.randn(*input_shape(size, layout), requires_grad=True)
    y = model(x)
    for h in handles:
        h.remove()
    result = {}
    for module, layer, _, kind in points:
        t = outputs[layer] if module else y
        units = {}
        if kind == "tokens":  # (N, L, C)
            for i in range(t.shape[1]):
                (g,) = torch.autograd.grad(t[0, i].sum(), x, retain_graph=True)
                units[str(i)] = support(g, layout, len(size), circular)
        else:
            last = kind == "last"
            spatial = t.shape[1:-1] if last else t.shape[2:]
            for index in torch.cartesian_prod(*[torch.arange(n) for n in spatial]).reshape(-1, len(spatial)):
                at = (0, *index.tolist(), slice(None)) if last else (0, slice(None), *index.tolist())
                (g,) = torch.autograd.grad(t[at].sum(), x, retain_graph=True)
                units[",".join(map(str, index.tolist()))] = support(g, layout, len(size), circular)
        result[layer] = units
    return result


def main():
    import onnx
    import torchvision
    cases = []
    for name, factory, size, layout, points in CASES:
        torch.set_default_dtype(torch.float32)
        torch.manual_seed(0)
        model = factory().eval()
        onnx_path = f"tests/data/onnx/blocks/{name}.onnx"
        spec_path = f"tests/data/models/blocks/{name}.yaml"
        for path in (onnx_path, spec_path):
            os.makedirs(os.path.dirname(os.path.join(ROOT, path)), exist_ok=True)
        circular = name in CIRCULAR
        if circular:
            onnx_path = None
        else:
            torch.onnx.export(model, torch.zeros(*input_shape(size, layout)), os.path.join(ROOT, onnx_path),
                              opset_version=17)
            exported = onnx.load(os.path.join(ROOT, onnx_path))
            strip_weights(exported)
            onnx.save(exported, os.path.join(ROOT, onnx_path))
            nodes = {n.name for n in exported.graph.node}
            assert all(p[2] in nodes for p in points), f"{onnx_path}: {[p[2] for p in points]}"
        exporter = export(model, size, 3, layout)
        with open(os.path.join(ROOT, spec_path), "w") as f:
            f.write(spec_text(exporter, name, size, 3, [f"{name}: tools/role_blocks.py's {factory.__name__}, "
                                                        f"exported by tools/torch2netlens.py"]))
        names = {layer["name"] for layer in exporter.layers}
        assert all(p[1] in names for p in points), f"{spec_path}: {[p[1] for p in points]}"
        torch.set_default_dtype(torch.float64)
        cases.append({"name": name, "onnx": onnx_path, "spec": spec_path, "input": list(input_shape(size, layout)),
                      "points": [{"spec": p[1], "onnx": p[2]} for p in points],
                      "regions": measure(factory(), size, layout, points, circular)})
    print(dump({"generator": "tools/role_blocks.py", "torch": torch.__version__,
                "torchvision": torchvision.__version__, "onnx": onnx.__version__, "cases": cases}))


if __name__ == "__main__":
    main()

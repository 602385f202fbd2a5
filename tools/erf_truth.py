#!/usr/bin/env python3
"""erf_truth: PyTorch's effective receptive field under uniform weights, the truth for
tests/unit/test_oracle_erf.cpp (tests/data/erf_truth.json).

    /usr/bin/python3 tools/erf_truth.py > tests/data/erf_truth.json

The nets are torchvision's vgg16 and resnet18 (64x64 input), tools/zoo_extra.py's U-Net (188x188,
its smallest valid input), a small net of bilinear and bicubic resizes (RESIZE_SPEC) and one of reflect and
replicate and circular padding (PAD_SPEC), made path
counters (docs/semantics.md, "Effective receptive field"): every
conv / conv-transpose / linear weight 1, biases 0; batch norms, ReLUs and dropouts nn.Identity; max
pools sum pools (avg_pool with divisor_override=1: a window of ones); float64, CPU. The map of a unit
(channel 0 of a layer's output at one position) is the gradient of that unit with respect to the
input, summed over the input's channels (every input channel gets the same gradient, so the sum is
C x channel 0's map): the number of paths from each input position to the unit.

Stored per map: the nonzero bounding box (`origin`, `size`, row-major `values`) normalized to the
total, 12 significant digits; `paths_log10`; and per axis `centre`, erf50 / erf95 computed here from the
torch map with the definition of docs/semantics.md: the marginal on the axis, its weighted centre c
rounded to the half pixel (halves up), the smallest radius r (c + r a whole number) with at least P% of
the paths in [c - r, c + r].
"""
import argparse
import json
import math
import sys

import torch
import torchvision
from torch import nn

sys.path.insert(0, __import__("os").path.dirname(__file__))
import zoo_extra  # noqa: E402


class SumPool(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.k, self.s, self.p, self.c = m.kernel_size, m.stride, m.padding, m.ceil_mode

    def forward(self, x):
        return nn.functional.avg_pool2d(x, self.k, self.s, self.p, self.c, True, divisor_override=1)


def make_counter(module):
    """In place: weights 1, biases 0, norms / activations / dropout identity, max pool sum pool."""
    for name, m in list(module.named_modules()):
        for cname, c in list(m.named_children()):
            if isinstance(c, (nn.BatchNorm2d, nn.ReLU, nn.Dropout)):
                setattr(m, cname, nn.Identity())
            elif isinstance(c, nn.MaxPool2d):
                setattr(m, cname, SumPool(c))
            elif isinstance(c, (nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                nn.init.ones_(c.weight)
                if c.bias is not None:
                    nn.init.zeros_(c.bias)
    return module.double().eval()


def unet_counter():
    net, _, _ = zoo_extra.unet()
    for i, (n, m, inp) in enumerate(net.steps):
        if isinstance(m, (nn.ReLU, nn.Dropout)):
            m = nn.Identity()
        elif isinstance(m, nn.MaxPool2d):
            m = SumPool(m)
        elif isinstance(m, nn.Module):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        net.steps[i] = (n, m, inp)
    net.mods = nn.ModuleDict({n: m for n, m, _ in net.steps if isinstance(m, nn.Module)})
    return net.double().eval()


def hooked_output(model, module_name, call, x):
    """The output of the `call`-th call (0-based) of a named submodule."""
    mod = dict(model.named_modules())[module_name]
    got, count = {}, [0]

    def hook(_m, _i, out):
        if count[0] == call:
            # A copy: resnet's `out += identity` later adds into conv2's output in place (its
            # batch norm is an identity now), which would make the hooked tensor the add's.
            got["y"] = out.clone()
        count[0] += 1

    h = mod.register_forward_hook(hook)
    model(x)
    h.remove()
    return got["y"]


def grad_map(forward, channels, size, unit):
    """The paths map of channel 0 at `unit`; a square input of `size`, or [L] a 1-D one."""
    shape = size if isinstance(size, list) else [size, size]
    x = torch.ones(1, channels, *shape, dtype=torch.float64, requires_grad=True)
    y = forward(x)
    y[(0, 0, *unit)].backward()
    return x.grad[0].sum(0)


def weighted_centre(marginal):
    """The paths' weighted centre on the axis to the half pixel (halves rounded up)."""
    total = sum(marginal)
    return math.floor(2 * sum(i * v for i, v in enumerate(marginal)) / total + 0.5) / 2


def erf_radius(marginal, centre, p):
    total = sum(marginal)
    r = 0.0 if centre == int(centre) else 0.5
    while True:
        within = sum(v for i, v in enumerate(marginal) if centre - r <= i <= centre + r)
        if within * 100 >= p * total:
            return r
        r += 1


# Resampling, which the three nets lack: bilinear (scale factor, and align_corners with a
# fractional factor) and bicubic (by size; weights below 0), as netlens reads them.
RESIZE_SPEC = """name: resize
input: {size: [12, 12], channels: 2}
layers:
  - {name: c1, type: conv, out_channels: 3, kernel_size: 3, padding: 1}
  - {name: up1, type: upsample, scale_factor: 2, mode: bilinear}
  - {name: c2, type: conv, out_channels: 2, kernel_size: 3}
  - {name: bic, type: upsample, size: [31, 31], mode: bicubic}
  - {name: c3, type: conv, out_channels: 2, kernel_size: 1}
  - {name: ac, type: upsample, scale_factor: 1.5, mode: bilinear, align_corners: true, inputs: [c2]}
"""


class Resize(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2, self.c3 = nn.Conv2d(2, 3, 3, padding=1), nn.Conv2d(3, 2, 3), nn.Conv2d(2, 2, 1)

    def forward(self, x):
        f = nn.functional.interpolate
        up1 = f(self.c1(x), scale_factor=2, mode="bilinear", align_corners=False)
        c2 = self.c2(up1)
        bic = f(c2, size=(31, 31), mode="bicubic", align_corners=False)
        return {"up1": up1, "c2": c2, "bic": bic, "c3": self.c3(bic),
                "ac": f(c2, scale_factor=1.5, mode="bilinear", align_corners=True)}


# Padding that holds pixels: reflect and replicate, on convs (padding_mode) and pad layers; the
# border units' paths fold back onto the pixels the padding copies.
PAD_SPEC = """name: pad_modes
input: {size: [10, 10], channels: 2}
layers:
  - {name: c1, type: conv, out_channels: 3, kernel_size: 3, padding: 1, padding_mode: reflect}
  - {name: p, type: pad, padding: [[2, 1], [0, 2]], padding_mode: replicate}
  - {name: c2, type: conv, out_channels: 2, kernel_size: 3, stride: 2}
  - {name: c3, type: conv, out_channels: 2, kernel_size: 3, padding: 2, dilation: 2, padding_mode: reflect}
  - {name: c4, type: conv, out_channels: 2, kernel_size: 3, padding: [2, 1], padding_mode: circular}
"""


class PadModes(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect")
        self.c2 = nn.Conv2d(3, 2, 3, stride=2)
        self.c3 = nn.Conv2d(2, 2, 3, padding=2, dilation=2, padding_mode="reflect")
        self.c4 = nn.Conv2d(2, 2, 3, padding=(2, 1), padding_mode="circular")

    def forward(self, x):
        c1 = self.c1(x)
        c2 = self.c2(nn.functional.pad(c1, (0, 2, 2, 1), mode="replicate"))
        c3 = self.c3(c2)
        return {"c1": c1, "c2": c2, "c3": c3, "c4": self.c4(c3)}


# A causal net (docs/guide.md's WaveNet): dilated Conv1d with left padding, residual sums; its unit 0
# reads only sample 0, the theoretical region's centre lying 512 samples before it.
WAVENET_SPEC = """name: wavenet
input: {size: [4096], channels: 1}
blocks:
  residual:
    params: {dilation: 1}
    layers:
      - {name: conv, type: conv1d, out_channels: 32, kernel_size: 2, dilation: $dilation, padding: [[$dilation, 0]]}
      - {name: gate, type: tanh}
      - {name: sum, type: add, inputs: [gate, $input]}
layers:
  - {name: causal, type: conv1d, out_channels: 32, kernel_size: 2, padding: [[1, 0]]}
  - {name: block, use: residual, repeat: 10, with: {dilation: {each: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]}}}
"""


class WaveNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.causal = nn.Conv1d(1, 32, 2)
        self.convs = nn.ModuleList([nn.Conv1d(32, 32, 2, dilation=2 ** i) for i in range(10)])

    def forward(self, x):
        x = self.causal(nn.functional.pad(x, (1, 0)))
        for i, conv in enumerate(self.convs):  # tanh: an identity in a path counter
            x = conv(nn.functional.pad(x, (2 ** i, 0))) + x
        return {"block10.sum": x}


def record(net, size, layer, unit, g, spec=None):
    nz = torch.nonzero(g)
    lo, hi = nz.min(0).values.tolist(), nz.max(0).values.tolist()
    box = g[tuple(slice(a, b + 1) for a, b in zip(lo, hi))]
    total = g.sum().item()
    rec = {"net": net, "input": size, "layer": layer, "unit": unit, "origin": lo,
           "size": [b - a + 1 for a, b in zip(lo, hi)], "paths_log10": float(f"{math.log10(total):.12g}"),
           "values": [float(f"{v / total:.12g}") for v in box.flatten().tolist()]}
    if spec:
        rec["spec"] = spec
    rank = g.dim()
    marginals = [(g.sum(tuple(d for d in range(rank) if d != a)) if rank > 1 else g).tolist()
                 for a in range(rank)]
    rec["centre"] = [weighted_centre(m) for m in marginals]
    for p in (50, 95):
        rec[f"erf{p}"] = [erf_radius(m, c, p) for m, c in zip(marginals, rec["centre"])]
    return rec


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.parse_args()
    torch.set_grad_enabled(True)
    maps = []
    vgg = make_counter(torchvision.models.vgg16())
    for layer, module, units in (("conv3_3", "features.14", [[7, 7], [0, 1]]),
                                 ("conv5_3", "features.28", [[1, 1], [0, 3]])):
        for unit in units:
            g = grad_map(lambda x: hooked_output(vgg, module, 0, x), 3, 64, unit)
            maps.append(record("vgg16", 64, layer, unit, g))
    res = make_counter(torchvision.models.resnet18())
    for layer, module, call, units in (("layer2.1.conv2", "layer2.1.conv2", 0, [[3, 3], [0, 1]]),
                                       ("layer3.0.relu_1", "layer3.0.relu", 1, [[1, 1], [3, 0]]),
                                       ("layer4.1.conv2", "layer4.1.conv2", 0, [[0, 0], [1, 0]])):
        for unit in units:
            g = grad_map(lambda x: hooked_output(res, module, call, x), 3, 64, unit)
            maps.append(record("resnet18", 64, layer, unit, g))
    unet = unet_counter()
    for layer, units in (("conv5_2", [[1, 1]]), ("concat9", [[3, 3]]), ("conv10", [[1, 1]])):
        for unit in units:
            g = grad_map(lambda x: unet(x)[layer], 1, 188, unit)
            maps.append(record("unet", 188, layer, unit, g))
    resize = make_counter(Resize())
    for layer, units in (("up1", [[11, 5]]), ("bic", [[15, 15], [0, 30]]), ("c3", [[15, 15]]),
                         ("ac", [[16, 16], [1, 32]])):
        for unit in units:
            g = grad_map(lambda x: resize(x)[layer], 2, 12, unit)
            maps.append(record("resize", 12, layer, unit, g, RESIZE_SPEC))
    pads = make_counter(PadModes())
    for layer, units in (("c1", [[0, 0], [4, 9]]), ("c2", [[0, 0], [5, 4]]), ("c3", [[0, 0], [3, 2], [5, 4]]),
                         ("c4", [[0, 0], [7, 2]])):
        for unit in units:
            g = grad_map(lambda x: pads(x)[layer], 2, 10, unit)
            maps.append(record("pad_modes", 10, layer, unit, g, PAD_SPEC))
    wavenet = make_counter(WaveNet())
    for unit in ([0], [3000]):
        g = grad_map(lambda x: wavenet(x)["block10.sum"], 1, [4096], unit)
        maps.append(record("wavenet", [4096], "block10.sum", unit, g, WAVENET_SPEC))
    json.dump({"generator": "tools/erf_truth.py", "torch": torch.__version__, "maps": maps}, sys.stdout,
              separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

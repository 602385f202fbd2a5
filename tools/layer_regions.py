#!/usr/bin/env python3
"""layer_regions: measure, with PyTorch's autograd, the regions of gates, resizes, pixel shuffles
and strided slices, for tests/unit/test_oracle_layer_regions.cpp.

    /usr/bin/python3 tools/layer_regions.py > tests/data/layer_regions.json

Each case is a small net written twice: as a netlens spec (YAML text) and as the same
computation in torch. For every listed layer and every unit on the diagonal, the actual region
is the support of the gradient of that unit (summed over channels) with respect to the input:
the rows and columns of input pixels that reach it, as `[row_lo, row_hi, col_lo, col_hi]`
(null when none). The method of ../shared/oracle: conv weights 1 / fan_in, biases 0, input all
ones, float64, so no gradient cancels by accident. A squeeze-and-excitation gate is detached
(`gate.detach()`): what remains is the local path, which is what netlens reports for a layer
marked `global_context`. Needs torch (Debian: python3-torch); never run by CI: its output is
checked in.
"""
import json

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def conv(x, out_channels, k, stride=1, padding=0, groups=1):
    c = x.shape[1]
    w = torch.full((out_channels, c // groups, k, k), 1.0 / (c // groups * k * k))
    return F.conv2d(x, w, stride=stride, padding=padding, groups=groups)


def region(grad):
    """[row_lo, row_hi, col_lo, col_hi] of the non-zero gradient, or None."""
    support = grad.abs().sum(dim=(0, 1)) > 0
    rows = torch.nonzero(support.any(dim=1)).flatten().tolist()
    cols = torch.nonzero(support.any(dim=0)).flatten().tolist()
    if not rows:
        return None
    return [rows[0], rows[-1], cols[0], cols[-1]]


def measure(size, channels, forward, layers):
    """forward(x) -> {layer name: tensor}; the regions of the diagonal units of `layers`."""
    out = {}
    for name in layers:
        x = torch.ones(1, channels, size[0], size[1], requires_grad=True)
        y = forward(x)[name]
        n = min(y.shape[2], y.shape[3])
        units = {}
        for u in range(n):
            if x.grad is not None:
                x.grad = None
            y = forward(x)[name]
            y[0, :, u, u].sum().backward()
            units[f"{u},{u}"] = region(x.grad)
        out[name] = units
    return out


def squeeze_excitation(x):
    t = {}
    t["dw"] = conv(x, 8, 3, padding=1, groups=8)
    t["act"] = F.silu(t["dw"])
    gate = torch.sigmoid(conv(F.silu(conv(F.adaptive_avg_pool2d(t["act"], 1), 2, 1)), 8, 1))
    t["scaled"] = t["act"] * gate.detach()
    t["project"] = conv(t["scaled"], 8, 3, padding=1)
    t["out"] = t["project"] + x
    return t


SE_SPEC = """input: {size: 12, channels: 8}
layers:
  - {name: dw, type: conv, out_channels: 8, kernel_size: 3, padding: 1, groups: 8}
  - {name: act, type: silu}
  - {name: pool, type: adaptive_avgpool, output_size: 1}
  - {name: fc1, type: conv, out_channels: 2, kernel_size: 1}
  - {name: fc1_act, type: silu}
  - {name: fc2, type: conv, out_channels: 8, kernel_size: 1}
  - {name: gate, type: sigmoid}
  - {name: scaled, type: mul, inputs: [act, gate]}
  - {name: project, type: conv, out_channels: 8, kernel_size: 3, padding: 1}
  - {name: out, type: add, inputs: [project, input]}
"""


def resize(mode, **kw):
    def forward(x):
        t = {}
        t["c"] = conv(x, 2, 3, stride=2, padding=1)
        t["up"] = F.interpolate(t["c"], mode=mode, **kw)
        t["after"] = conv(t["up"], 2, 3, padding=1)
        return t
    return forward


def resize_spec(fields, size=13):
    return (f"input: {{size: {size}, channels: 2}}\nlayers:\n"
            "  - {name: c, type: conv, out_channels: 2, kernel_size: 3, stride: 2, padding: 1}\n"
            f"  - {{name: up, type: upsample, {fields}}}\n"
            "  - {name: after, type: conv, out_channels: 2, kernel_size: 3, padding: 1}\n")


def layout(x):
    t = {}
    t["un"] = F.pixel_unshuffle(x, 2)
    t["c"] = conv(t["un"], 8, 3, padding=1)
    t["sh"] = F.pixel_shuffle(t["c"], 2)
    t["sl"] = t["sh"][:, :, 1:-1:2, :]
    t["after"] = conv(t["sl"], 2, 3, padding=1)
    return t


LAYOUT_SPEC = """input: {size: 16, channels: 2}
layers:
  - {name: un, type: pixel_unshuffle, downscale_factor: 2}
  - {name: c, type: conv, out_channels: 8, kernel_size: 3, padding: 1}
  - {name: sh, type: pixel_shuffle, upscale_factor: 2}
  - {name: sl, type: slice, dim: 2, start: 1, stop: -1, step: 2}
  - {name: after, type: conv, out_channels: 2, kernel_size: 3, padding: 1}
"""


def cases():
    yield "squeeze_excitation", SE_SPEC, (12, 12), 8, squeeze_excitation, ["scaled", "out"]
    for name, fields, kw in [
        ("bicubic_x2", "scale_factor: 2, mode: bicubic", {"scale_factor": 2}),
        ("bicubic_corners", "scale_factor: 2, mode: bicubic, align_corners: true",
         {"scale_factor": 2, "align_corners": True}),
        ("nearest_exact_x1.5", "scale_factor: 1.5, mode: nearest-exact", {"scale_factor": 1.5}),
        ("nearest_size", "size: [11, 11]", {"size": (11, 11)}),
        ("bilinear_size", "size: [11, 11], mode: bilinear", {"size": (11, 11)}),
        ("bicubic_size", "size: [17, 17], mode: bicubic", {"size": (17, 17)}),
    ]:
        mode = fields.split("mode: ")[1].split(",")[0] if "mode" in fields else "nearest"
        yield name, resize_spec(fields), (13, 13), 2, resize(mode, **kw), ["up", "after"]
    yield "pixel_shuffle_slice", LAYOUT_SPEC, (16, 16), 2, layout, ["un", "sh", "sl", "after"]


def main():
    out = []
    for name, spec, size, channels, forward, layers in cases():
        out.append({"name": name, "spec": spec,
                    "regions": measure(size, channels, forward, layers)})
    print(json.dumps({"generator": "tools/layer_regions.py", "torch": torch.__version__,
                      "cases": out}, indent=1))


if __name__ == "__main__":
    main()

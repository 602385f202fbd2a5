#!/usr/bin/env python3
"""zoo_extra: PyTorch builds of the two hand-written decoders, nets/unet.yaml and nets/fcn32s.yaml,
to check them against what PyTorch computes.

    /usr/bin/python3 tools/zoo_extra.py [--netlens build/src/netlens] [unet] [fcn32s]

For every layer of the YAML file (same names, same order) it prints PyTorch's output shape and
parameter count and, measured by gradient, the receptive field: weights 1/fan_in, biases 0, max-pools
replaced by average pools, input all ones, float64, channels divided by 64 (the support of a gradient
does not depend on the width); the support of the gradient of one output unit (summed over channels)
is the set of input pixels that unit sees. `rf` is the largest region over units 0-3 and the centre
unit, `P` is -start of unit 0's region (`padding_eff`); both are exact where no region touches the
image border through padding (FCN-32s: such units are left out; `-` where none is left). With --netlens it
also runs `netlens analyze FILE --format json` and marks every number that differs (exit status 1).

The nets, as in the YAML files:
  unet    Ronneberger et al. 2015: 572x572x1 -> 388x388x2, valid 3x3 convs, 2x2 max-pools,
          2x2 stride-2 up-convs halving the channels, centred crop-and-copy, concat, 1x1 conv.
  fcn32s  Long et al. 2015, Caffe voc-fcn32s: VGG-16 trunk (conv1_1 padding 100, ceil-mode pools),
          fc6 7x7 conv 4096, fc7 1x1 conv 4096, score_fr 1x1 conv 21, upscore 64x64 stride-32
          transposed conv without bias, crop to the input at offset 19. 500x500x3 -> 500x500x21.
"""
import argparse
import json
import subprocess
import sys

import torch
from torch import nn


class Net(nn.Module):
    """A net run as a list of (name, module or merge, input names), like a netlens spec."""

    def __init__(self, steps):
        super().__init__()
        self.steps = steps
        self.mods = nn.ModuleDict({n: m for n, m, _ in steps if isinstance(m, nn.Module)})

    def forward(self, x):
        outs, prev = {"input": x}, "input"
        for name, m, inputs in self.steps:
            xs = [outs[i] for i in (inputs or [prev])]
            if m == "concat":
                y = torch.cat(xs, 1)
            elif isinstance(m, tuple):  # ("crop", offset or None): crop xs[0] to xs[-1]'s size
                y = xs[0]
                for d, (n, r) in enumerate(zip(xs[0].shape[2:], xs[-1].shape[2:])):
                    y = y.narrow(2 + d, m[1] if m[1] is not None else (n - r) // 2, r)
            else:
                y = m(xs[0])
            outs[name], prev = y, name
        return outs


def layers(nd):
    """The layer classes of `nd` spatial axes: Conv, ConvTranspose, MaxPool."""
    return [getattr(nn, f"{k}{nd}d") for k in ("Conv", "ConvTranspose", "MaxPool")]


def unet(w=1, nd=2):
    """U-Net with channels divided by w, on nd spatial axes (1: one axis of the 2-D net)."""
    c = lambda n: max(n // w, 1)  # noqa: E731
    Conv, ConvT, MaxPool = layers(nd)
    steps, ch, prev_c = [], {1: 64, 2: 128, 3: 256, 4: 512, 5: 1024}, 1
    for lvl in range(1, 6):
        for i in (1, 2):
            steps += [(f"conv{lvl}_{i}", Conv(prev_c, c(ch[lvl]), 3), None), (f"relu{lvl}_{i}", nn.ReLU(), None)]
            prev_c = c(ch[lvl])
        if lvl >= 4:
            steps.append((f"drop{lvl}", nn.Dropout(0.5), None))
        if lvl < 5:
            steps.append((f"pool{lvl}", MaxPool(2, 2), None))
    for lvl in range(6, 10):
        enc, n = 10 - lvl, c(ch[10 - lvl])
        src = "drop4" if enc == 4 else f"relu{enc}_2"
        steps += [(f"up{lvl}", ConvT(prev_c, n, 2, 2), None),
                  (f"crop{lvl}", ("crop", None), [src, f"up{lvl}"]),
                  (f"concat{lvl}", "concat", [f"crop{lvl}", f"up{lvl}"]),
                  (f"conv{lvl}_1", Conv(2 * n, n, 3), None), (f"relu{lvl}_1", nn.ReLU(), None),
                  (f"conv{lvl}_2", Conv(n, n, 3), None), (f"relu{lvl}_2", nn.ReLU(), None)]
        prev_c = n
    steps.append(("conv10", Conv(prev_c, 2, 1), None))
    return Net(steps), 572, 1


def fcn32s(w=1, nd=2):
    c = lambda n: max(n // w, 1)  # noqa: E731
    Conv, ConvT, MaxPool = layers(nd)
    steps, prev_c = [], 3
    for blk, (n, reps) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)], 1):
        for i in range(1, reps + 1):
            pad = 100 if (blk, i) == (1, 1) else 1
            steps += [(f"conv{blk}_{i}", Conv(prev_c, c(n), 3, padding=pad), None),
                      (f"relu{blk}_{i}", nn.ReLU(), None)]
            prev_c = c(n)
        steps.append((f"pool{blk}", MaxPool(2, 2, ceil_mode=True), None))
    steps += [("fc6", Conv(prev_c, c(4096), 7), None), ("relu6", nn.ReLU(), None), ("drop6", nn.Dropout(), None),
              ("fc7", Conv(c(4096), c(4096), 1), None), ("relu7", nn.ReLU(), None), ("drop7", nn.Dropout(), None),
              ("score_fr", Conv(c(4096), 21, 1), None),
              ("upscore", ConvT(21, 21, 64, 32, bias=False), None),
              ("score", ("crop", 19), ["upscore", "input"])]
    return Net(steps), 500, 3


def thin_for_rf(net):
    """Weights 1/fan_in, biases 0, max-pool -> average pool (every tap gets gradient), float64."""
    for name, m, _ in net.steps:
        if isinstance(m, (nn.Conv1d, nn.ConvTranspose1d)):
            fan_in = m.weight[0].numel() if isinstance(m, nn.Conv1d) else m.weight[:, 0].numel()
            nn.init.constant_(m.weight, 1.0 / fan_in)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.MaxPool1d):
            net.mods[name] = nn.AvgPool1d(m.kernel_size, m.stride, m.padding, m.ceil_mode)
    net.steps = [(n, net.mods[n] if n in net.mods else m, i) for n, m, i in net.steps]
    return net.double().eval()


def measure(make, padded):
    """Per layer: shape and params (the 2-D net), and from every unit's region on one axis (the same
    net in 1-D: square kernels, so both axes agree) the largest and smallest region and unit 0's
    padding_eff. `padded`: a region that touches the image border may be cut by padding, so such
    units are left out (in U-Net, which pads nowhere, every region is the theoretical one)."""
    full, size, channels = make()
    with torch.no_grad():
        shapes = {k: list(v.shape) for k, v in full(torch.zeros(1, channels, size, size)).items()}
    params = {n: sum(p.numel() for p in m.parameters()) for n, m, _ in full.steps if isinstance(m, nn.Module)}
    thin = thin_for_rf(make(64, nd=1)[0])
    x = torch.ones(1, channels, size, dtype=torch.float64, requires_grad=True)
    outs = thin(x)
    rows = []
    for name, _, _ in full.steps:
        y, regions = outs[name].sum(1)[0], {}
        for u in range(y.shape[0]):
            (g,) = torch.autograd.grad(y[u], x, retain_graph=True)
            nz = g.abs().sum((0, 1)).nonzero()
            if len(nz) and not (padded and (nz.min() == 0 or nz.max() == size - 1)):
                regions[u] = (int(nz.min()), int(nz.max()))
        sizes = [hi - lo + 1 for lo, hi in regions.values()]
        rows.append({"name": name, "shape": shapes[name][1:], "params": params.get(name, 0),
                     "rf": max(sizes) if sizes else None, "rf_min": min(sizes) if sizes else None,
                     "P": -regions[0][0] if 0 in regions else None})
    return rows, sum(params.values())


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("nets", nargs="*", metavar="NET", help="unet and/or fcn32s (default: both)")
    p.add_argument("--netlens", help="the netlens binary: compare with `netlens analyze nets/NAME.yaml`")
    args = p.parse_args()
    for n in args.nets:
        if n not in ("unet", "fcn32s"):
            p.error(f"unknown net '{n}' (unet or fcn32s)")
    args.nets = args.nets or ["unet", "fcn32s"]
    torch.manual_seed(0)
    bad = 0
    for name in args.nets:
        is_padded = name == "fcn32s"
        rows, total = measure({"unet": unet, "fcn32s": fcn32s}[name], padded=is_padded)
        nl = {}
        if args.netlens:
            out = subprocess.run([args.netlens, "analyze", f"nets/{name}.yaml", "--format", "json"],
                                 capture_output=True, text=True, check=True).stdout
            nl = {l["name"]: l for l in json.loads(out)["layers"]}
        print(f"{name}: {total:,} params (PyTorch)")
        print(f"  {'layer':10} {'C x H x W':>16} {'params':>12} {'rf':>5} {'rf_min':>6} {'P':>5}")
        for r in rows:
            shape, note = "x".join(map(str, r["shape"])), ""
            if args.netlens:
                l = nl.get(r["name"])
                want = (r["shape"][0], r["shape"][1:], r["params"], r["rf"], r["rf_min"], r["P"])
                got = None if l is None else (
                    l["output"]["channels"], l["output"]["size"], l["params"], l["rf"][0] if r["rf"] else None,
                    l.get("rf_min", [None])[0] if r["rf_min"] and not is_padded else None,
                    l["padding_eff"][0] if r["P"] is not None else None)
                if not is_padded:
                    pass
                else:
                    want = want[:4] + (None,) + want[5:]
                if got != want:
                    note = "  MISSING in the YAML" if l is None else \
                        f"  DIFFERS: netlens {got[0]}x{'x'.join(map(str, got[1]))}, {got[2]:,}, rf {got[3]}, " \
                        f"rf_min {got[4]}, P {got[5]}"
                    bad += 1
            show = lambda v: "-" if v is None else v  # noqa: E731
            print(f"  {r['name']:10} {shape:>16} {r['params']:>12,} {show(r['rf']):>5} {show(r['rf_min']):>6} "
                  f"{show(r['P']):>5}{note}")
        missing = set(nl) - {r["name"] for r in rows}
        if missing:
            print(f"  the YAML has layers PyTorch's build lacks: {sorted(missing)}")
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

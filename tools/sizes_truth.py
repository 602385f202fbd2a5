#!/usr/bin/env python3
"""sizes_truth: which input sizes PyTorch itself runs, and at which every window tiles its input,
for the nets of tests/unit/test_sizes.cpp (`netlens sizes`). Writes tests/data/sizes_truth.json.

    /usr/bin/python3 tools/sizes_truth.py [--max 640] [-o tests/data/sizes_truth.json]

Debian's torch (1.13) on the `meta` device: one forward pass per size, shapes only. Per net and
axis (the other axis at the spec's size), every size in 1..MAX:
- runs: the forward pass raises nothing and no tensor on the way is empty (the meta device returns
  a zero-size tensor where a CPU run raises "output size is too small");
- exact: it runs, and every tensor that a conv or pool leaves real positions of, past its last
  window on the axis, is read whole by another of its consumers (a ResNet's 1x1 stride-2 shortcut
  skips the last row that the 3x3 main path reads: no input is lost); and, for the U-Net, every
  centred crop cuts the same on both sides. Every torch function call is seen through a
  TorchFunctionMode: window functions (conv, max/avg pool) leave n - ((out-1)*stride - pad + ke)
  positions unread, computed from the output PyTorch gave; any other call reads its tensors whole,
  except shape queries (a crop's or interpolate's reference only lends its size).
- outputs: the size of each of the net's outputs on the axis (None when the output is flat).
"""
import argparse
import json
import os
import sys

import torch
import torch.nn.functional as F
import torchvision
from torch import nn
from torch.overrides import TorchFunctionMode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_transformers  # noqa: E402  free_vit: a position table of fixed length
import zoo_extra  # noqa: E402  the PyTorch U-Net and FCN-32s of nets/unet.yaml, nets/fcn32s.yaml

WINDOWS = {"conv1d", "conv2d", "conv3d", "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d",
           "avg_pool2d", "avg_pool3d", "_max_pool1d", "_max_pool2d", "_max_pool3d"}
SIZE_ONLY = {"__get__", "size", "dim"}  # .shape, .size(): no data read


def pair(v, i):
    return v[i] if isinstance(v, (tuple, list)) else v


class Recorder(TorchFunctionMode):
    """Per tensor (by id) the fewest positions on `axis` one of its readers leaves unread."""

    def __init__(self, axis, centred_crops):
        super().__init__()
        self.axis, self.centred_crops = axis, centred_crops
        self.fewest, self.keep, self.empty, self.crop = {}, [], False, None

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = getattr(func, "__name__", "")
        if name in SIZE_ONLY:
            return out
        tensors = [a for a in args if isinstance(a, torch.Tensor)]
        for a in args:
            if isinstance(a, (list, tuple)):
                tensors += [t for t in a if isinstance(t, torch.Tensor)]
        unread = 0
        if name in WINDOWS:
            unread = self.unread(name, args, kwargs, out)
        outs = out if isinstance(out, (tuple, list)) else [out]
        for t in tensors:
            if any(o is t for o in outs):
                continue  # in place (ReLU(inplace=True)): its readers are the next calls'
            self.keep.append(t)
            u = unread if t is args[0] else 0  # a conv's weight is read whole
            self.fewest[id(t)] = min(self.fewest.get(id(t), u), u)
        if name == "narrow" and self.centred_crops and args[1] == 2 + self.axis:
            n, start, length = args[0].shape[args[1]], args[2], args[3]
            if start != n - start - length:
                self.crop = self.crop or f"crop cuts {start} before and {n - start - length} after"
        for o in outs:
            if isinstance(o, torch.Tensor):
                self.keep.append(o)
                self.empty = self.empty or o.numel() == 0
        return out

    def unread(self, name, args, kwargs, out):
        x, a = args[0], self.axis
        n = x.shape[2 + a]
        o = (out[0] if isinstance(out, tuple) else out).shape[2 + a]
        if name.startswith("conv"):
            w = args[1]
            k = w.shape[2 + a]
            stride = pair(args[3] if len(args) > 3 else kwargs.get("stride", 1), a)
            pad = pair(args[4] if len(args) > 4 else kwargs.get("padding", 0), a)
            dil = pair(args[5] if len(args) > 5 else kwargs.get("dilation", 1), a)
        else:
            k = pair(args[1] if len(args) > 1 else kwargs["kernel_size"], a)
            stride = args[2] if len(args) > 2 else kwargs.get("stride")
            stride = pair(stride if stride not in (None, []) else k, a)
            pad = pair(args[3] if len(args) > 3 else kwargs.get("padding", 0), a)
            dil = pair(args[4] if len(args) > 4 and "max" in name else kwargs.get("dilation", 1), a)
        if isinstance(pad, str):
            raise ValueError("string padding")
        ke = dil * (k - 1) + 1
        return max(0, n - ((o - 1) * stride - pad + ke))


class Fpn(nn.Module):
    """tests/data/models/fpn_resnet50.yaml: ResNet-50, laterals on C3-C5, nearest x2 top-down."""

    def __init__(self):
        super().__init__()
        self.body = torchvision.models.resnet50()
        self.inner = nn.ModuleList([nn.Conv2d(c, 256, 1) for c in (512, 1024, 2048)])
        self.out = nn.ModuleList([nn.Conv2d(256, 256, 3, padding=1) for _ in range(3)])

    def forward(self, x):
        b = self.body
        x = b.maxpool(b.relu(b.bn1(b.conv1(x))))
        c3 = b.layer2(b.layer1(x))
        c4 = b.layer3(c3)
        c5 = b.layer4(c4)
        i5 = self.inner[2](c5)
        t4 = self.inner[1](c4) + F.interpolate(i5, scale_factor=2, mode="nearest")
        t3 = self.inner[0](c3) + F.interpolate(t4, scale_factor=2, mode="nearest")
        return [self.out[0](t3), self.out[1](t4), self.out[2](i5)]


def nets():
    """name -> (module, channels, [h, w] of the spec, centred crops)."""
    unet, unet_size, unet_c = zoo_extra.unet()
    for module in unet.modules():  # nets/unet.yaml is Caffe's: its pools round up
        if isinstance(module, nn.MaxPool2d):
            module.ceil_mode = True
    fcn, fcn_size, fcn_c = zoo_extra.fcn32s()
    return {
        "vgg16": (torchvision.models.vgg16(), 3, [224, 224], False),
        "resnet50": (torchvision.models.resnet50(), 3, [224, 224], False),
        "unet": (unet, unet_c, [unet_size] * 2, True),
        "fcn32s": (fcn, fcn_c, [fcn_size] * 2, False),
        "fpn_resnet50": (Fpn(), 3, [224, 224], False),
        "free_vit": (tiny_transformers.free_vit(), 3, [32, 32], False),
    }


def outputs_of(net_name, y):
    if net_name in ("unet",):
        return [y["conv10"]]
    if net_name == "fcn32s":
        return [y["score"]]
    return y if isinstance(y, list) else [y]


def probe(name, module, channels, size, axis, centred_crops):
    x = torch.empty(1, channels, *size, device="meta")
    rec = Recorder(axis, centred_crops)
    try:
        with torch.no_grad(), rec:
            y = module(x)
    except RuntimeError:
        return False, False, None
    if rec.empty:
        return False, False, None
    exact = rec.crop is None and all(v == 0 for v in rec.fewest.values())
    outs = [o.shape[2 + axis] if o.dim() > 2 else None for o in outputs_of(name, y)]
    return True, exact, outs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max", type=int, default=640)
    ap.add_argument("-o", "--output", default="tests/data/sizes_truth.json")
    ap.add_argument("nets", nargs="*")
    a = ap.parse_args()
    result = {"generator": "tools/sizes_truth.py", "torch": torch.__version__, "nets": {}}
    for name, (module, channels, spec, centred) in nets().items():
        if a.nets and name not in a.nets:
            continue
        module = module.eval().to("meta")
        axes = {}
        for axis in (0, 1):
            runs, exact, outputs = [], [], []
            for s in range(1, a.max + 1):
                size = list(spec)
                size[axis] = s
                ok, ex, outs = probe(name, module, channels, size, axis, centred)
                if ok:
                    runs.append(s)
                    outputs.append(outs)
                if ex:
                    exact.append(s)
            axes["hw"[axis]] = {"range": [1, a.max], "runs": runs, "exact": exact, "outputs": outputs}
            print(f"{name} axis {'hw'[axis]}: {len(runs)} run, {len(exact)} exact", file=sys.stderr)
        result["nets"][name] = {"input": spec, "axes": axes}
    with open(a.output, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""torch_flops: FLOPs of a PyTorch model, counted the way torch.utils.flop_counter counts them (2 x the
multiply-accumulates of convolution, mm, addmm, bmm and baddbmm; nothing else), on Debian's torch 1.13,
which has no torch.utils.flop_counter yet; plus torch 1.13's fused nn.MultiheadAttention
(aten._native_multi_head_attention), counted as the addmm and bmm it stands for.

    /usr/bin/python3 tools/torch_flops.py            # prove it: the 24 models of shared/oracle/models
    /usr/bin/python3 tools/torch_flops.py --oracle DIR

As a library: `count_flops(model, input)` runs the model once under a TorchDispatchMode that sees every
aten op below autograd (so F.linear on a 4-D tensor is the mm it becomes, as the oracle's counter saw it).
The proof builds each oracle model with torchvision 0.14 (weights=None, eval mode) at the oracle's input
shape and prints model, oracle, ours, equal?; exit status 1 if any differs.
"""
import argparse
import json
import math
import os
import sys

import torch
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten


def conv_flops(args, out):
    """aten.convolution(x, w, bias, stride, padding, dilation, transposed, output_padding, groups): 2 x
    (positions x batch x weight elements), positions counted on the output (on the input if transposed)."""
    x, w, transposed = args[0], args[1], args[6]
    positions = math.prod((x if transposed else out).shape[2:])
    return 2 * x.shape[0] * positions * math.prod(w.shape)


def mm_flops(a, b):
    """(n, m) @ (m, p): 2 n m p."""
    return 2 * a.shape[0] * a.shape[1] * b.shape[1]


def bmm_flops(a, b):
    """(k, n, m) @ (k, m, p): 2 k n m p."""
    return 2 * a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2]


def native_mha_flops(args, out):
    """aten._native_multi_head_attention(query, key, value, embed_dim, num_head, qkv_weight, qkv_bias,
    proj_weight, proj_bias, ...): nn.MultiheadAttention's fast path, which torch 1.13 takes in eval mode
    without autograd (self-attention, batch first): one op to a dispatch mode, so without this row its
    matmuls would count 0. Counted as the ops the same module runs with autograd on: the in-projection
    addmm (B*L, E) @ (E, 3E), the bmm's Q @ K^T and attn @ V over B*heads, the out-projection addmm
    (B*L, E) @ (E, E); tools/transformer_truth.py checks the two counts are equal."""
    q, k, heads, w_in, w_out = args[0], args[1], args[4], args[5], args[7]
    b, lq, lk, e = q.shape[0], q.shape[1], k.shape[1], q.shape[2]
    in_proj = 2 * (b * lq) * w_in.shape[1] * w_in.shape[0]  # (B*L, E) @ (E, 3E)
    scores = 2 * (b * heads) * lq * (e // heads) * lk  # (B*h, L, d) @ (B*h, d, L)
    mixed = 2 * (b * heads) * lq * lk * (e // heads)  # (B*h, L, L) @ (B*h, L, d)
    out_proj = 2 * (b * lq) * w_out.shape[1] * w_out.shape[0]  # (B*L, E) @ (E, E)
    return in_proj + scores + mixed + out_proj


FORMULAS = {
    aten.convolution: conv_flops,
    aten.mm: lambda args, out: mm_flops(args[0], args[1]),
    aten.addmm: lambda args, out: mm_flops(args[1], args[2]),
    aten.bmm: lambda args, out: bmm_flops(args[0], args[1]),
    aten.baddbmm: lambda args, out: bmm_flops(args[1], args[2]),
    aten._native_multi_head_attention: native_mha_flops,
}


class FlopCounter(TorchDispatchMode):
    """Adds up the FLOPs of the counted ops that run while it is active (`total`)."""

    def __init__(self):
        super().__init__()
        self.total = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        formula = FORMULAS.get(func.overloadpacket)
        if formula is not None:
            self.total += formula(args, out)
        return out


def count_flops(model, x):
    """The FLOPs of one forward pass of `model` on `x` (no gradients)."""
    counter = FlopCounter()
    with torch.no_grad(), counter:
        model(x)
    return counter.total


def oracle_models(directory):
    """(name, record) of every oracle model file, by name."""
    for file in sorted(os.listdir(directory)):
        if file.endswith(".json"):
            with open(os.path.join(directory, file)) as f:
                yield file[:-5], json.load(f)


def build(name):
    """A torchvision 0.14 classification model as the oracle built it (weights=None, eval mode; the
    Inception nets without their auxiliary classifiers, which eval mode never runs)."""
    import torchvision
    kwargs = {"aux_logits": False, "init_weights": False} if name in ("googlenet", "inception_v3") else {}
    return getattr(torchvision.models, name)(weights=None, **kwargs).eval()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--oracle", default=os.path.join(here, "..", "..", "shared", "oracle", "models"),
                   help="the oracle's models/ directory (default: ../shared/oracle/models)")
    args = p.parse_args()
    rows, bad = [], 0
    for name, record in oracle_models(args.oracle):
        ours = count_flops(build(name), torch.zeros(record["input"]))
        want = record["flop_counter_total_flops"]
        bad += ours != want
        rows.append((name, want, ours, "yes" if ours == want else "NO"))
    print(f"{'model':20} {'oracle':>16} {'ours':>16}  equal?")
    for name, want, ours, eq in rows:
        print(f"{name:20} {want:>16,} {ours:>16,}  {eq}")
    print(f"{len(rows) - bad} of {len(rows)} equal")
    sys.exit(1 if bad or not rows else 0)


if __name__ == "__main__":
    main()

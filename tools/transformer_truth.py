#!/usr/bin/env python3
"""transformer_truth: PyTorch's own numbers for netlens' transformer layers, for the engine's tests.

    /usr/bin/python3 tools/transformer_truth.py > tests/data/transformers.json

Models: vit_b_16, vit_b_32, swin_t (torchvision 0.14, weights=None) at 224x224, and the tiny ViT and Swin of
tools/tiny_transformers.py (tiny_vit at 32x32, tiny_swin at 32x32 and 36x36: padded windows, odd patch
merging). Their specs are tests/data/models/NAME.yaml (tools/make_zoo.sh writes them with torch2netlens).

Per model, from torch: `params` = sum of p.numel() over model.parameters(), `buffers` = the same over
model.buffers(), `flops` = tools/torch_flops.py's counter on a zero input [1, 3, H, W] (2 x the MACs of
aten.convolution, mm, addmm, bmm, baddbmm and of torch 1.13's fused aten._native_multi_head_attention).
Per layer of the exported spec, in order: `name` (the spec's), `type`, `shape` (the tensor's own axis order,
batch first: [1, 197, 768] for tokens, [1, 56, 56, 96] channels last), `params` (of the module the layer
is, or of the learned table it adds: class_token, pos_embedding), `flops` (what the counter counted while
that module ran; 0 for calls outside modules, which the script checks count nothing), and `module` (the
torch module path, when it differs from the layer's name: fx names ViT's ln_2 `ln_1`). Module-backed
layers' shapes are read by forward hooks on the model itself and checked equal to the exporter's.

`breakdowns`: the counted ops of one nn.MultiheadAttention (vit_b_16's first, L = 197, E = 768, 12 heads)
and of one ShiftedWindowAttention (swin_t's features.1.1.attn: 56x56x96, window 7, shift 3), with
docs/costs.md's formulas evaluated next to them. For attention, torch 1.13 runs one fused op in eval mode
without autograd; the unfused ops (autograd on) are listed too and every attention module of every model
is checked to count the same both ways. The script exits 1 if any check fails. Needs Debian's python3-torch
and python3-torchvision; never run by CI: its output is checked in.
"""
import collections
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tiny_transformers import tiny_swin, tiny_vit  # noqa: E402
from torch2netlens import build_torchvision, export  # noqa: E402
from torch_flops import FORMULAS, FlopCounter, count_flops  # noqa: E402

MODELS = (("vit_b_16", "vit_b_16", 224), ("vit_b_32", "vit_b_32", 224), ("swin_t", "swin_t", 224),
          ("tiny_vit", "tiny_vit", 32), ("tiny_swin_32", "tiny_swin", 32), ("tiny_swin_36", "tiny_swin", 36))


class Failed(Exception):
    """A check of this script failed: the message says which."""


def check(ok, message):
    if not ok:
        raise Failed(message)


def build(builder):
    """A model in eval mode: tiny_* from tools/tiny_transformers.py, else torchvision's (weights=None)."""
    torch.manual_seed(0)
    if builder == "tiny_vit":
        return tiny_vit().eval(), "tools.tiny_transformers:tiny_vit()"
    if builder == "tiny_swin":
        return tiny_swin().eval(), "tools.tiny_transformers:tiny_swin()"
    return build_torchvision(builder, {})


class ModuleFlops(FlopCounter):
    """The FLOP counter, its counts also split by the innermost module running (`by_module`)."""

    def __init__(self):
        super().__init__()
        self.stack, self.by_module = [None], collections.Counter()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        before = self.total
        out = super().__torch_dispatch__(func, types, args, kwargs)
        self.by_module[self.stack[-1]] += self.total - before
        return out


def run_with_hooks(model, x):
    """One forward pass without autograd: {module path: output}, the counter split by module, and the
    inputs of every nn.MultiheadAttention."""
    counter, outputs, mha_inputs, handles = ModuleFlops(), {}, {}, []
    for path, m in model.named_modules():
        def pre(m, args, path=path):
            counter.stack.append(path)

        def post(m, args, out, path=path):
            counter.stack.pop()
            outputs[path] = out[0] if isinstance(out, tuple) else out

        handles += [m.register_forward_pre_hook(pre), m.register_forward_hook(post)]
        if isinstance(m, torch.nn.MultiheadAttention):  # called with keywords, which 1.13's hooks do not see
            def forward(*args, m=m, path=path, **kwargs):
                mha_inputs[path] = (args, kwargs)
                return type(m).forward(m, *args, **kwargs)
            m.forward = forward
    try:
        with torch.no_grad(), counter:
            model(x)
    finally:
        for h in handles:
            h.remove()
        for path in mha_inputs:
            del model.get_submodule(path).forward
    return outputs, counter, mha_inputs


def unfused_flops(module, call):
    """An nn.MultiheadAttention's FLOPs with autograd on, where torch 1.13 runs its unfused ops."""
    args, kwargs = call
    counter = FlopCounter()
    with torch.enable_grad(), counter:
        module(*args, **kwargs)
    return counter.total


def model_truth(name, builder, size):
    model, source = build(builder)
    x = torch.zeros(1, 3, size, size)
    exporter = export(model, [size, size], 3)
    outputs, counter, mha_inputs = run_with_hooks(model, x)
    flops = count_flops(model, x)
    check(counter.total == flops, f"{name}: the counter split by module counts {counter.total}, not {flops}")
    modules = dict(model.named_modules())
    param_names = {id(p): n for n, p in model.named_parameters()}
    module_of = {exporter.names.get(n, n.name): n.target for n in exporter.gm.graph.nodes if n.op == "call_module"}
    layers = []
    for layer in exporter.layers:
        path = module_of.get(layer["name"])
        params = sum(exporter.params_used[i].numel() for i in layer["param_ids"])
        record = {"name": layer["name"], "type": layer["type"], "shape": list(layer["shape"]),
                  "params": params, "flops": counter.by_module.pop(path, 0) if path else 0}
        if path is not None:
            hooked = list(outputs[path].shape)
            check(hooked == record["shape"], f"{name}: {path}: hook {hooked}, exporter {record['shape']}")
            own = sum(p.numel() for p in modules[path].parameters())
            check(own == params, f"{name}: {path}: {own} params, exporter {params}")
            if path != layer["name"]:
                record["module"] = path
        elif layer["param_ids"]:
            record["params_of"] = [param_names[i] for i in layer["param_ids"]]
        layers.append(record)
    stray = {k: v for k, v in counter.by_module.items() if v}
    check(not stray, f"{name}: FLOPs counted outside the exported modules: {stray}")
    for path, call in mha_inputs.items():
        fused = next(r["flops"] for r in layers if module_of.get(r["name"]) == path)
        unfused = unfused_flops(modules[path], call)
        check(fused == unfused, f"{name}: {path}: {fused} FLOPs without autograd, {unfused} with")
    totals = {"params": sum(p.numel() for p in model.parameters()),
              "buffers": sum(b.numel() for b in model.buffers()), "flops": flops}
    check(sum(r["params"] for r in layers) == totals["params"], f"{name}: the layers' params do not add up")
    check(sum(b.numel() for b in exporter.buffers_used.values()) == totals["buffers"], f"{name}: buffers differ")
    check(sum(r["flops"] for r in layers) == flops, f"{name}: the layers' FLOPs do not add up")
    return {"name": name, "model": source, "input": [1, 3, size, size], "spec": f"tests/data/models/{name}.yaml",
            **totals, "attention_modules_checked_unfused": len(mha_inputs), "layers": layers}


class OpLog(FlopCounter):
    """The counter, listing each counted op (its input shapes and FLOPs) and how often uncounted ops ran."""

    def __init__(self):
        super().__init__()
        self.counted, self.uncounted = [], collections.Counter()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        before = self.total
        out = super().__torch_dispatch__(func, types, args, kwargs)
        op = str(func.overloadpacket)
        if func.overloadpacket in FORMULAS:
            shapes = [list(a.shape) for a in args if isinstance(a, torch.Tensor)]
            self.counted.append({"op": op, "inputs": shapes, "flops": self.total - before})
        else:
            self.uncounted[op] += 1
        return out


def log_ops(module, args, grad):
    log = OpLog()
    with torch.set_grad_enabled(grad), log:
        module(*args)
    return {"counted": log.counted, "total": log.total, "uncounted_ops": dict(sorted(log.uncounted.items()))}


def mha_breakdown():
    """vit_b_16's first attention: torch's counted ops (fused and unfused) and docs/costs.md's formula."""
    model, _ = build("vit_b_16")
    m = model.encoder.layers.encoder_layer_0.self_attention
    lq = lk = 197
    e, h = m.embed_dim, m.num_heads
    torch.manual_seed(1)
    x = torch.randn(1, lq, e)

    class SelfAttention(torch.nn.Module):  # called as ViT's EncoderBlock calls it
        def forward(self, x):
            return m(x, x, x, need_weights=False)[0]
    call = SelfAttention()
    design_macs = {"q_proj": lq * e * e, "k_proj": lk * e * e, "v_proj": lk * e * e, "q_kT": lq * lk * e,
                   "attn_v": lq * lk * e, "out_proj": lq * e * e}
    fused, unfused = log_ops(call, (x,), False), log_ops(call, (x,), True)
    design = {"macs": design_macs, "flops": 2 * sum(design_macs.values()),
              "other_ops": {"softmax": h * lq * lk, "q_scaling": lq * e}}
    return {"module": "vit_b_16 encoder.layers.encoder_layer_0.self_attention", "L": lq, "E": e, "heads": h,
            "no_autograd_fused": fused, "autograd_unfused": unfused, "formula": design,
            "equal": fused["total"] == unfused["total"] == design["flops"]}


def swa_breakdown():
    """swin_t's features.1.1.attn (56x56x96, window 7, shift 3): torch's counted ops and docs/costs.md's formula."""
    model, _ = build("swin_t")
    m = model.features[1][1].attn
    torch.manual_seed(1)
    x = torch.randn(1, 56, 56, 96)
    (w0, w1), c, h = m.window_size, 96, m.num_heads
    windows, n = (56 // w0) * (56 // w1), w0 * w1
    design_macs = {"qkv": windows * n * c * 3 * c, "q_kT": windows * n * n * c, "attn_v": windows * n * n * c,
                   "proj": windows * n * c * c}
    ops = log_ops(m, (x,), False)
    design = {"windows": windows, "window_tokens": n, "macs": design_macs, "flops": 2 * sum(design_macs.values())}
    return {"module": "swin_t features.1.1.attn", "input": [1, 56, 56, 96], "window_size": [w0, w1],
            "shift_size": list(m.shift_size), "heads": h, "torch": ops, "formula": design,
            "equal": ops["total"] == design["flops"]}


def dump(obj, indent=0):
    """JSON with one line per object or list that fits in 200 characters (a layer: one line)."""
    flat = json.dumps(obj)
    if len(flat) <= 200 or not isinstance(obj, (dict, list)):
        return flat
    pad = " " * (indent + 1)
    if isinstance(obj, dict):
        items = [f"{pad}{json.dumps(k)}: {dump(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    return "[\n" + ",\n".join(pad + dump(v, indent + 1) for v in obj) + "\n" + " " * indent + "]"


def main():
    import torchvision
    try:
        models = [model_truth(*m) for m in MODELS]
        breakdowns = {"attention": mha_breakdown(), "window_attention": swa_breakdown()}
    except Failed as e:
        sys.exit(f"transformer_truth: check failed: {e}")
    data = {"generator": "tools/transformer_truth.py", "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "flops_counted": "2 x MACs of aten.convolution, mm, addmm, bmm, baddbmm, and "
                             "_native_multi_head_attention (as its in-projection addmm, 2 bmm, out-projection addmm)",
            "models": models, "breakdowns": breakdowns}
    print(dump(data))


if __name__ == "__main__":
    main()

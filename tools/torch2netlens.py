#!/usr/bin/env python3
"""torch2netlens: write a netlens spec (YAML) from a PyTorch model, by tracing it with torch.fx.

    netlens-torch resnet50 --input 224 -o resnet50.yaml
    netlens-torch 'mypkg.nets:Net(depth=4)' --input 64x64 --channels 1 -o my.yaml
    python3 tools/torch2netlens.py resnet50 --input 224 -o nets/resnet50.yaml      (from the source tree)

The model (a torchvision model name: classification, segmentation or video, built with weights=None,
segmentation also with weights_backbone=None; or your own, `pkg.mod:factory` or `pkg.mod:factory(ARGS)`, a
class, a function or an instance importable from the current folder) is put in eval mode and traced
with torchvision.models.feature_extraction's NodePathTracer, so every layer is named after its fx node as
get_graph_node_names names it: `conv1`, `layer1.0.relu_1`, `layer1.0.add`, `inception3a.cat`. Modules netlens
knows are kept whole; containers (nn.Sequential, Conv2dNormActivation, SqueezeExcitation, CNBlock) are traced
through, so their layers are `features.0.0`, `features.1.0.block.1.fc1`, ...

One netlens layer per node that computes something (the tables: tools/torch_tables.py): modules (Conv*,
ConvTranspose*, *Pool*, Linear, BatchNorm*, LayerNorm (and ConvNeXt's LayerNorm2d), GroupNorm,
InstanceNorm*, activations, Dropout*, StochasticDepth, Flatten, Permute, Upsample, padding, PixelShuffle,
ChannelShuffle, Identity, LocalResponseNorm) and calls (+ - * / with broadcasting, torch.cat, flatten,
view/reshape to [N, -1], permute, x.mean(dims), chunk/split, ShuffleNet's channel_shuffle, F.interpolate,
F.relu, F.max_pool2d, ...). Special cases:
- `gate * x` (a squeeze-and-excitation gate Cx1x1 over CxHxW): `mul` with inputs [x, gate];
- a parameter times a tensor, one value per channel (ConvNeXt's layer_scale): `scale`;
- `x * 0.5`, `x + 3` (a constant): `identity`;
- `a, b = x.chunk(2, dim=1)`: one `split` layer NAME; later layers read NAME.0 and NAME.1;
- `F.interpolate(x, size=y.shape[-2:])`: `upsample` with inputs [x, y] (y may be the net's `input`);
- a model that returns a dict or tuple (segmentation's {"out": ...}): its tensors become `outputs:`.
Transformers (the types of docs/transformers.md; vit_*, swin_t/s/b of torchvision 0.14):
- nn.MultiheadAttention (batch first) is kept whole: `attention` (num_heads, embed_dim, bias, kdim, vdim);
  torchvision's ShiftedWindowAttention too: `window_attention` (num_heads, window_size, shift_size, bias);
  Swin's _patch_merging_pad (a wrapped function): `patch_merge`;
- `x.flatten(2)` / `x.reshape(n, c, h * w)`: `flatten` with `start_dim: 2` (tokens, channels first);
  `x.permute(0, 2, 1)` / `x.transpose(1, 2)`: `permute` with `dims: [0, 2, 1]` (tokens, channels last);
- `torch.cat([token.expand(n, -1, -1), x], dim=1)` with a learned (1, k, C) token: `class_token`;
  `x + pos_embedding` with a learned (1, L, C) table: `pos_embedding`; `x[:, 0]`: `select` (dim 1, index 0);
- attention written by hand, MobileViT's and Swin's reshapes: a view/reshape/unsqueeze/squeeze that does not
  merge axes is `reshape` to the shape torch computed (batch included), any permute or transpose `permute`,
  `q @ k` of two tensors `matmul`, `qkv[0]` `gather` (dim 0), softmax keeps its `dim`: netlens follows each
  dim's role through them (docs/semantics.md, "Whole tensors").
A model that takes (N, H, W, C) (--channels-last) or a waveform (N, L) (--no-channels) gets that input.
Nodes that compute no tensor (x.size(), getattr, x.shape[-2:]) or only copy one (.contiguous()) are skipped.
Padding modes (a conv's padding_mode, F.pad's modes, ReflectionPad, ReplicationPad) are written as
`padding_mode`. Anything else stops the export with a message naming the node and its module type or call
(exit status 1).

The spec is analyzed by netlens before it is written (`netlens check -`, with $NETLENS_BIN, else the netlens
on the PATH, else this checkout's build/src/netlens): a spec netlens rejects is not written (exit status 1).

Needs torch and torchvision (Debian: apt-get install python3-torch python3-torchvision; run them with
/usr/bin/python3 if another python3 comes first in PATH). The model runs once on zeros to record every
node's shape (written as end-of-line comments).
"""
import argparse
import ast
import contextlib
import importlib
import io
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys

from torch_tables import (ExportError, flatten_fields, function_table, module_table, pad_pairs,
                          padding_mode_fields, upsample_fields)
from torch_trace import make_tracer, record_shapes, unpackable_proxies

# `cmake --install` runs this file as `netlens-torch` (tools/netlens-torch.sh): its messages say so.
PROG = os.environ.get("NETLENS_TORCH_PROG", "torch2netlens")
ELEMENTWISE = ("add", "sub", "mul", "div", "max", "min")
MODEL_PACKAGES = ("", ".segmentation", ".video")  # where torchvision.models' builders live


def bind(node, names):
    """The node's arguments after the input, by torch name (positional ones named in order)."""
    a = dict(zip(names, node.args[1:]))
    a.update(node.kwargs)
    return a


class Exporter:
    """One traced model -> netlens layers: `run()` returns them; `outputs` names the net's outputs when
    they are not just the last layer; `params_used` and `buffers_used` hold the parameters and buffers the
    layers account for.

    Layouts: "first" (N, C, spatial...; also tokens channels first, (N, C, L)), "last" (N, spatial..., C),
    "tokens" (N, L, C: a token sequence, channels last) and "whole" (any other: netlens follows its dims by
    their roles). The input is "first", "last" (NHWC) or "whole" (a waveform's (N, L): no channel axis)."""

    def __init__(self, model, size, channels, input_layout="first"):
        import torch
        import torch.nn.functional as F
        import torchvision
        from torch import fx, nn

        self.torch, self.nn, self.fx = torch, nn, fx
        self.modules = module_table(nn, torchvision)
        self.functions = function_table(torch, F, torchvision)
        self.rank, self.size, self.channels = len(size), list(size), channels
        self.input_layout = input_layout
        tracer = make_tracer(self.modules)
        try:
            with unpackable_proxies():
                graph = tracer.trace(model)
        except Exception as e:  # noqa: BLE001 - any tracing failure is the user's model's
            raise ExportError(f"torch.fx cannot trace the model: {type(e).__name__}: {e}") from e
        self.gm = fx.GraphModule(tracer.root, graph)
        self.names = tracer.node_to_qualname
        self.shapes = record_shapes(self.gm, self.input_shape())
        self.layers, self.alias, self.attrs, self.layout = [], {}, {}, {"input": input_layout}
        self.outputs, self.params_used, self.buffers_used = None, {}, {}

    # -- helpers --
    def shape(self, node):
        """The shape the node's tensor had (a list of shapes for a tuple of tensors; None: no tensor)."""
        return self.shapes.get(node)

    def input_shape(self):
        """(1, C, *size), channels last (1, *size, C), or without a channel axis (1, *size)."""
        return {"first": (1, self.channels, *self.size), "last": (1, *self.size, self.channels),
                "whole": (1, *self.size)}[self.input_layout]

    def shape_of(self, layer):
        """The output shape of an emitted layer (or of the input), by name."""
        if layer == "input":
            return self.input_shape()
        return next(x["shape"] for x in reversed(self.layers) if x["name"] == layer)

    def tensor_inputs(self, node):
        """The layers whose outputs the node reads (its tensor arguments, also inside lists), in order."""
        found = []
        self.fx.node.map_arg((node.args, node.kwargs), found.append)
        return [self.alias[n] for n in found if isinstance(self.alias.get(n), str)]

    def emit(self, name, kind, fields, inputs, shape, module=None, layout=None, params=()):
        """Append one layer; its layout (channels "first" or "last", or "tokens") is its first input's unless
        given. Its parameters (`param_ids`) are its module's, or `params` (a learned table or scale)."""
        if layout is None:
            layout = self.layout.get(inputs[0], "first") if inputs else "first"
        params = list(module.parameters()) if module is not None else list(params)
        self.layers.append({"name": name, "type": kind, "fields": fields, "inputs": inputs, "shape": shape,
                            "layout": layout, "param_ids": [id(p) for p in params]})
        self.layout[name] = layout
        for p in params:
            self.params_used[id(p)] = p
        if module is not None:
            for b in module.buffers():
                self.buffers_used[id(b)] = b
        return name

    # -- the graph --
    def run(self):
        """Every node in order -> layers (or aliases of layers); the output node -> `outputs`."""
        for node in self.gm.graph.nodes:
            name = self.names.get(node, node.name)
            if node.op == "placeholder":
                if self.alias:
                    raise ExportError(f"node '{name}': the model takes more than one input")
                self.alias[node] = "input"
            elif node.op == "get_attr":
                self.attrs[node] = self.fetch_attr(node.target)
            elif node.op == "output":
                self.set_outputs(node)
            else:
                try:
                    out = (self.module_node if node.op == "call_module" else self.call_node)(node, name)
                except ExportError as e:
                    raise ExportError(f"node '{name}' ({node.op} {self.describe(node)}): {e}") from None
                if out is not None:
                    self.alias[node] = out
        return self.layers

    def fetch_attr(self, target):
        obj = self.gm
        for part in target.split("."):
            obj = getattr(obj, part)
        return obj

    def set_outputs(self, node):
        """The model's result: one tensor (the last layer: no `outputs` needed), or a dict or tuple of
        them (segmentation's `out` and `aux`), whose tensors become `outputs`."""
        found = []
        self.fx.node.map_arg(node.args, found.append)
        names = list(dict.fromkeys(self.alias[n] for n in found if isinstance(self.alias.get(n), str)))
        if not names:
            raise ExportError("the model returns no tensor")
        single = isinstance(node.args[0], self.fx.Node)
        self.outputs = None if single and names == [self.layers[-1]["name"]] else names

    def describe(self, node):
        t = type(self.gm.get_submodule(node.target)) if node.op == "call_module" else node.target
        return t if isinstance(t, str) else getattr(t, "__name__", str(t))

    def module_node(self, node, name):
        m = self.gm.get_submodule(node.target)
        entry = next((self.modules[c] for c in type(m).__mro__ if c in self.modules), None)  # subclasses too
        if entry is None:
            raise ExportError(f"no netlens layer type for module {type(m).__name__} ('{name}')")
        inputs = self.tensor_inputs(node)
        kind, fields = entry
        if kind == "attention":
            return self.attention(node, name, m, fields(m), inputs)
        if len(inputs) != 1:
            raise ExportError(f"a module with {len(inputs)} tensor inputs")
        layout = self.permuted_layout(fields(m)["dims"], inputs[0]) if kind == "permute" else None
        return self.emit(name, kind, fields(m), inputs, self.shape(node), m, layout)

    def attention(self, node, name, m, fields, inputs):
        """nn.MultiheadAttention(q, k, v): self-attention (one input) when q, k and v are one tensor, else
        [q, kv] or [q, k, v]; no masks. It returns (output, weights or None): NAME is the output, and
        weights (need_weights=True) are not a netlens tensor."""
        operands = [node.args[i] if i < len(node.args) else node.kwargs.get(k)
                    for i, k in enumerate(("query", "key", "value"))]
        extra = [k for k in ("key_padding_mask", "attn_mask") if node.kwargs.get(k) is not None]
        if len(node.args) > 3 or extra:
            raise ExportError(f"attention with a mask ({', '.join(extra) or 'positional arguments'}); "
                              f"netlens' attention has none")
        if any(self.layout.get(self.alias.get(o)) != "tokens" for o in operands):
            raise ExportError("attention on a tensor that is not a sequence of tokens (N, L, C)")
        names = [self.alias[o] for o in operands]
        inputs = names[:1] if len(set(names)) == 1 else names[:2] if names[1] == names[2] else names
        shapes = self.shape(node)
        self.emit(name, "attention", fields, inputs, shapes[0], m)
        return [name, *(None for _ in shapes[1:])]

    def permuted_layout(self, dims, source):
        """The layout after a permute: the channel axis last ([0, 2, 3, 1]) or back first ([0, 3, 1, 2]),
        a token sequence's axes swapped ([0, 2, 1]: (N, C, L) <-> (N, L, C)); any other order is a
        "whole" tensor, whose dims netlens follows by their roles (docs/semantics.md, "Whole tensors")."""
        before = self.layout.get(source, "first")
        if [d % 3 for d in dims] == [0, 2, 1] and len(dims) == 3:
            if len(self.shape_of(source)) == 3 and before in ("first", "tokens"):
                return "tokens" if before == "first" else "first"
        n = self.rank + 2
        if before != "whole" and len(dims) == n:
            dims = [d % n for d in dims]
            if dims == [0, *range(2, n), 1]:
                return "last"
            if dims == [0, n - 1, *range(1, n - 1)]:
                return "first"
        return "whole"

    def call_node(self, node, name):
        shape = self.shape(node)
        if shape is None:  # sizes, shapes, asserts: nothing for netlens to draw
            return None
        key = node.target
        entry = self.functions.get(key) if isinstance(key, str) or callable(key) else None
        if entry is None:
            raise ExportError("no netlens layer type for this call")
        kind, names, fields = entry
        inputs = self.tensor_inputs(node)
        if kind is None:  # computes nothing
            return inputs[0]
        special = {"concat": self.concat, "reshape": self.reshape, "flatten": self.flatten,
                   "permute": self.permute, "split": self.split, "getitem": self.getitem,
                   "upsample": self.resize, "pad": self.pad, "transpose": self.transpose,
                   "expand": self.expand, "matmul": self.matmul}.get(kind)
        if kind in ELEMENTWISE:
            return self.elementwise(node, name, kind, inputs)
        if special is not None:
            return special(node, name, bind(node, names), inputs)
        if len(inputs) != 1:
            raise ExportError(f"{len(inputs)} tensor inputs")
        return self.emit(name, kind, fields(bind(node, names)), inputs, shape)

    # -- calls that need the graph --
    def elementwise(self, node, name, kind, inputs):
        """x + y, gate * x (broadcast), x * 0.5 (a copy: identity), layer_scale * x (a learned scale)."""
        shape = self.shape(node)
        operands = [a for a in node.args if isinstance(a, self.fx.Node)]
        params = [self.attrs[a] for a in operands if a in self.attrs]
        if params and kind == "add" and len(params) == 1 and len(inputs) == 1 \
                and self.layout.get(inputs[0]) == "tokens" and tuple(params[0].shape) == (1, *shape[1:]):
            # x + pos_embedding: a learned (1, L, C) table
            return self.emit(name, "pos_embedding", {"length": params[0].shape[1]}, inputs, shape, params=params)
        if params:
            return self.scale(name, kind, params, inputs, shape)
        if len(inputs) == 1:  # x + 2, x * 0.5: shape-preserving
            return self.emit(name, "identity", {}, inputs, shape)
        # The input of the full shape first, then what broadcasts over it: mul [x, gate].
        by_node = {self.alias[a]: self.shape(a) for a in operands if isinstance(self.alias.get(a), str)}
        inputs = sorted(inputs, key=lambda i: tuple(by_node[i]) != tuple(shape))
        return self.emit(name, kind, {}, inputs, shape)

    def scale(self, name, kind, params, inputs, shape):
        """A parameter times a tensor, one value per channel (ConvNeXt's layer_scale): a `scale` layer."""
        p = params[0]
        channels = shape[-1] if self.layout.get(inputs[0]) == "last" else shape[1]
        per_channel = p.numel() == channels and max(p.shape, default=1) == channels
        if kind != "mul" or len(params) != 1 or len(inputs) != 1 or not per_channel:
            raise ExportError(f"{kind} with a parameter of shape {list(p.shape)} (netlens has a learned "
                              f"per-channel scale only)")
        return self.emit(name, "scale", {}, inputs, shape, params=[p])

    def concat(self, node, name, a, inputs):
        dim = a.get("dim", 0)
        operands = node.args[0] if node.args else a["tensors"]
        if any(o in self.attrs for o in operands):
            return self.class_token(node, name, dim, operands, inputs)
        if dim not in (1, -1 - self.rank):
            raise ExportError(f"concatenation along dim {dim}; netlens concatenates channels")
        if len(inputs) == 1:  # torch.cat([x], 1) (DenseNet's first layer): a copy
            return self.emit(name, "identity", {}, inputs, self.shape(node))
        return self.emit(name, "concat", {}, inputs, self.shape(node))

    def class_token(self, node, name, dim, operands, inputs):
        """torch.cat([token.expand(n, -1, -1), x], dim=1) with a learned (1, k, C) token: class_token."""
        token = self.attrs.get(operands[0])
        if len(operands) != 2 or token is None or operands[1] in self.attrs or len(inputs) != 1:
            raise ExportError("concatenating a parameter: netlens has learned tokens in front of one sequence only")
        if dim % 3 != 1 or self.layout.get(inputs[0]) != "tokens" or token.dim() != 3:
            raise ExportError(f"learned tokens concatenated along dim {dim}; netlens' class_token goes in front of "
                              f"the tokens of an (N, L, C) sequence")
        fields = {} if token.shape[1] == 1 else {"tokens": token.shape[1]}
        return self.emit(name, "class_token", fields, inputs, self.shape(node), params=[token])

    def expand(self, node, name, a, inputs):
        """token.expand(n, -1, -1) of a learned parameter (ViT's class token): the parameter, for the concat."""
        source = node.args[0]
        if source not in self.attrs:
            raise ExportError("expanding a computed tensor (netlens expands learned tokens only)")
        self.attrs[node] = self.attrs[source]

    def transpose(self, node, name, a, inputs):
        """x.transpose(1, 2) of a 3-D tensor: permute [0, 2, 1]."""
        n = len(self.shape(node))
        dims = list(range(n))
        d0, d1 = a["dim0"] % n, a["dim1"] % n
        dims[d0], dims[d1] = d1, d0
        return self.emit(name, "permute", {"dims": dims}, inputs, self.shape(node),
                         layout=self.permuted_layout(dims, inputs[0]))

    def reshape(self, node, name, a, inputs):
        """view / reshape that merges a run of neighbouring axes (not the batch axis): a flatten; any other:
        `reshape` to the shape torch computed (batch included), a whole tensor netlens follows by roles."""
        shape, in_shape = tuple(self.shape(node)), tuple(self.shape(node.args[0]))
        for start in range(1, len(in_shape)):
            end = start + len(in_shape) - len(shape)
            merged = in_shape[:start] + (math.prod(in_shape[start:end + 1]),) + in_shape[end + 1:]
            if end > start and merged == shape and self.layout.get(inputs[0]) != "whole":
                fields = flatten_fields({"start_dim": start, "end_dim": -1 if end == len(in_shape) - 1 else end})
                return self.emit(name, "flatten", fields, inputs, shape)
        return self.emit(name, "reshape", {"shape": list(shape)}, inputs, shape, layout="whole")

    def matmul(self, node, name, a, inputs):
        """a @ b of two computed tensors (attention's q @ k^T, weights @ v): `matmul` on whole tensors."""
        if len(inputs) != 2:
            raise ExportError("a matmul with a parameter (netlens' linear holds weights: use nn.Linear)")
        return self.emit(name, "matmul", {}, inputs, self.shape(node), layout="whole")

    def flatten(self, node, name, a, inputs):
        start, end = a.get("start_dim", 0), a.get("end_dim", -1)
        n = len(self.shape(node.args[0]))
        if start % n == 0:  # torch.flatten(x): the batch axis too
            raise ExportError("flattening the batch axis")
        fields = flatten_fields({"start_dim": start, "end_dim": -1 if end % n == n - 1 else end})
        return self.emit(name, "flatten", fields, inputs, self.shape(node))

    def permute(self, node, name, a, inputs):
        dims = node.args[1:] if len(node.args) > 2 else a["dims"]  # x.permute(0, 2, 3, 1) or (x, [0, 2, 3, 1])
        dims = list(dims)
        return self.emit(name, "permute", {"dims": dims}, inputs, self.shape(node),
                         layout=self.permuted_layout(dims, inputs[0]))

    def split(self, node, name, a, inputs):
        """x.chunk(2, dim=1), torch.split(x, sizes, 1): one `split` layer; its parts are NAME.0, NAME.1, ..."""
        shapes, dim = self.shape(node), a.get("dim", 0)
        sizes = [s[dim] for s in shapes]
        chunks = a.get("chunks")
        fields = {"dim": dim, **({"chunks": chunks} if chunks == len(shapes) and len(set(sizes)) == 1
                                 else {"sizes": sizes})}
        self.emit(name, "split", fields, inputs, shapes)
        return [f"{name}.{i}" for i in range(len(shapes))]

    def getitem(self, node, name, a, inputs):
        parts, index = self.alias.get(node.args[0]), node.args[1]
        if isinstance(parts, list) and isinstance(index, int):
            if parts[index] is None and node.users:  # MultiheadAttention's weights (need_weights=True)
                raise ExportError("a layer reads attention weights; netlens' attention outputs the values only")
            return parts[index]
        if isinstance(parts, str) and self.layout.get(parts) == "tokens" and isinstance(index, tuple) \
                and len(index) == 2 and index[0] == slice(None) and isinstance(index[1], int):
            return self.emit(name, "select", {"dim": 1, "index": index[1]}, inputs, self.shape(node),
                             layout="first")  # x[:, 0]: the class token
        if isinstance(parts, str) and isinstance(index, int):  # qkv[0]: one entry of the first dim
            return self.emit(name, "gather", {"dim": 0, "index_shape": []}, inputs, self.shape(node),
                             layout="whole")
        raise ExportError("indexing into a tensor (netlens has slice, split and select layers; map it by hand)")

    def resize(self, node, name, a, inputs):
        """F.interpolate / nn.Upsample: by a scale factor, to a fixed size, or to another tensor's size
        (`size=y.shape[-2:]`: the upsample reads [x, y], y lends its spatial size)."""
        shape = self.shape(node)
        sources = []
        self.fx.node.map_arg(a.get("size"), sources.append)
        if not sources:
            return self.emit(name, "upsample", upsample_fields(a), inputs[:1], shape)
        refs = {self.size_source(s) for s in sources}
        ref = refs.pop() if len(refs) == 1 else None
        if ref is None or tuple(self.shape(ref)[2:]) != tuple(shape[2:]):
            raise ExportError("the size comes from a computation, not from one tensor's spatial shape")
        fields = {k: v for k, v in upsample_fields({**a, "size": 1}).items() if k != "size"}
        return self.emit(name, "upsample", fields, [inputs[0], self.alias[ref]], shape)

    def size_source(self, node):
        """The tensor whose x.shape / x.size() a size node was taken from (through [-2:] and [i])."""
        while node is not None and self.shape(node) is None:
            if node.target in (getattr, "size"):
                return node.args[0]
            node = node.args[0] if node.args and isinstance(node.args[0], self.fx.Node) else None
        return None

    def pad(self, node, name, a, inputs):
        mode = padding_mode_fields(a.get("mode", "constant"))
        if a.get("value") not in (None, 0, 0.0):
            raise ExportError(f"padding with value {a['value']}; netlens pads with zeros")
        return self.emit(name, "pad", {"padding": pad_pairs(a["pad"], self.rank), **mode}, inputs,
                         self.shape(node))


# ---- YAML --------------------------------------------------------------------------------------

def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(scalar(x) for x in v) + "]"
    if isinstance(v, str):
        return v if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*", v) and v.lower() not in (
            "true", "false", "null", "yes", "no", "on", "off", "y", "n") else json.dumps(v)
    return repr(v)


def fmt_shape(shape, layout="first"):
    """The end-of-line comment: `C x HxW` (channels first), `HxW x C` (channels last), `F` (flat)."""
    if isinstance(shape, list):  # a split: its parts
        return " + ".join(fmt_shape(s, layout) for s in shape)
    if len(shape) == 2:
        return str(shape[1])
    if layout == "whole":
        return "[" + ", ".join(map(str, shape)) + "]"
    if layout == "tokens":
        return f"{shape[1]} tokens x {shape[2]}"
    if layout == "last":
        return "x".join(map(str, shape[1:-1])) + f" x {shape[-1]} (channels last)"
    return f"{shape[1]} x " + "x".join(map(str, shape[2:]))


def write_yaml(out, exporter, name, size, channels, header):
    """The spec: header comments, the top-level keys, one flow mapping per layer with its shape."""
    lines = ["# " + h if h else "#" for h in header]
    channels = {"first": f"channels: {channels}", "last": f"channels: {channels}, channels_last: true",
                "whole": "channels: null"}[exporter.input_layout]
    lines += [f"name: {scalar(name)}", f"input: {{size: {scalar(list(size))}, {channels}}}", "convention: pytorch"]
    if exporter.outputs:
        lines.append(f"outputs: {scalar(exporter.outputs)}")
    lines.append("layers:")
    prev, block = "input", None
    for layer in exporter.layers:
        parts = layer["name"].split(".")
        if len(parts) >= 3 and parts[:2] != block:
            lines.append(f"  # {'.'.join(parts[:2])}")
        block = parts[:2] if len(parts) >= 3 else None
        items = [("name", layer["name"]), ("type", layer["type"])]
        if layer["inputs"] != [prev]:
            items.append(("inputs", layer["inputs"]))
        items += list(layer["fields"].items())
        body = ", ".join(f"{k}: {scalar(v)}" for k, v in items)
        lines.append(f"  - {{{body}}}  # {fmt_shape(layer['shape'], layer['layout'])}")
        prev = layer["name"]
    out.write("\n".join(lines) + "\n")


# ---- command line ------------------------------------------------------------------------------

def find_builder(name):
    """A builder of torchvision.models, .segmentation or .video by name -> (function, its dotted path)."""
    import torchvision
    for package in MODEL_PACKAGES:
        module = importlib.import_module("torchvision.models" + package)
        if callable(getattr(module, name, None)) and name in getattr(module, "__all__", [name]):
            return getattr(module, name), f"torchvision.models{package}.{name}"
    raise ExportError(f"torchvision.models (.segmentation, .video) has no model '{name}'"
                      f" (torchvision {torchvision.__version__})")


def parse_kwargs(pairs):
    """KEY=VALUE strings -> a dict; values are Python literals, else strings."""
    kwargs = {}
    for kv in pairs:
        key, _, value = kv.partition("=")
        try:
            kwargs[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            kwargs[key] = value
    return kwargs


def build_torchvision(name, kwargs):
    """A torchvision model with weights=None (and weights_backbone=None for segmentation), in eval mode."""
    builder, path = find_builder(name)
    kwargs = dict(kwargs)
    if ".segmentation." in path:
        kwargs.setdefault("weights_backbone", None)
    shown = ", ".join(["weights=None"] + [f"{k}={v!r}" for k, v in kwargs.items()])
    return builder(weights=None, **kwargs).eval(), f"{path}({shown})"


def parse_call(text):
    """`Net` or `Net(3, depth=4)` (Python literals) -> (name, positional arguments, keyword arguments)."""
    try:
        tree = ast.parse(text, mode="eval").body
        if isinstance(tree, ast.Name):
            return tree.id, [], {}
        if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name):
            return (tree.func.id, [ast.literal_eval(a) for a in tree.args],
                    {k.arg: ast.literal_eval(k.value) for k in tree.keywords})
    except (SyntaxError, ValueError):
        pass
    raise ExportError(f"'{text}' is not NAME or NAME(ARGS) with Python literals as arguments")


def build_model(args):
    import torch
    kwargs = parse_kwargs(args.kwarg)
    if not args.module:
        return build_torchvision(args.model, kwargs)
    mod_name, _, call = args.module.partition(":")
    name, positional, keywords = parse_call(call or "model")
    kwargs = {**keywords, **kwargs}
    sys.path.insert(0, os.getcwd())
    obj = getattr(importlib.import_module(mod_name), name)
    model = obj if isinstance(obj, torch.nn.Module) else obj(*positional, **kwargs)
    shown = ", ".join([repr(a) for a in positional] + [f"{k}={v!r}" for k, v in kwargs.items()])
    return model.eval(), f"{mod_name}:{name}({shown})"


def export(model, size, channels, input_layout="first"):
    """A model in eval mode at input [1, channels, *size] (or input_layout's) -> the Exporter that ran over it."""
    exporter = Exporter(model, size, channels, input_layout)
    exporter.run()
    return exporter


def spec_text(exporter, name, size, channels, header):
    """The YAML spec of an exporter's layers, as a string."""
    import io
    out = io.StringIO()
    write_yaml(out, exporter, name, size, channels, header)
    return out.getvalue()


def header_lines(args, name, source, size, model, exporter):
    """The spec's header comments: what it is, how it was made, what the comments mean."""
    import torch
    import torchvision
    total = sum(p.numel() for p in model.parameters())
    traced = sum(p.numel() for p in exporter.params_used.values())
    unused = "" if traced == total else (
        f" Only {traced:,} are in the traced (eval-mode) graph: modules it never calls hold the rest.")
    buffers = sum(b.numel() for b in model.buffers())
    traced_buffers = sum(b.numel() for b in exporter.buffers_used.values())
    if traced_buffers != buffers:
        unused += f" Buffers: {traced_buffers:,} of {buffers:,} are in modules the traced graph calls."
    tokens = any(layer["layout"] == "tokens" for layer in exporter.layers)
    run = [PROG] if PROG != "torch2netlens" else ["python3", os.path.relpath(sys.argv[0])]
    command = shlex.join(run + (args.argv or sys.argv[1:]))
    return unused, [
        args.description or f"{name}: {source}, traced by {'tools/torch2netlens.py' if PROG == 'torch2netlens' else PROG}",
        f"Model: {source}, eval mode; torch {torch.__version__}, torchvision {torchvision.__version__}.",
        f"Generated by: {command}",
        f"Input: {'x'.join(map(str, size))}, "
        + {"first": f"{args.channels} channels", "last": f"{args.channels} channels last (NHWC)",
           "whole": "no channel axis"}[exporter.input_layout] + f". Total params: {total:,} "
        f"(sum of model.parameters()).{unused}",
        "Layer names are the torch.fx node names of torchvision.models.feature_extraction.get_graph_node_names;",
        "containers (nn.Sequential, Conv2dNormActivation, SqueezeExcitation) are traced through: X.0, X.1, ...",
        "End-of-line comments: the output (channels x spatial size" + (", or tokens x channels" if tokens else "")
        + ") PyTorch computed at this input.",
        "Generated file: do not edit by hand, regenerate with the command above."]


def netlens_check(text):
    """netlens' own analysis of the spec about to be written (`netlens check -`): its error line, or None.
    The netlens is $NETLENS_BIN, else the one on the PATH, else this checkout's build/src/netlens."""
    here = os.path.dirname(os.path.abspath(__file__))
    built = os.path.join(here, "..", "build", "src", "netlens")
    binary = os.environ.get("NETLENS_BIN") or shutil.which("netlens") or (built if os.path.exists(built) else None)
    if binary is None:
        return "no netlens to check the spec with (set NETLENS_BIN)"
    run = subprocess.run([binary, "check", "-"], input=text, capture_output=True, text=True)
    return None if run.returncode == 0 else (run.stderr.strip() or f"{binary} exited with {run.returncode}")


def parse_args(argv):
    p = argparse.ArgumentParser(prog=None if PROG == "torch2netlens" else PROG,
                                description=__doc__.split("\n\n")[0].replace("torch2netlens", PROG, 1), epilog=__doc__.split("\n\n", 2)[2],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", nargs="?", help="a torchvision model name (resnet50, deeplabv3_resnet50, r3d_18, ...), "
                   "or your own model as pkg.mod:factory or pkg.mod:factory(ARGS)")
    p.add_argument("--module", help="your own model: pkg.mod:factory (a class, a function or an instance), "
                   "optionally called with Python literals: pkg.mod:Net(3, depth=4)")
    p.add_argument("--kwarg", action="append", default=[], metavar="KEY=VALUE",
                   help="argument for the model's constructor (Python literal), e.g. aux_logits=False")
    p.add_argument("--input", required=True, help="spatial size: 224 (square) or 224x320 or 16x112x112")
    p.add_argument("--rank", type=int, choices=(1, 2, 3), help="spatial axes when --input is one number (2)")
    p.add_argument("--channels", type=int, default=3, help="input channels (3)")
    layout = p.add_mutually_exclusive_group()
    layout.add_argument("--channels-last", action="store_const", dest="input_layout", const="last",
                        default="first", help="the model takes (N, H, W, C): TensorFlow's NHWC")
    layout.add_argument("--no-channels", action="store_const", dest="input_layout", const="whole",
                        help="the model takes (N, L) (a waveform): no channel axis")
    p.add_argument("--name", help="the spec's name (default: the model's)")
    p.add_argument("--description", help="first comment line (what `netlens list` shows)")
    p.add_argument("-o", "--output", help="the YAML file to write (default: stdout)")
    args = p.parse_args(argv)
    args.argv = argv
    if args.model and ":" in args.model and not args.module:  # pkg.mod:Net(...) given as the model
        args.module, args.model = args.model, None
    if bool(args.model) == bool(args.module):
        p.error("give a torchvision model name or your own model as pkg.mod:factory (one of them)")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as e:
        sys.exit(f"{PROG}: error: {e} ({sys.executable}); Debian's python3-torch is /usr/bin/python3's")
    try:
        size = [int(x) for x in args.input.lower().split("x")]
        if len(size) == 1:
            size *= args.rank or 2
        model, source = build_model(args)
        exporter = export(model, size, args.channels, args.input_layout)
    except ExportError as e:
        sys.exit(f"{PROG}: error: {e}")
    except ValueError as e:
        sys.exit(f"{PROG}: error: --input {args.input!r}: {e}")
    name = args.name or args.model or parse_call(args.module.partition(":")[2] or "model")[0]
    unused, header = header_lines(args, name, source, size, model, exporter)
    if unused:
        print(f"{PROG}: warning:{unused}", file=sys.stderr)
    text = io.StringIO()
    write_yaml(text, exporter, name, size, args.channels, header)
    refused = netlens_check(text.getvalue())
    if refused:  # never a spec netlens cannot read, or one it was not asked about
        sys.exit(f"{PROG}: error: the spec was not written: {refused}")
    with open(args.output, "w") if args.output else contextlib.nullcontext(sys.stdout) as out:
        out.write(text.getvalue())
    total = sum(p.numel() for p in model.parameters())
    print(f"{PROG}: {name}: {len(exporter.layers)} layers, {total:,} params", file=sys.stderr)


if __name__ == "__main__":
    main()

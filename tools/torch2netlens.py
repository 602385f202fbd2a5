#!/usr/bin/env python3
"""torch2netlens: write a netlens spec (YAML) from a PyTorch model, by tracing it with torch.fx.

    python3 tools/torch2netlens.py resnet50 --input 224 -o nets/resnet50.yaml
    python3 tools/torch2netlens.py --module mypkg.nets:make_net --input 64x64 --channels 1 -o my.yaml

The model (a torchvision.models name, built with weights=None, or `--module pkg.mod:factory`) is put in
eval mode and traced the way torchvision.models.feature_extraction.get_graph_node_names traces it
(NodePathTracer, torchvision.ops modules kept whole), so every layer is named after its fx node:
`conv1`, `layer1.0.relu_1`, `layer1.0.add`, `inception3a.cat`. A leaf that is an nn.Sequential (e.g.
torchvision's Conv2dNormActivation) is written as its children, `features.0.0`, `features.0.1`, ...

One netlens layer per node that computes something: modules (Conv*, ConvTranspose*, *Pool*, Linear,
BatchNorm*, activations, Dropout*, Flatten, Upsample, padding, Identity, LocalResponseNorm) and calls
(+, *, torch.cat, flatten/view/reshape to [N, -1], F.relu, F.max_pool2d, F.adaptive_avg_pool2d, ...).
Nodes that compute nothing (x.size(), getattr, .contiguous()) are skipped: their users read their input.
Anything else stops the export with a message naming the node (exit status 1).

Needs torch and torchvision (Debian: apt-get install python3-torch python3-torchvision; run them with
/usr/bin/python3 if another python3 comes first in PATH). The model runs once on zeros to record every
node's shape (written as end-of-line comments).
"""
import argparse
import ast
import contextlib
import importlib
import json
import operator
import os
import re
import shlex
import sys


class ExportError(Exception):
    """A model or node netlens cannot describe: the message names it."""


def per_axis(v):
    """An int when every axis has the same value, else a list (netlens' per-axis form)."""
    if isinstance(v, (tuple, list)):
        return v[0] if len(set(v)) == 1 else list(v)
    return v


def pad_pairs(pad, rank):
    """torch's F.pad order (last axis first: left, right, top, bottom, ...) -> [[lo, hi], ...] per axis."""
    pad = list(pad)
    if len(pad) != 2 * rank:
        raise ExportError(f"padding {pad} does not give [before, after] for each of {rank} axes")
    pairs = [[pad[2 * i], pad[2 * i + 1]] for i in range(rank)][::-1]
    return pairs[0][0] if all(p == pairs[0] for p in pairs) and pairs[0][0] == pairs[0][1] else pairs


# ---- per-type field builders: torch argument names in, netlens fields out ----------------------

def conv_fields(a, transposed):
    f = {"in_channels": a["in_channels"], "out_channels": a["out_channels"],
         "kernel_size": per_axis(a["kernel_size"]), "stride": per_axis(a["stride"]),
         "padding": a["padding"] if isinstance(a["padding"], str) else per_axis(a["padding"])}
    if transposed:
        f["output_padding"] = per_axis(a["output_padding"])
    f.update(dilation=per_axis(a["dilation"]), groups=a["groups"], bias=a["bias"])
    return f


def pool_fields(kind, a):
    if a.get("return_indices"):
        raise ExportError("return_indices=True (a tuple output) is not supported")
    k = a["kernel_size"]
    s = a.get("stride")
    f = {"kernel_size": per_axis(k), "stride": per_axis(s if s not in (None, [], ()) else k),
         "padding": per_axis(a.get("padding", 0))}
    if kind == "maxpool":
        f["dilation"] = per_axis(a.get("dilation", 1))
    f["ceil_mode"] = bool(a.get("ceil_mode", False))
    if kind == "avgpool":
        f["count_include_pad"] = bool(a.get("count_include_pad", True))
    return f


def adaptive_fields(a):
    size = a["output_size"]
    if size is None or (isinstance(size, (tuple, list)) and None in size):
        raise ExportError(f"output_size {size} keeps an axis' input size; netlens needs a number")
    return {"output_size": per_axis(size)}


def upsample_fields(a):
    mode = a.get("mode", "nearest")
    if a.get("size") is not None or a.get("scale_factor") is None:
        raise ExportError("upsampling to a fixed `size` is not supported (give scale_factor)")
    if mode not in ("nearest", "linear", "bilinear", "trilinear"):
        raise ExportError(f"upsampling mode '{mode}' is not supported (nearest or (bi/tri)linear)")
    f = {"scale_factor": per_axis(a["scale_factor"]), "mode": "nearest" if mode == "nearest" else "bilinear"}
    if a.get("align_corners") is not None:
        f["align_corners"] = bool(a["align_corners"])
    return f


def activation_fields(kind, a):
    extra = {"leaky_relu": ("negative_slope", 0.01), "elu": ("alpha", 1.0), "softmax": ("dim", None)}.get(kind)
    if extra and a.get(extra[0], extra[1]) is None:
        raise ExportError("softmax without dim")
    return {extra[0]: a.get(extra[0], extra[1])} if extra else {}


def flatten_fields(a):
    if (a.get("start_dim", 1), a.get("end_dim", -1)) != (1, -1):
        raise ExportError("only flatten(start_dim=1, end_dim=-1) is a netlens flatten")
    return {}


def module_table(nn):
    """nn.Module class -> (netlens type, module -> fields)."""
    t = {}
    for c in (nn.Conv1d, nn.Conv2d, nn.Conv3d):
        t[c] = ("conv", lambda m: conv_fields(dict(vars(m), bias=m.bias is not None), False))
    for c in (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d):
        t[c] = ("conv_transpose", lambda m: conv_fields(dict(vars(m), bias=m.bias is not None), True))
    for c in (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d):
        t[c] = ("maxpool", lambda m: pool_fields("maxpool", vars(m)))
    for c in (nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d):
        t[c] = ("avgpool", lambda m: pool_fields("avgpool", vars(m)))
    for c in (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d):
        t[c] = ("adaptive_avgpool", lambda m: adaptive_fields(vars(m)))
    for c in (nn.AdaptiveMaxPool1d, nn.AdaptiveMaxPool2d, nn.AdaptiveMaxPool3d):
        t[c] = ("adaptive_maxpool", lambda m: adaptive_fields(vars(m)))
    t[nn.Linear] = ("linear", lambda m: {"in_features": m.in_features, "out_features": m.out_features,
                                         "bias": m.bias is not None})
    for c in (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d):
        t[c] = ("batchnorm", lambda m: {"num_features": m.num_features, "eps": m.eps, "affine": m.affine,
                                        **({"momentum": m.momentum} if m.momentum is not None else {})})
    for c, kind in ((nn.ReLU, "relu"), (nn.ReLU6, "relu6"), (nn.LeakyReLU, "leaky_relu"), (nn.ELU, "elu"),
                    (nn.GELU, "gelu"), (nn.SiLU, "silu"), (nn.Sigmoid, "sigmoid"), (nn.Tanh, "tanh"),
                    (nn.Hardswish, "hardswish"), (nn.Softmax, "softmax")):
        t[c] = (kind, lambda m, kind=kind: activation_fields(kind, vars(m)))
    for c in (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout):
        t[c] = ("dropout", lambda m: {"p": m.p})
    t[nn.Identity] = ("identity", lambda m: {})
    t[nn.Flatten] = ("flatten", lambda m: flatten_fields(vars(m)))
    t[nn.LocalResponseNorm] = ("lrn", lambda m: {"size": m.size, "alpha": m.alpha, "beta": m.beta, "k": m.k})
    t[nn.Upsample] = ("upsample", lambda m: upsample_fields(vars(m)))
    for c in (nn.ZeroPad2d, nn.ConstantPad1d, nn.ConstantPad2d, nn.ConstantPad3d, nn.ReflectionPad1d,
              nn.ReflectionPad2d, nn.ReplicationPad1d, nn.ReplicationPad2d, nn.ReplicationPad3d):
        t[c] = ("pad", lambda m: {"padding": pad_pairs(m.padding, len(m.padding) // 2)})
    return t


def function_table(torch, F):
    """call_function target / call_method name -> (netlens type, torch argument names after the input,
    fields(args) or None). Type None: computes nothing, its users read its input."""
    t = {}
    for f in (F.max_pool1d, F.max_pool2d, F.max_pool3d):
        t[f] = ("maxpool", ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"],
                lambda a: pool_fields("maxpool", a))
    for f in (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d):
        t[f] = ("avgpool", ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"],
                lambda a: pool_fields("avgpool", a))
    for f in (F.adaptive_avg_pool1d, F.adaptive_avg_pool2d, F.adaptive_avg_pool3d):
        t[f] = ("adaptive_avgpool", ["output_size"], adaptive_fields)
    for f in (F.adaptive_max_pool1d, F.adaptive_max_pool2d, F.adaptive_max_pool3d):
        t[f] = ("adaptive_maxpool", ["output_size", "return_indices"], adaptive_fields)
    for f in (F.dropout, F.dropout1d, F.dropout2d, F.dropout3d, F.alpha_dropout):
        t[f] = ("dropout", ["p", "training", "inplace"], lambda a: {"p": a.get("p", 0.5)})
    t[F.interpolate] = ("upsample", ["size", "scale_factor", "mode", "align_corners"], upsample_fields)
    t[F.pad] = ("pad", ["pad", "mode", "value"], None)  # fields need the rank: see call_node
    for keys, kind, extra in ((("relu", F.relu, torch.relu), "relu", []), (("relu6", F.relu6), "relu6", []),
                              (("leaky_relu", F.leaky_relu), "leaky_relu", ["negative_slope"]),
                              (("elu", F.elu), "elu", ["alpha"]), (("gelu", F.gelu), "gelu", []),
                              (("silu", F.silu), "silu", []), (("hardswish", F.hardswish), "hardswish", []),
                              (("sigmoid", torch.sigmoid, F.sigmoid), "sigmoid", []),
                              (("tanh", torch.tanh, F.tanh), "tanh", []),
                              (("softmax", F.softmax, torch.softmax), "softmax", ["dim"])):
        for k in keys:
            t[k] = (kind, extra, lambda a, kind=kind: activation_fields(kind, a))
    for k in (operator.add, operator.iadd, torch.add, "add", "add_"):
        t[k] = ("add", [], None)
    for k in (operator.mul, operator.imul, torch.mul, "mul", "mul_"):
        t[k] = ("mul", [], None)
    t[torch.cat] = ("concat", ["dim"], None)
    for k in (torch.flatten, "flatten", "view", "reshape", torch.reshape):
        t[k] = ("flatten", [], None)  # when the result is [N, features]: see call_node
    for k in ("size", "dim", getattr, "contiguous", "clone", "detach", torch.clone):
        t[k] = (None, [], None)
    return t


def bind(node, names):
    """The node's arguments after the input, by torch name (positional ones named in order)."""
    a = dict(zip(names, node.args[1:]))
    a.update(node.kwargs)
    return a


class Exporter:
    def __init__(self, model, size, channels):
        import torch
        import torch.nn.functional as F
        from torch import fx, nn
        from torchvision.models import feature_extraction as fe

        self.torch, self.nn, self.fx = torch, nn, fx
        self.modules, self.functions = module_table(nn), function_table(torch, F)
        self.rank = len(size)
        tracer = fe.NodePathTracer(**fe._set_default_tracer_kwargs(None))
        try:
            graph = tracer.trace(model)
        except Exception as e:  # noqa: BLE001 - any tracing failure is the user's model's
            raise ExportError(f"torch.fx cannot trace the model: {type(e).__name__}: {e}") from e
        self.gm = fx.GraphModule(tracer.root, graph)
        self.names = tracer.node_to_qualname
        self.shapes = {}  # fx node -> the shape of the tensor it computed (nothing for non-tensors)

        class Recorder(fx.Interpreter):
            def run_node(inner, n):
                out = super().run_node(n)
                if isinstance(out, torch.Tensor):
                    self.shapes[n] = tuple(out.shape)
                return out

        try:
            with torch.no_grad():
                Recorder(self.gm).run(torch.zeros(1, channels, *size))
        except Exception as e:  # noqa: BLE001
            raise ExportError(f"the model fails on a {[1, channels, *size]} input: {type(e).__name__}: {e}") from e
        self.layers, self.alias, self.used = [], {}, {}

    # -- helpers --
    def shape(self, node):
        return self.shapes.get(node)

    def tensor_inputs(self, node):
        """The layers whose outputs the node reads (its tensor arguments, also inside lists), in order."""
        found = []
        self.fx.node.map_arg((node.args, node.kwargs), found.append)
        return [self.alias[n] for n in found if n in self.alias]

    def emit(self, name, kind, fields, inputs, shape, module=None):
        self.layers.append({"name": name, "type": kind, "fields": fields, "inputs": inputs, "shape": shape})
        if module is not None:
            self.used[id(module)] = module
        return name

    # -- the graph --
    def run(self):
        for node in self.gm.graph.nodes:
            name = self.names.get(node, node.name)
            if node.op == "placeholder":
                if self.alias:
                    raise ExportError(f"node '{name}': the model takes more than one input")
                self.alias[node] = "input"
            elif node.op == "output":
                continue
            elif node.op == "get_attr":
                raise ExportError(f"node '{name}': reads the tensor '{node.target}' directly (no layer type)")
            else:
                try:
                    out = (self.module_node if node.op == "call_module" else self.call_node)(node, name)
                except ExportError as e:
                    raise ExportError(f"node '{name}' ({node.op} {self.describe(node)}): {e}") from None
                if out is not None:
                    self.alias[node] = out
        return self.layers

    def describe(self, node):
        t = type(self.gm.get_submodule(node.target)) if node.op == "call_module" else node.target
        return t if isinstance(t, str) else getattr(t, "__name__", str(t))

    def module_node(self, node, name):
        m = self.gm.get_submodule(node.target)
        inputs = self.tensor_inputs(node)
        if len(inputs) != 1:
            raise ExportError(f"a module with {len(inputs)} tensor inputs")
        if isinstance(m, self.nn.Sequential):  # a leaf Sequential (torchvision.ops): its children, in order
            x = self.torch.zeros(self.shape(node.args[0]))
            for child_name, child in m.named_children():
                with self.torch.no_grad():
                    x = child(x)
                inputs = [self.module_layer(child, f"{name}.{child_name}", inputs, tuple(x.shape))]
            return inputs[0]
        return self.module_layer(m, name, inputs, self.shape(node))

    def module_layer(self, m, name, inputs, shape):
        entry = next((self.modules[c] for c in type(m).__mro__ if c in self.modules), None)  # subclasses too
        if entry is None:
            raise ExportError(f"no netlens layer type for module {type(m).__name__} ('{name}')")
        kind, fields = entry
        return self.emit(name, kind, fields(m), inputs, shape, m)

    def call_node(self, node, name):
        key = node.target
        entry = self.functions.get(key) if isinstance(key, str) or callable(key) else None
        if entry is None:
            raise ExportError("no netlens layer type for this call")
        kind, names, fields = entry
        inputs, shape = self.tensor_inputs(node), self.shape(node)
        if kind is None:  # computes nothing
            return inputs[0] if shape is not None and inputs else None
        if shape is None:
            raise ExportError("the call does not return a tensor")
        a = bind(node, names)
        if kind in ("add", "mul"):
            if len(inputs) == 1:  # x + 2, x * 0.5: shape-preserving
                return self.emit(name, "identity", {}, inputs, shape)
            shapes = {self.shape(n) for n in node.args if hasattr(n, "op")}
            if len(shapes) != 1:
                raise ExportError(f"element-wise {kind} of different shapes {sorted(shapes)} (broadcasting)")
            return self.emit(name, kind, {}, inputs, shape)
        if kind == "concat":
            if a.get("dim", 0) not in (1, -1 - self.rank):
                raise ExportError(f"concatenation along dim {a.get('dim', 0)}; netlens concatenates channels")
            if len(inputs) == 1:  # torch.cat([x], 1) (DenseNet's first layer): a copy
                return self.emit(name, "identity", {}, inputs, shape)
            return self.emit(name, "concat", {}, inputs, shape)
        if kind == "flatten":
            in_shape = self.shape(node.args[0])
            if len(shape) != 2 or shape[0] != in_shape[0] or len(in_shape) < 2:
                raise ExportError(f"reshapes {list(in_shape)} to {list(shape)}; only [N, features] is a flatten")
            return self.emit(name, "flatten", {}, inputs, shape)
        if kind == "pad":
            if a.get("value") not in (None, 0, 0.0):
                raise ExportError(f"padding with value {a['value']}; netlens pads with zeros")
            return self.emit(name, "pad", {"padding": pad_pairs(a["pad"], self.rank)}, inputs, shape)
        if len(inputs) != 1:
            raise ExportError(f"{len(inputs)} tensor inputs")
        return self.emit(name, kind, fields(a), inputs, shape)


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


def fmt_shape(shape):
    return str(shape[1]) + ("" if len(shape) == 2 else " x " + "x".join(map(str, shape[2:])))


def write_yaml(out, layers, name, size, channels, header):
    lines = ["# " + h if h else "#" for h in header]
    lines += [f"name: {scalar(name)}", f"input: {{size: {scalar(list(size))}, channels: {channels}}}",
              "convention: pytorch", "layers:"]
    prev, block = "input", None
    for layer in layers:
        parts = layer["name"].split(".")
        if len(parts) >= 3 and parts[:2] != block:
            lines.append(f"  # {'.'.join(parts[:2])}")
        block = parts[:2] if len(parts) >= 3 else None
        items = [("name", layer["name"]), ("type", layer["type"])]
        if layer["inputs"] != [prev]:
            items.append(("inputs", layer["inputs"]))
        items += list(layer["fields"].items())
        body = ", ".join(f"{k}: {scalar(v)}" for k, v in items)
        lines.append(f"  - {{{body}}}  # {fmt_shape(layer['shape'])}")
        prev = layer["name"]
    out.write("\n".join(lines) + "\n")


# ---- command line ------------------------------------------------------------------------------

def build_model(args):
    import torch
    import torchvision
    kwargs = {}
    for kv in args.kwarg:
        key, _, value = kv.partition("=")
        try:
            kwargs[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            kwargs[key] = value
    shown = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    if args.module:
        mod_name, _, attr = args.module.partition(":")
        sys.path.insert(0, os.getcwd())
        obj = getattr(importlib.import_module(mod_name), attr or "model")
        model = obj if isinstance(obj, torch.nn.Module) else obj(**kwargs)
        return model, f"{args.module}({shown})"
    if not callable(getattr(torchvision.models, args.model, None)):
        raise ExportError(f"torchvision.models has no model '{args.model}'")
    model = getattr(torchvision.models, args.model)(weights=None, **kwargs)
    return model, f"torchvision.models.{args.model}(weights=None{', ' + shown if shown else ''})"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                epilog=__doc__.split("\n\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", nargs="?", help="a torchvision.models name (resnet50, googlenet, ...)")
    p.add_argument("--module", help="your own model: pkg.mod:factory (a class, a function or an instance)")
    p.add_argument("--kwarg", action="append", default=[], metavar="KEY=VALUE",
                   help="argument for the model's constructor (Python literal), e.g. aux_logits=False")
    p.add_argument("--input", required=True, help="spatial size: 224 (square) or 224x320 or 16x112x112")
    p.add_argument("--rank", type=int, choices=(1, 2, 3), help="spatial axes when --input is one number (2)")
    p.add_argument("--channels", type=int, default=3, help="input channels (3)")
    p.add_argument("--name", help="the spec's name (default: the model's)")
    p.add_argument("--description", help="first comment line (what `netlens list` shows)")
    p.add_argument("-o", "--output", help="the YAML file to write (default: stdout)")
    args = p.parse_args(argv)
    if bool(args.model) == bool(args.module):
        p.error("give a torchvision model name or --module pkg.mod:factory (one of them)")
    try:
        import torch
        import torchvision
    except ImportError as e:
        sys.exit(f"torch2netlens: error: {e} ({sys.executable}); Debian's python3-torch is /usr/bin/python3's")
    try:
        size = [int(x) for x in args.input.lower().split("x")]
        if len(size) == 1:
            size *= args.rank or 2
        model, source = build_model(args)
        model.eval()
        exporter = Exporter(model, size, args.channels)
        layers = exporter.run()
    except ExportError as e:
        sys.exit(f"torch2netlens: error: {e}")
    except ValueError as e:
        sys.exit(f"torch2netlens: error: --input {args.input!r}: {e}")
    name = args.name or args.model or args.module.partition(":")[2] or "model"
    total = sum(p.numel() for p in model.parameters())
    traced = sum(p.numel() for m in exporter.used.values() for p in m.parameters())
    unused = "" if traced == total else (
        f" Only {traced:,} are in the traced (eval-mode) graph: modules it never calls hold the rest.")
    if unused:
        print(f"torch2netlens: warning:{unused}", file=sys.stderr)
    command = shlex.join(["python3"] + [os.path.relpath(sys.argv[0])] + (argv or sys.argv[1:]))
    header = [args.description or f"{name}: {source}, traced by tools/torch2netlens.py",
              f"Model: {source}, eval mode; torch {torch.__version__}, torchvision {torchvision.__version__}.",
              f"Generated by: {command}",
              f"Input: {'x'.join(map(str, size))}, {args.channels} channels. Total params: {total:,} "
              f"(sum of model.parameters()).{unused}",
              "Layer names are the torch.fx node names of torchvision.models.feature_extraction."
              "get_graph_node_names;",
              "a leaf nn.Sequential (torchvision.ops.Conv2dNormActivation) is written as its children (X.0, X.1, ...).",
              "End-of-line comments: the output (channels x spatial size) PyTorch computed at this input.",
              "Generated file: do not edit by hand, regenerate with the command above."]
    with open(args.output, "w") if args.output else contextlib.nullcontext(sys.stdout) as out:
        write_yaml(out, layers, name, size, args.channels, header)
    print(f"torch2netlens: {name}: {len(layers)} layers, {total:,} params", file=sys.stderr)


if __name__ == "__main__":
    main()

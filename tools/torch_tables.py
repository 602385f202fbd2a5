"""torch_tables: what torch2netlens maps, as tables: torch module classes and called functions -> netlens
layer types and fields (the types and field names of docs/spec-format.md: the CNN types and the
transformer types attention, window_attention, patch_merge, class_token, pos_embedding, select).

A module row is `class -> (type, module -> fields)`; a call row is `target -> (type, torch argument names
after the input, arguments -> fields)`. Type None marks a call that computes nothing netlens draws (its
users read its input). Calls whose fields need the graph (element-wise merges, concat, reshapes, splits,
resizing to another tensor's size) carry a kind the exporter handles itself (`Exporter.call_node`).
"""
import operator


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

def padding_mode_fields(mode):
    """A conv's padding_mode or F.pad's mode -> netlens's padding_mode field ({} for zeros): reflect and replicate
    read the pixels they copy, circular the far side's (netlens prints its regions as unknown)."""
    modes = {"zeros": "zeros", "constant": "zeros", "reflect": "reflect", "replicate": "replicate",
             "circular": "circular"}
    if mode not in modes:
        raise ExportError(f"{mode} padding is not one netlens knows (zeros, reflect, replicate, circular)")
    return {} if modes[mode] == "zeros" else {"padding_mode": modes[mode]}


def conv_fields(a, transposed):
    """Conv*d / ConvTranspose*d attributes -> conv / conv_transpose fields."""
    mode = padding_mode_fields(a.get("padding_mode", "zeros"))
    if mode and transposed:
        raise ExportError(f"a transposed conv with {mode['padding_mode']} padding (torch allows zeros only)")
    f = {"in_channels": a["in_channels"], "out_channels": a["out_channels"],
         "kernel_size": per_axis(a["kernel_size"]), "stride": per_axis(a["stride"]),
         "padding": a["padding"] if isinstance(a["padding"], str) else per_axis(a["padding"])}
    if transposed:
        f["output_padding"] = per_axis(a["output_padding"])
    f.update(dilation=per_axis(a["dilation"]), groups=a["groups"], bias=a["bias"], **mode)
    return f


def pool_fields(kind, a):
    """MaxPool / AvgPool attributes (or F.max_pool2d arguments) -> maxpool / avgpool fields."""
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
    """Adaptive pools: output_size, every axis a number."""
    size = a["output_size"]
    if size is None or (isinstance(size, (tuple, list)) and None in size):
        raise ExportError(f"output_size {size} keeps an axis' input size; netlens needs a number")
    return {"output_size": per_axis(size)}


UPSAMPLE_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "trilinear", "bicubic")


def upsample_fields(a):
    """nn.Upsample attributes or F.interpolate arguments with a fixed size or scale factor -> upsample fields
    (a size taken from another tensor is the exporter's: see Exporter.resize)."""
    mode = a.get("mode", "nearest")
    if mode not in UPSAMPLE_MODES:
        raise ExportError(f"upsampling mode '{mode}' is not supported ({', '.join(UPSAMPLE_MODES)})")
    if a.get("size") is not None:
        f = {"size": per_axis(a["size"])}
    elif a.get("scale_factor") is not None:
        f = {"scale_factor": per_axis(a["scale_factor"])}
    else:
        raise ExportError("upsampling without size or scale_factor")
    f["mode"] = mode
    if a.get("align_corners") is not None:
        f["align_corners"] = bool(a["align_corners"])
    if a.get("recompute_scale_factor"):
        f["recompute_scale_factor"] = True
    return f


# Activation type -> its fields with torch's defaults (None: required by torch, so always given).
ACTIVATION_FIELDS = {
    "leaky_relu": {"negative_slope": 0.01}, "elu": {"alpha": 1.0}, "celu": {"alpha": 1.0},
    "gelu": {"approximate": "none"}, "hardtanh": {"min_val": -1.0, "max_val": 1.0},
    "softplus": {"beta": 1, "threshold": 20}, "clamp": {"min": None, "max": None},
    "softmax": {"dim": None}, "log_softmax": {"dim": None},
}


def activation_fields(kind, a):
    """An activation's fields (its torch arguments, defaults filled in) -> netlens fields."""
    f = {k: a.get(k, default) for k, default in ACTIVATION_FIELDS.get(kind, {}).items()}
    if kind in ("softmax", "log_softmax") and f["dim"] is None:
        raise ExportError(f"{kind} without dim")
    if kind == "clamp":
        f = {k: v for k, v in f.items() if v is not None}
    return f


def layernorm_fields(m):
    """nn.LayerNorm (and ConvNeXt's LayerNorm2d): a norm over one axis, the channels."""
    if len(m.normalized_shape) != 1:
        raise ExportError(f"LayerNorm over {list(m.normalized_shape)}; netlens normalizes the channel axis only")
    f = {"normalized_shape": m.normalized_shape[0], "eps": m.eps, "elementwise_affine": m.elementwise_affine}
    if m.elementwise_affine and m.bias is None:
        f["bias"] = False
    return f


def batchnorm_fields(m):
    return {"num_features": m.num_features, "eps": m.eps, "affine": m.affine,
            **({"momentum": m.momentum} if m.momentum is not None else {})}


def instancenorm_fields(m):
    return {"num_features": m.num_features, "eps": m.eps, "affine": m.affine,
            "track_running_stats": m.track_running_stats}


def flatten_fields(a):
    """flatten(start_dim, end_dim): netlens' default is (1, -1), written only when it differs; end_dim -1
    (the last axis) is left out (ViT's patch flatten: `start_dim: 2`)."""
    start, end = a.get("start_dim", 1), a.get("end_dim", -1)
    if (start, end) == (1, -1):
        return {}
    return {"start_dim": start, **({"end_dim": end} if end != -1 else {})}


def reduce_fields(a):
    """mean / sum / amax over `dim` (an int or a list), keepdim."""
    dims = a.get("dim")
    if dims is None or dims == []:
        raise ExportError("a reduction over every axis (no dim) is not a netlens layer")
    f = {"dims": list(dims) if isinstance(dims, (list, tuple)) else [dims]}
    if a.get("keepdim"):
        f["keepdim"] = True
    return f


def permute_fields(a):
    dims = a["dims"]
    return {"dims": list(dims)}


def attention_fields(m):
    """nn.MultiheadAttention -> attention: num_heads, embed_dim, bias, kdim / vdim when they differ. Only
    what netlens' attention describes: batch first, no bias_k / bias_v, no zero attention."""
    if not m.batch_first:
        raise ExportError("MultiheadAttention with batch_first=False ((L, N, E) tensors); netlens' attention "
                          "reads (N, L, E)")
    if m.bias_k is not None or m.add_zero_attn:
        raise ExportError("MultiheadAttention with add_bias_kv or add_zero_attn is not supported")
    f = {"num_heads": m.num_heads, "embed_dim": m.embed_dim, "bias": m.in_proj_bias is not None}
    if m.kdim != m.embed_dim:
        f["kdim"] = m.kdim
    if m.vdim != m.embed_dim:
        f["vdim"] = m.vdim
    return f


def window_attention_fields(m, tv):
    """torchvision's ShiftedWindowAttention (Swin v1) -> window_attention. Swin v2's subclass (cosine
    attention, a continuous position bias MLP) is another computation: refused."""
    swin = tv.models.swin_transformer
    if type(m) is not swin.ShiftedWindowAttention:
        raise ExportError(f"{type(m).__name__} (Swin v2's cosine attention with a position-bias MLP) is not "
                          f"netlens' window_attention")
    if (m.qkv.bias is None) != (m.proj.bias is None):
        raise ExportError("qkv and proj differ in bias; netlens' window_attention has one bias field")
    return {"num_heads": m.num_heads, "window_size": per_axis(m.window_size),
            "shift_size": per_axis(m.shift_size), "bias": m.qkv.bias is not None}


def module_table(nn, tv):
    """nn.Module class -> (netlens type, module -> fields). Subclasses match too (Conv3DSimple)."""
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
        t[c] = ("batchnorm", batchnorm_fields)
    for c in (nn.InstanceNorm1d, nn.InstanceNorm2d, nn.InstanceNorm3d):
        t[c] = ("instancenorm", instancenorm_fields)
    t[nn.LayerNorm] = ("layernorm", layernorm_fields)  # also ConvNeXt's LayerNorm2d, a subclass
    t[nn.GroupNorm] = ("groupnorm", lambda m: {"num_groups": m.num_groups, "num_channels": m.num_channels,
                                               "eps": m.eps, "affine": m.affine})
    for c, kind in ((nn.ReLU, "relu"), (nn.ReLU6, "relu6"), (nn.LeakyReLU, "leaky_relu"), (nn.ELU, "elu"),
                    (nn.SELU, "selu"), (nn.CELU, "celu"), (nn.GELU, "gelu"), (nn.SiLU, "silu"),
                    (nn.Mish, "mish"), (nn.Sigmoid, "sigmoid"), (nn.Hardsigmoid, "hardsigmoid"),
                    (nn.Hardswish, "hardswish"), (nn.Hardtanh, "hardtanh"), (nn.Tanh, "tanh"),
                    (nn.Softplus, "softplus"), (nn.Softmax, "softmax"), (nn.LogSoftmax, "log_softmax")):
        t[c] = (kind, lambda m, kind=kind: activation_fields(kind, vars(m)))
    t[nn.PReLU] = ("prelu", lambda m: {"num_parameters": m.num_parameters})
    for c in (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout):
        t[c] = ("dropout", lambda m: {"p": m.p})
    t[tv.ops.StochasticDepth] = ("stochastic_depth", lambda m: {"p": m.p, "mode": m.mode})
    t[nn.Identity] = ("identity", lambda m: {})
    t[nn.Flatten] = ("flatten", lambda m: flatten_fields(vars(m)))
    t[nn.Unflatten] = ("unflatten", lambda m: {"dim": m.dim, "unflattened_size": list(m.unflattened_size)})
    t[tv.ops.Permute] = ("permute", lambda m: permute_fields(vars(m)))
    t[nn.ChannelShuffle] = ("channel_shuffle", lambda m: {"groups": m.groups})
    t[nn.PixelShuffle] = ("pixel_shuffle", lambda m: {"upscale_factor": m.upscale_factor})
    t[nn.PixelUnshuffle] = ("pixel_unshuffle", lambda m: {"downscale_factor": m.downscale_factor})
    t[nn.LocalResponseNorm] = ("lrn", lambda m: {"size": m.size, "alpha": m.alpha, "beta": m.beta, "k": m.k})
    t[nn.Upsample] = ("upsample", lambda m: upsample_fields(vars(m)))
    t[nn.MultiheadAttention] = ("attention", attention_fields)
    t[tv.models.swin_transformer.ShiftedWindowAttention] = (
        "window_attention", lambda m: window_attention_fields(m, tv))
    for c in (nn.ZeroPad2d, nn.ConstantPad1d, nn.ConstantPad2d, nn.ConstantPad3d):
        t[c] = ("pad", lambda m: {"padding": pad_pairs(m.padding, len(m.padding) // 2)})
    for c, mode in ((nn.ReflectionPad1d, "reflect"), (nn.ReflectionPad2d, "reflect"),
                    (nn.ReplicationPad1d, "replicate"), (nn.ReplicationPad2d, "replicate"),
                    (nn.ReplicationPad3d, "replicate")):
        t[c] = ("pad", lambda m, mode=mode: {"padding": pad_pairs(m.padding, len(m.padding) // 2),
                                             "padding_mode": mode})
    return t


def activation_calls(torch, F):
    """(targets, netlens type, torch argument names after the input) of the functional activations."""
    return ((("relu", "relu_", F.relu, torch.relu, torch.relu_), "relu", []),
            (("relu6", F.relu6), "relu6", []),
            (("leaky_relu", F.leaky_relu), "leaky_relu", ["negative_slope"]),
            (("elu", F.elu), "elu", ["alpha"]), (("selu", F.selu, torch.selu), "selu", []),
            (("celu", F.celu), "celu", ["alpha"]), (("gelu", F.gelu), "gelu", ["approximate"]),
            (("silu", F.silu), "silu", []), (("mish", F.mish), "mish", []),
            (("hardswish", F.hardswish), "hardswish", []), (("hardsigmoid", F.hardsigmoid), "hardsigmoid", []),
            (("hardtanh", F.hardtanh), "hardtanh", ["min_val", "max_val"]),
            (("sigmoid", "sigmoid_", torch.sigmoid, F.sigmoid), "sigmoid", []),
            (("tanh", torch.tanh, F.tanh), "tanh", []), (("softplus", F.softplus), "softplus", ["beta", "threshold"]),
            (("clamp", "clamp_", "clip", torch.clamp, torch.clip), "clamp", ["min", "max"]),
            (("softmax", F.softmax, torch.softmax), "softmax", ["dim"]),
            (("log_softmax", F.log_softmax, torch.log_softmax), "log_softmax", ["dim"]))


def roll_fields(a):
    """torch.roll(x, shifts, dims): one shift per dim (a flattened roll, dims=None, is no layer's)."""
    if a.get("dims") is None:
        raise ExportError("torch.roll without dims rolls the flattened tensor; netlens' roll rolls dims")

    def listed(v):
        return list(v) if isinstance(v, (list, tuple)) else [v]
    return {"shifts": listed(a["shifts"]), "dims": listed(a["dims"])}


def function_table(torch, F, tv):
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
    t[tv.ops.stochastic_depth] = ("stochastic_depth", ["p", "mode", "training"],
                                  lambda a: {"p": a["p"], "mode": a["mode"]})
    for f in (F.interpolate, F.upsample):
        t[f] = ("upsample", ["size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"], None)
    t[F.pad] = ("pad", ["pad", "mode", "value"], None)  # fields need the rank: see Exporter.call_node
    for keys, kind, extra in activation_calls(torch, F):
        for k in keys:
            t[k] = (kind, extra, lambda a, kind=kind: activation_fields(kind, a))
    for kind, keys in (("add", (operator.add, operator.iadd, torch.add, "add", "add_")),
                       ("sub", (operator.sub, operator.isub, torch.sub, "sub", "sub_")),
                       ("mul", (operator.mul, operator.imul, torch.mul, "mul", "mul_")),
                       ("div", (operator.truediv, operator.itruediv, torch.div, "div", "div_")),
                       ("max", (torch.maximum, "maximum")), ("min", (torch.minimum, "minimum"))):
        for k in keys:
            t[k] = (kind, [], None)
    t[torch.cat] = ("concat", ["dim"], None)
    for k, kind in ((torch.mean, "mean"), ("mean", "mean"), (torch.sum, "sum"), ("sum", "sum"),
                    (torch.amax, "amax"), ("amax", "amax")):
        t[k] = (kind, ["dim", "keepdim"], reduce_fields)
    for k in (torch.flatten, "flatten"):
        t[k] = ("flatten", ["start_dim", "end_dim"], flatten_fields)
    for k in ("view", "reshape", torch.reshape, "unsqueeze", torch.unsqueeze, "squeeze", torch.squeeze,
              "unflatten", torch.unflatten):
        t[k] = ("reshape", [], None)  # a flatten when it merges axes, else a reshape: see Exporter.reshape
    for k in (torch.permute, "permute"):
        t[k] = ("permute", ["dims"], None)
    for k in (torch.transpose, "transpose"):
        t[k] = ("transpose", ["dim0", "dim1"], None)  # a permute: see Exporter.transpose
    for k in (torch.roll, "roll"):
        t[k] = ("roll", ["shifts", "dims"], roll_fields)
    t["expand"] = ("expand", [], None)  # a learned token expanded over the batch: see Exporter.expand
    t[tv.models.swin_transformer._patch_merging_pad] = ("patch_merge", [], lambda a: {})
    for k in (torch.chunk, "chunk"):
        t[k] = ("split", ["chunks", "dim"], None)
    for k in (torch.split, "split"):
        t[k] = ("split", ["split_size_or_sections", "dim"], None)
    t[operator.getitem] = ("getitem", [], None)
    for k in (operator.matmul, torch.matmul, "matmul", torch.bmm, "bmm"):
        t[k] = ("matmul", [], None)  # two computed tensors: see Exporter.matmul
    t[F.pixel_shuffle] = ("pixel_shuffle", ["upscale_factor"], lambda a: {"upscale_factor": a["upscale_factor"]})
    t[F.pixel_unshuffle] = ("pixel_unshuffle", ["downscale_factor"],
                            lambda a: {"downscale_factor": a["downscale_factor"]})
    t[tv.models.shufflenetv2.channel_shuffle] = ("channel_shuffle", ["groups"], lambda a: {"groups": a["groups"]})
    for k in ("contiguous", "clone", "detach", torch.clone):
        t[k] = (None, [], None)
    return t


def traced_functions(tv):
    """Functions the tracer keeps whole (fx would see their views and transposes, not what they mean)."""
    return (tv.models.shufflenetv2.channel_shuffle,)

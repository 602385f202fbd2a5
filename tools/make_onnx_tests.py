#!/usr/bin/env python3
"""make_onnx_tests: the small weightless ONNX files of tests/data/onnx/, rebuilt from scratch.

    /usr/bin/python3 tools/make_onnx_tests.py [--torch]

Built with onnx.helper (python3-onnx): every float initializer keeps its dims and has its data
moved to an absent external file (`data_location: EXTERNAL`), as large models ship; netlens
never opens it. Small integer constants (a Reshape's target) keep their values. With --torch,
also resnet18 exported by torch.onnx.export (python3-torch, python3-torchvision) at opset 13,
weights stripped the same way. The unit tests (tests/unit/test_onnx_*.cpp) assert on these files.
"""
import argparse
import os

import onnx
from onnx import TensorProto, helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "onnx")


def weight(name, dims):
    """A float initializer with dims and no data: its data 'lives' in a file nobody ships."""
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    entry = t.external_data.add()
    entry.key, entry.value = "location", "absent_weights.bin"
    return t


def strip_weights(model):
    """Every float initializer of more than 16 elements loses its data, as weight() makes."""
    for t in model.graph.initializer:
        if t.data_type == TensorProto.FLOAT and len(t.raw_data) > 64:
            t.ClearField("raw_data")
            t.data_location = TensorProto.EXTERNAL
            entry = t.external_data.add()
            entry.key, entry.value = "location", "absent_weights.bin"


def filled(model):
    """A copy whose external initializers hold zeros, for onnx's checker and shape inference."""
    m = onnx.ModelProto()
    m.CopyFrom(model)

    def initializers(graph):  # the graph's, and its If branches'
        yield from graph.initializer
        for node in graph.node:
            for a in node.attribute:
                if a.type == onnx.AttributeProto.GRAPH:
                    yield from initializers(a.g)
    for t in initializers(m.graph):
        if t.data_location == TensorProto.EXTERNAL:
            t.data_location = TensorProto.DEFAULT
            del t.external_data[:]
            count = 1
            for d in t.dims:
                count *= d
            t.raw_data = bytes((2 if t.data_type == TensorProto.FLOAT16 else 4) * count)
    return m


def save(model, name, check=True):
    if check:  # onnx's own checker and shape inference agree with the declared output dims
        onnx.checker.check_model(filled(model), full_check=True)
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    print(f"{path}: {os.path.getsize(path)} bytes")


def tensor(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def model(nodes, inputs, outputs, inits, opset=13, name="g"):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                             producer_name="make_onnx_tests")


def small_cnn():
    """conv-bn-relu, a ceil-mode pool, a conv with asymmetric pads, a residual add, a global pool, Gemm."""
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", kernel_shape=[3, 3], strides=[2, 2],
          pads=[1, 1, 1, 1]),
        n("BatchNormalization", ["c1", "g1", "be1", "m1", "v1"], ["bn1"], name="bn1"),
        n("Relu", ["bn1"], ["r1"], name="relu1"),
        n("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[3, 3], strides=[2, 2],
          pads=[1, 1, 1, 1], ceil_mode=1),
        n("Conv", ["p1", "w2"], ["c2"], name="conv2", kernel_shape=[2, 2], pads=[0, 0, 1, 1]),
        n("Add", ["c2", "p1"], ["s"], name="add"),
        n("GlobalAveragePool", ["s"], ["gap"], name="gap"),
        n("Flatten", ["gap"], ["flat"], name="flatten", axis=1),
        n("Gemm", ["flat", "wf", "bf"], ["y"], name="fc", transB=1),
    ]
    inits = [weight("w1", [8, 3, 3, 3]), weight("b1", [8]), weight("g1", [8]), weight("be1", [8]),
             weight("m1", [8]), weight("v1", [8]), weight("w2", [8, 8, 2, 2]),
             weight("wf", [10, 8]), weight("bf", [10])]
    save(model(nodes, [tensor("x", [1, 3, 32, 32])], [tensor("y", [1, 10])], inits), "small_cnn.onnx")


def nhwc_cnn():
    """A TensorFlow model as tf2onnx writes it: an NHWC input [1, 20, 24, 3] that a Transpose makes NCHW, a
    3x3 conv with stride 2, a max pool, a 1x1 conv transposed back to NHWC, a mean over H and W (axes 1, 2)."""
    n = helper.make_node
    nodes = [
        n("Transpose", ["x"], ["xt"], name="to_nchw", perm=[0, 3, 1, 2]),
        n("Conv", ["xt", "w1", "b1"], ["c1"], name="conv1", kernel_shape=[3, 3], strides=[2, 2],
          pads=[1, 1, 1, 1]),
        n("Relu", ["c1"], ["r1"], name="relu1"),
        n("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        n("Conv", ["p1", "w2"], ["c2"], name="conv2", kernel_shape=[1, 1]),
        n("Transpose", ["c2"], ["c2t"], name="to_nhwc", perm=[0, 2, 3, 1]),
        n("ReduceMean", ["c2t"], ["y"], name="mean", axes=[1, 2], keepdims=0),
    ]
    inits = [weight("w1", [8, 3, 3, 3]), weight("b1", [8]), weight("w2", [16, 8, 1, 1])]
    save(model(nodes, [tensor("x", [1, 20, 24, 3])], [tensor("y", [1, 16])], inits), "nhwc_cnn.onnx")


def waveform():
    """An audio net's input: a [1, 400] waveform that an Unsqueeze gives its channel axis, then Conv1d 25/10,
    Relu, Conv1d 3/2 and a mean over time: netlens reads the input as (batch, samples), no channel axis."""
    n = helper.make_node
    nodes = [
        n("Unsqueeze", ["x", "one"], ["xu"], name="add_channel"),
        n("Conv", ["xu", "w1", "b1"], ["c1"], name="conv1", kernel_shape=[25], strides=[10]),
        n("Relu", ["c1"], ["r1"], name="relu1"),
        n("Conv", ["r1", "w2"], ["c2"], name="conv2", kernel_shape=[3], strides=[2]),
        n("ReduceMean", ["c2"], ["y"], name="mean", axes=[2], keepdims=0),
    ]
    inits = [ints("one", [1]), weight("w1", [8, 1, 25]), weight("b1", [8]), weight("w2", [16, 8, 3])]
    save(model(nodes, [tensor("x", [1, 400])], [tensor("y", [1, 16])], inits), "waveform.onnx")


def group_norm():
    """nn.GroupNorm(4, 16) as torch.onnx exports it before opset 18: Reshape to [1, 4, -1], an
    InstanceNormalization with a scale of ones and a bias of zeros in Constant nodes, Reshape back, the affine
    as Mul and Add of (16, 1, 1) initializers; then a 3x3 conv."""


def circular_pad():
    """Circular padding as a correct exporter writes it without Pad's wrap mode: a Concat of x between its own
    tail and head slices, F.pad(x, (p, q), mode="circular") on one axis (torch 1.13's own export slices one pixel
    off, x[n-p-1:n-1]: another function). On h [x[-1:], x, x[:2]], on w [x, x[:1]] (no slice before)."""
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w1"], ["c1"], name="conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("Slice", ["c1", "m1", "big", "h"], ["h_tail"], name="h_tail"),
        n("Slice", ["c1", "zero", "two", "h"], ["h_head"], name="h_head"),
        n("Concat", ["h_tail", "c1", "h_head"], ["ph"], name="pad_h", axis=2),
        n("Slice", ["ph", "zero", "one", "w"], ["w_head"], name="w_head"),
        n("Concat", ["ph", "w_head"], ["pw"], name="pad_w", axis=3),
        n("Conv", ["pw", "w2"], ["y"], name="conv2", kernel_shape=[3, 3]),
    ]
    inits = [weight("w1", [4, 2, 3, 3]), weight("w2", [4, 4, 3, 3]), ints("m1", [-1]),
             ints("big", [2 ** 62]), ints("zero", [0]), ints("one", [1]), ints("two", [2]), ints("h", [2]),
             ints("w", [3])]
    save(model(nodes, [tensor("x", [1, 2, 7, 6])], [tensor("y", [1, 4, 8, 5])], inits), "circular_pad.onnx")


def fixed_norms():
    """Norms as torch 1.13 exports them: BatchNorm2d(affine=False) and InstanceNorm2d(affine=False) read a
    scale of ones and a bias of zeros from Constant nodes (0 params in torch); an untrained
    InstanceNorm2d(affine=True) reads its ones and zeros from initializers (16 + 16 params in torch)."""
    n = helper.make_node

    def fill(name, value):
        return n("Constant", [], [name], name=name,
                 value=helper.make_tensor(name, TensorProto.FLOAT, [8], [value] * 8))
    nodes = [
        n("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3]),
        fill("bn_ones", 1.0), fill("bn_zeros", 0.0),
        n("BatchNormalization", ["c", "bn_ones", "bn_zeros", "mean", "var"], ["bn"], name="bn"),
        fill("in_ones", 1.0), fill("in_zeros", 0.0),
        n("InstanceNormalization", ["bn", "in_ones", "in_zeros"], ["in"], name="in"),
        n("InstanceNormalization", ["in", "in_aff.weight", "in_aff.bias"], ["y"], name="in_aff"),
    ]
    inits = [weight("w", [8, 3, 3, 3]), weight("mean", [8]), weight("var", [8]),
             helper.make_tensor("in_aff.weight", TensorProto.FLOAT, [8], [1.0] * 8),
             helper.make_tensor("in_aff.bias", TensorProto.FLOAT, [8], [0.0] * 8)]
    save(model(nodes, [tensor("x", [1, 3, 10, 10])], [tensor("y", [1, 8, 8, 8])], inits), "fixed_norms.onnx")
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("Reshape", ["c1", "groups"], ["g"], name="to_groups"),
        n("Constant", [], ["ones"], name="ones", value=helper.make_tensor("o", TensorProto.FLOAT, [4], [1.0] * 4)),
        n("Constant", [], ["zeros"], name="zeros", value=helper.make_tensor("z", TensorProto.FLOAT, [4], [0.0] * 4)),
        n("InstanceNormalization", ["g", "ones", "zeros"], ["gn"], name="norm", epsilon=1e-5),
        n("Reshape", ["gn", "back"], ["r"], name="to_channels"),
        n("Mul", ["r", "gamma"], ["m"], name="gamma_mul"),
        n("Add", ["m", "beta"], ["a"], name="beta_add"),
        n("Conv", ["a", "w2"], ["y"], name="conv2", kernel_shape=[3, 3], strides=[2, 2]),
    ]
    inits = [weight("w1", [16, 3, 3, 3]), weight("b1", [16]), ints("groups", [1, 4, -1]), ints("back", [1, 16, 12, 12]),
             weight("gamma", [16, 1, 1]), weight("beta", [16, 1, 1]), weight("w2", [8, 16, 3, 3])]
    save(model(nodes, [tensor("x", [1, 3, 12, 12])], [tensor("y", [1, 8, 5, 5])], inits), "group_norm.onnx")


def view_flatten():
    """x.view(x.size(0), -1) as torch exports it: Shape -> Gather -> Unsqueeze -> Concat -> Reshape."""
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3]),
        n("Shape", ["c"], ["shape"], name="shape"),
        n("Constant", [], ["zero"], name="zero", value=helper.make_tensor("z", TensorProto.INT64, [], [0])),
        n("Gather", ["shape", "zero"], ["batch"], name="gather", axis=0),
        n("Unsqueeze", ["batch", "axes"], ["batch1"], name="unsqueeze"),
        n("Constant", [], ["minus1"], name="minus1",
          value=helper.make_tensor("m", TensorProto.INT64, [1], [-1])),
        n("Concat", ["batch1", "minus1"], ["target"], name="concat", axis=0),
        n("Reshape", ["c", "target"], ["flat"], name="view"),
        n("MatMul", ["flat", "wf"], ["y"], name="fc"),
    ]
    inits = [weight("w", [4, 2, 3, 3]), helper.make_tensor("axes", TensorProto.INT64, [1], [0]),
             weight("wf", [4 * 6 * 6, 5])]
    save(model(nodes, [tensor("x", ["batch_size", 2, 8, 8])], [tensor("y", ["batch_size", 5])], inits),
         "view_flatten.onnx")


def upsample_net():
    """ConvTranspose with output_padding, Resize by scales, Concat of channels, Pad, AveragePool SAME_UPPER."""
    n = helper.make_node
    nodes = [
        n("ConvTranspose", ["x", "wt"], ["up"], name="deconv", kernel_shape=[3, 3], strides=[2, 2],
          pads=[1, 1, 1, 1], output_padding=[1, 1]),
        n("Resize", ["x", "", "scales"], ["rs"], name="resize", mode="nearest",
          coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
        n("Concat", ["up", "rs"], ["cat"], name="cat", axis=1),
        n("Pad", ["cat", "pads"], ["padded"], name="pad", mode="constant"),
        n("AveragePool", ["padded"], ["y"], name="pool", kernel_shape=[3, 3], strides=[2, 2],
          auto_pad="SAME_UPPER"),
    ]
    inits = [weight("wt", [4, 6, 3, 3]),
             helper.make_tensor("scales", TensorProto.FLOAT, [4], [1, 1, 2, 2]),
             helper.make_tensor("pads", TensorProto.INT64, [8], [0, 0, 1, 0, 0, 0, 0, 2])]
    save(model(nodes, [tensor("x", [2, 4, 5, 5])], [tensor("y", [2, 10, 6, 6])], inits),
         "upsample_net.onnx")


def mlp():
    """A [batch, features] input: Gemm, Relu, a per-feature Mul by a constant, MatMul, Softmax."""
    n = helper.make_node
    nodes = [
        n("Gemm", ["x", "w1", "b1"], ["h"], name="fc1", transB=1),
        n("Relu", ["h"], ["r"], name="relu"),
        n("Mul", ["r", "gain"], ["g"], name="gain"),
        n("MatMul", ["g", "w2"], ["z"], name="fc2"),
        n("Softmax", ["z"], ["y"], name="softmax", axis=1),
    ]
    inits = [weight("w1", [32, 20]), weight("b1", [32]), weight("gain", [32]), weight("w2", [32, 10])]
    save(model(nodes, [tensor("x", [4, 20])], [tensor("y", [4, 10])], inits), "mlp.onnx")


def shuffle_block():
    """ShuffleNet's x.chunk(2, dim=1) and channel_shuffle as torch exports them: the chunk sizes
    from Shape -> Gather -> Add -> Div -> Mul, then Reshape -> Transpose -> Reshape."""
    n = helper.make_node

    def const(name, values):
        return n("Constant", [], [name], name=name,
                 value=helper.make_tensor(name, TensorProto.INT64, [len(values)], values))
    nodes = [
        n("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[1, 1]),
        n("Shape", ["c"], ["shape"], name="shape"),
        const("one", [1]), const("zero", [0]), const("two", [2]),
        n("Gather", ["shape", "one"], ["channels"], name="gather", axis=0),
        n("Add", ["channels", "one"], ["plus1"], name="plus1"),
        n("Div", ["plus1", "two"], ["half"], name="half"),
        n("Mul", ["half", "two"], ["whole"], name="whole"),
        n("Slice", ["c", "zero", "half", "one"], ["a"], name="chunk0"),
        n("Slice", ["c", "half", "whole", "one"], ["b"], name="chunk1"),
        n("Relu", ["b"], ["rb"], name="relu"),
        n("Concat", ["a", "rb"], ["cat"], name="cat", axis=1),
        const("groups", [1, 2, 4, 6, 6]),
        n("Reshape", ["cat", "groups"], ["g"], name="split_groups"),
        n("Transpose", ["g"], ["t"], name="swap", perm=[0, 2, 1, 3, 4]),
        const("back", [1, -1, 6, 6]),
        n("Reshape", ["t", "back"], ["y"], name="shuffle"),
    ]
    save(model(nodes, [tensor("x", [1, 3, 6, 6])], [tensor("y", [1, 8, 6, 6])], [weight("w", [8, 3, 1, 1])]),
         "shuffle_block.onnx")


def shared_weights():
    """Two convs reading one weight initializer (each counts it, the totals say
    how much is shared), a per-channel Mul by an initializer, a batch norm's buffers."""
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w"], ["a"], name="conv_a", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("Conv", ["x", "w", "b"], ["c"], name="conv_b", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("Add", ["a", "c"], ["s"], name="add"),
        n("Mul", ["s", "gamma"], ["m"], name="layer_scale"),
        n("BatchNormalization", ["m", "g", "be", "mean", "var"], ["y"], name="bn"),
    ]
    inits = [weight("w", [4, 3, 3, 3]), weight("b", [4]), weight("gamma", [1, 4, 1, 1]),
             weight("g", [4]), weight("be", [4]), weight("mean", [4]), weight("var", [4])]
    save(model(nodes, [tensor("x", [1, 3, 16, 16])], [tensor("y", [1, 4, 16, 16])], inits),
         "shared_weights.onnx")


def ints(name, values, dims=None):
    """An int64 initializer that keeps its values (a Reshape's target, a Gather's indices)."""
    return helper.make_tensor(name, TensorProto.INT64, [len(values)] if dims is None else dims,
                              values)


def token_attention():
    """A ViT-like block as exporters spell it: patches by a conv, Reshape and Transpose to
    tokens, a class token concatenated (an initializer), q = x Wq, softmax(q k^T) v by MatMuls of
    computed tensors, a second graph input added, the class token gathered: every tensor after
    the Reshape is a whole tensor (docs/semantics.md)."""
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w", "b"], ["p"], name="patch", kernel_shape=[4, 4], strides=[4, 4]),
        n("Reshape", ["p", "to_tokens"], ["t"], name="tokens"),
        n("Transpose", ["t"], ["tt"], name="nlc", perm=[0, 2, 1]),
        n("Concat", ["cls", "tt"], ["c"], name="with_cls", axis=1),
        n("MatMul", ["c", "wq"], ["q"], name="q"),
        n("Transpose", ["c"], ["kt"], name="k_t", perm=[0, 2, 1]),
        n("MatMul", ["q", "kt"], ["s"], name="scores"),
        n("Softmax", ["s"], ["a"], name="softmax", axis=-1),
        n("MatMul", ["a", "c"], ["o"], name="attend"),
        n("Add", ["o", "extra"], ["r"], name="add_extra"),
        n("Gather", ["r", "first"], ["y"], name="cls_out", axis=1),
    ]
    inits = [weight("w", [6, 3, 4, 4]), weight("b", [6]), ints("to_tokens", [2, 6, 4]),
             weight("cls", [2, 1, 6]), weight("wq", [6, 6]), ints("first", [0], dims=[])]
    save(model(nodes, [tensor("x", [2, 3, 8, 8]), tensor("extra", [2, 5, 6])],
               [tensor("y", [2, 6])], inits), "token_attention.onnx")


def vector():
    """A 1-D input (no batch, no roles): Relu, a Concat with a constant, a ReduceSum to a scalar,
    and a second output computed from shapes alone (a Shape: a constant layer)."""
    n = helper.make_node
    nodes = [
        n("Relu", ["x"], ["r"], name="relu"),
        n("Concat", ["r", "tail"], ["c"], name="cat", axis=0),
        n("ReduceSum", ["c"], ["y"], name="total", keepdims=0),
        n("Shape", ["c"], ["n"], name="length"),
    ]
    inits = [helper.make_tensor("tail", TensorProto.FLOAT, [3], [1.0, 2.0, 3.0])]
    outputs = [tensor("y", []), helper.make_tensor_value_info("n", TensorProto.INT64, [1])]
    save(model(nodes, [tensor("x", [5])], outputs, inits), "vector.onnx")


def folded_shapes():
    """Shape arithmetic the folder evaluates, each checked through a Reshape of x (1x4x6x6, 144
    elements) whose target it computes: a Transpose of a 2-D constant (values permuted), Where
    and Equal, Expand, ScatterND with Pow-made updates, a Slice of a 2-D constant; and a Pad of a
    channels-last tensor, a GlobalAveragePool of a whole tensor."""
    n = helper.make_node
    c = helper.make_tensor
    nodes = [
        n("Shape", ["x"], ["s"], name="shape"),
        n("Reshape", ["s", "two_by_two"], ["s22"], name="s22"),
        n("Transpose", ["s22"], ["t22"], name="t22", perm=[1, 0]),
        n("Reshape", ["t22", "four"], ["target"], name="target"),           # [1, 6, 4, 6]
        n("Reshape", ["x", "target"], ["by_transpose"], name="by_transpose"),
        n("Equal", ["target", "six"], ["is6"], name="is6"),
        n("Expand", ["three", "four"], ["threes"], name="threes"),
        n("Where", ["is6", "threes", "target"], ["w"], name="where"),       # [1, 3, 4, 3]
        n("Concat", ["four", "w"], ["wt"], name="wt", axis=0),               # [4, 1, 3, 4, 3]
        n("Reshape", ["x", "wt"], ["by_where"], name="by_where"),
        n("Pow", ["twos", "ones"], ["upd"], name="pow"),
        n("ScatterND", ["target", "at", "upd"], ["sc"], name="scatter"),     # [2, 6, 2, 6]
        n("Reshape", ["x", "sc"], ["by_scatter"], name="by_scatter"),
        n("Slice", ["t22", "st", "en", "ax"], ["sl"], name="slice2d"),       # [[6], [6]]
        n("Reshape", ["sl", "two"], ["sl2"], name="sl2"),
        n("Concat", ["minus_one", "sl2"], ["st3"], name="st3", axis=0),      # [-1, 6, 6]
        n("Reshape", ["x", "st3"], ["by_slice"], name="by_slice"),
        n("Transpose", ["x"], ["nhwc"], name="nhwc", perm=[0, 2, 3, 1]),
        n("Pad", ["nhwc", "pads"], ["padded"], name="pad_nhwc"),
        n("GlobalAveragePool", ["by_scatter"], ["pooled"], name="pool_whole"),
    ]
    i64 = TensorProto.INT64
    inits = [c("two_by_two", i64, [2], [2, 2]), c("four", i64, [1], [4]), c("six", i64, [], [6]),
             c("three", i64, [1], [3]), c("twos", i64, [2], [2, 2]), c("ones", i64, [2], [1, 1]),
             c("at", i64, [2, 1], [0, 2]), c("st", i64, [2], [0, 1]), c("en", i64, [2], [2, 2]),
             c("ax", i64, [2], [0, 1]), c("two", i64, [1], [2]), c("minus_one", i64, [1], [-1]),
             c("pads", i64, [8], [0, 1, 1, 0, 0, 1, 1, 0])]
    outputs = [tensor("by_transpose", [1, 6, 4, 6]), tensor("by_where", [4, 1, 3, 4, 3]),
               tensor("by_slice", [4, 6, 6]), tensor("padded", [1, 8, 8, 4]),
               tensor("pooled", [2, 6, 1, 1])]
    save(model(nodes, [tensor("x", [1, 4, 6, 6])], outputs, inits), "folded_shapes.onnx")


def cast_weights():
    """Weights that reach their node through folded ops, as converters write them: an fp16 conv
    weight Cast to float, a MatMul weight Transposed. Their elements are the file's params
    (108 + 24), counted once each."""
    n = helper.make_node
    w16 = weight("w16", [4, 3, 3, 3])
    w16.data_type = TensorProto.FLOAT16
    nodes = [
        n("Cast", ["w16"], ["w"], name="to_float", to=TensorProto.FLOAT),
        n("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3]),
        n("GlobalAveragePool", ["c"], ["g"], name="gap"),
        n("Flatten", ["g"], ["f"], name="flatten"),
        n("Transpose", ["wt"], ["wt_t"], name="wt_t", perm=[1, 0]),
        n("MatMul", ["f", "wt_t"], ["y"], name="fc"),
    ]
    save(model(nodes, [tensor("x", [1, 3, 8, 8])], [tensor("y", [1, 6])],
               [w16, weight("wt", [6, 4])]), "cast_weights.onnx")


def fp16_model():
    """A model exported in half precision (model.half()): float16 input, weights and output. Its params are
    stored in 2 bytes each: 314 params in 628 bytes (not 1,256 at float32)."""
    n = helper.make_node

    def half(name, dims):
        t = weight(name, dims)
        t.data_type = TensorProto.FLOAT16
        return t
    nodes = [
        n("Conv", ["x", "w", "b"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("Relu", ["c"], ["r"], name="relu"),
        n("GlobalAveragePool", ["r"], ["p"], name="pool"),
        n("Flatten", ["p"], ["f"], name="flatten"),
        n("Gemm", ["f", "fc_w", "fc_b"], ["y"], name="fc", transB=1),
    ]
    inits = [half("w", [8, 3, 3, 3]), half("b", [8]), half("fc_w", [10, 8]), half("fc_b", [10])]
    save(model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT16, [1, 3, 16, 16])],
               [helper.make_tensor_value_info("y", TensorProto.FLOAT16, [1, 10])], inits), "fp16_model.onnx")


def qdq_weights():
    """A QDQ model as ONNX Runtime's quantizer writes it: activations quantized and dequantized between
    layers (QuantizeLinear -> DequantizeLinear), an int8 conv weight dequantized per channel, and a second
    conv's int8 weight Cast to float and scaled by a Mul. The weights' elements are the file's params:
    108 + 4 (bias) and 16, counted once each."""
    n = helper.make_node

    def int8(name, dims):
        t = weight(name, dims)
        t.data_type = TensorProto.INT8
        return t

    def scalar(name, value, kind=TensorProto.FLOAT):
        return helper.make_tensor(name, kind, [], [value])

    nodes = [
        n("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="quant_x"),
        n("DequantizeLinear", ["xq", "xs", "xz"], ["xd"], name="dequant_x"),
        n("DequantizeLinear", ["wq", "ws", "wz"], ["w"], name="dequant_w", axis=0),
        n("Conv", ["xd", "w", "b"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("Relu", ["c"], ["r"], name="relu"),
        n("Cast", ["w2q"], ["w2f"], name="w2_float", to=TensorProto.FLOAT),
        n("Mul", ["w2f", "w2s"], ["w2"], name="w2_scaled"),
        n("Conv", ["r", "w2"], ["y"], name="conv2", kernel_shape=[1, 1]),
    ]
    inits = [scalar("xs", 0.02), scalar("xz", 0, TensorProto.UINT8), int8("wq", [4, 3, 3, 3]),
             helper.make_tensor("ws", TensorProto.FLOAT, [4], [0.01] * 4),
             helper.make_tensor("wz", TensorProto.INT8, [4], [0] * 4),
             helper.make_tensor("b", TensorProto.FLOAT, [4], [0.0] * 4),
             int8("w2q", [4, 4, 1, 1]), scalar("w2s", 0.05)]
    save(model(nodes, [tensor("x", [1, 3, 8, 8])], [tensor("y", [1, 4, 8, 8])], inits), "qdq_weights.onnx")


def if_branches():
    """If nodes as exporters write them. if_folded: the condition is a shape computation (the input's height
    > 4), so netlens folds it and reads the then branch (a 3x3 conv whose weight is the branch's own
    initializer: 108 params); the else branch (a 1x1 conv) is never read. if_unfolded: the condition is the
    input's mean > 0, known only at run time: then (a relu) is read with a warning unless --onnx-branch
    picks else (a 3x3 max pool); a conv on the outer graph's weight follows either way (4x4x3x3)."""
    n = helper.make_node
    x = [tensor("x", [1, 3, 8, 8])]
    then_graph = helper.make_graph(
        [n("Conv", ["x", "w_then"], ["t"], name="conv3", kernel_shape=[3, 3])], "then", [],
        [tensor("t", [1, 4, 6, 6])], [weight("w_then", [4, 3, 3, 3])])
    else_graph = helper.make_graph(
        [n("Conv", ["x", "w_else"], ["e"], name="conv1", kernel_shape=[1, 1], pads=[0, 0, 0, 0],
           strides=[1, 1]),
         n("MaxPool", ["e"], ["e2"], name="crop", kernel_shape=[3, 3])], "else", [],
        [tensor("e2", [1, 4, 6, 6])], [weight("w_else", [4, 3, 1, 1])])
    nodes = [
        n("Shape", ["x"], ["s"], name="shape"),
        n("Gather", ["s", "two"], ["h"], name="height", axis=0),
        n("Greater", ["h", "four"], ["big"], name="big"),
        n("If", ["big"], ["y"], name="if", then_branch=then_graph, else_branch=else_graph),
    ]
    inits = [helper.make_tensor("two", TensorProto.INT64, [], [2]),
             helper.make_tensor("four", TensorProto.INT64, [], [4])]
    save(model(nodes, x, [tensor("y", [1, 4, 6, 6])], inits), "if_folded.onnx")
    then_graph = helper.make_graph([n("Relu", ["c"], ["t"], name="relu")], "then", [],
                                   [tensor("t", [1, 4, 8, 8])])
    else_graph = helper.make_graph([n("MaxPool", ["c"], ["e"], name="pool", kernel_shape=[3, 3],
                                      pads=[1, 1, 1, 1], strides=[1, 1])], "else", [],
                                   [tensor("e", [1, 4, 8, 8])])
    nodes = [
        n("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("ReduceMean", ["x"], ["m"], name="mean", keepdims=0),
        n("Greater", ["m", "zero"], ["positive"], name="positive"),
        n("If", ["positive"], ["r"], name="if", then_branch=then_graph, else_branch=else_graph),
        n("Conv", ["r", "w2"], ["y"], name="conv2", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    ]
    inits = [weight("w", [4, 3, 3, 3]), weight("w2", [4, 4, 3, 3]),
             helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])]
    save(model(nodes, x, [tensor("y", [1, 4, 8, 8])], inits), "if_unfolded.onnx")


def ort_fused():
    """A file ONNX Runtime's optimizer wrote (domain com.microsoft): a FusedConv with its Relu, the map
    as tokens, a BiasGelu, a SkipLayerNormalization (the residual add and the layer norm in one node) and
    a FusedMatMul. Params: 108 + 4, 4 (the gelu's bias), 4 + 4 + 4, 24 = 152. onnx's checker does not
    know the domain: not checked."""
    n = helper.make_node
    ms = "com.microsoft"
    nodes = [
        n("FusedConv", ["x", "w", "b"], ["c"], name="conv", domain=ms, kernel_shape=[3, 3],
          pads=[1, 1, 1, 1], activation="Relu"),
        n("Reshape", ["c", "tokens_shape"], ["f"], name="flatten"),
        n("Transpose", ["f"], ["t"], name="tokens", perm=[0, 2, 1]),
        n("BiasGelu", ["t", "gelu_bias"], ["g"], name="gelu", domain=ms),
        n("SkipLayerNormalization", ["g", "t", "gamma", "beta", "ln_bias"], ["s"], name="skip_norm",
          domain=ms, epsilon=1e-5),
        n("FusedMatMul", ["s", "w2"], ["y"], name="proj", domain=ms, alpha=1.0),
    ]
    inits = [weight("w", [4, 3, 3, 3]), weight("w2", [4, 6]),
             helper.make_tensor("tokens_shape", TensorProto.INT64, [3], [1, 4, 64])]
    for name in ("b", "gelu_bias", "gamma", "beta", "ln_bias"):
        inits.append(helper.make_tensor(name, TensorProto.FLOAT, [4], [0.0] * 4))
    m = model(nodes, [tensor("x", [1, 3, 8, 8])], [tensor("y", [1, 64, 6])], inits)
    m.opset_import.append(helper.make_opsetid(ms, 1))
    save(m, "ort_fused.onnx", check=False)


def bad_files():
    n = helper.make_node
    inits = [weight("w", [4, 3, 3, 3])]
    x = [tensor("x", [1, 3, 8, 8])]
    y = [tensor("y", [1, 4, 6, 6])]
    conv = n("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3])
    save(model([conv, n("Celu2", ["c"], ["y"], name="odd")], x, y, inits), "bad_op.onnx", check=False)
    save(model([conv, n("FusedThing", ["c"], ["y"], name="fused", domain="com.example")], x, y, inits),
         "bad_domain.onnx", check=False)
    save(model([n("Relu", ["y"], ["c"], name="a"), n("Relu", ["c"], ["y"], name="b")], x, y, []),
         "bad_cycle.onnx", check=False)
    save(model([conv, n("Add", ["c", "nowhere"], ["y"], name="add")], x, y, inits),
         "bad_dangling.onnx", check=False)
    save(model([conv], [tensor("x", [1, 3, "height", 8])], [tensor("c", [1, 4, 6, 6])], inits),
         "symbolic_height.onnx", check=False)
    save(model([n("Conv", ["x", "huge"], ["c"], name="conv", kernel_shape=[3, 3])], x, y,
               [weight("huge", [1 << 40, 1 << 40, 3, 3])]), "bad_dims.onnx", check=False)
    with open(os.path.join(OUT, "small_cnn.onnx"), "rb") as f:
        data = f.read()
    with open(os.path.join(OUT, "bad_truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(OUT, "bad_zeros.onnx"), "wb") as f:
        f.write(bytes(256))


def torch_resnet18():
    import torch
    import torchvision
    net = torchvision.models.resnet18(weights=None).eval()
    path = os.path.join(OUT, "resnet18.onnx")
    torch.onnx.export(net, torch.zeros(1, 3, 224, 224), path, opset_version=13,
                      input_names=["input"], output_names=["logits"])
    m = onnx.load(path)
    strip_weights(m)
    save(m, "resnet18.onnx", check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch", action="store_true", help="also export resnet18 with torch")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    small_cnn()
    nhwc_cnn()
    waveform()
    group_norm()
    fixed_norms()
    circular_pad()
    fp16_model()
    view_flatten()
    upsample_net()
    mlp()
    shuffle_block()
    shared_weights()
    token_attention()
    vector()
    folded_shapes()
    cast_weights()
    qdq_weights()
    if_branches()
    ort_fused()
    bad_files()
    if args.torch:
        torch_resnet18()


if __name__ == "__main__":
    main()

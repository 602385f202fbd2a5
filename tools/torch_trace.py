"""torch_trace: tracing a model for torch2netlens: a NodePathTracer that keeps netlens' modules whole,
fx proxies that unpack on Python 3.11, and one run on zeros that records every node's shape."""
import contextlib
import dis
import inspect
import math

from torch_tables import ExportError, traced_functions


def make_tracer(handled):
    """A NodePathTracer (so nodes are named as get_graph_node_names names them) that keeps the modules
    netlens knows whole and traces through every other container (nn.Sequential, SqueezeExcitation,
    Conv2dNormActivation, ...)."""
    import torchvision
    from torchvision.models import feature_extraction as fe

    class Tracer(fe.NodePathTracer):
        def is_leaf_module(self, m, qualname):
            if any(c in handled for c in type(m).__mro__):
                return True
            return super().is_leaf_module(m, qualname)  # torch.nn's own: a leaf, reported if unknown

    return Tracer(autowrap_modules=(math, torchvision.ops), autowrap_functions=traced_functions(torchvision),
                  leaf_modules=[])


def unpack_proxy(proxy):
    """Proxy.__iter__ for `a, b = x.chunk(2, 1)`: torch 1.13 finds the UNPACK_SEQUENCE by f_lasti // 2,
    which is wrong (or out of range) on Python 3.11; this looks the instruction up by its offset."""
    frame = inspect.currentframe().f_back  # the code that unpacks
    inst = next((i for i in dis.get_instructions(frame.f_code) if i.offset == frame.f_lasti), None)
    if inst is not None and inst.opname == "UNPACK_SEQUENCE":
        return (proxy[i] for i in range(inst.argval))
    return proxy.tracer.iter(proxy)


@contextlib.contextmanager
def unpackable_proxies():
    """While tracing: fx proxies unpack by unpack_proxy."""
    from torch.fx.proxy import Proxy
    original = Proxy.__iter__
    Proxy.__iter__ = unpack_proxy
    try:
        yield
    finally:
        Proxy.__iter__ = original


def record_shapes(gm, input_shape):
    """Runs the traced model once on zeros: fx node -> its tensor's shape (a list for tuples of tensors,
    None for a None in the tuple)."""
    import torch
    from torch import fx

    shapes = {}

    class Recorder(fx.Interpreter):
        def run_node(self, n):
            out = super().run_node(n)
            if isinstance(out, torch.Tensor):
                shapes[n] = tuple(out.shape)
            elif isinstance(out, (tuple, list)) and any(isinstance(t, torch.Tensor) for t in out) and all(
                    isinstance(t, torch.Tensor) or t is None for t in out):  # MultiheadAttention's (out, None)
                shapes[n] = [tuple(t.shape) if t is not None else None for t in out]
            return out

    try:
        with torch.no_grad():
            Recorder(gm).run(torch.zeros(*input_shape))
    except Exception as e:  # noqa: BLE001
        raise ExportError(f"the model fails on a {input_shape} input: {type(e).__name__}: {e}") from e
    return shapes

#!/usr/bin/env python3
"""check_torchvision: every torchvision CNN through tools/torch2netlens.py and `netlens analyze`, its params,
buffers and FLOPs against PyTorch's own.

    /usr/bin/python3 tools/check_torchvision.py --netlens build/src/netlens [MODEL ...] [--keep DIR]
    /usr/bin/python3 tools/check_torchvision.py --transformers [--netlens build/src/netlens] [MODEL ...]

The models: every builder of torchvision.models (classification), .segmentation and .video except the
transformers (vit_*, swin_*, mvit_*, maxvit_*), and tools/every_kind.py's net (3x32x32: the
exporter's rows torchvision does not use). With --transformers: the transformers the exporter carries
(vit_b_16, vit_b_32, vit_l_16, swin_t, swin_s, swin_b at 224x224; netlens' transformer types); without --netlens,
only the export is checked: the params and buffers of the layers it wrote against the model's, and
torch's FLOPs are printed. Built with weights=None (segmentation: also
weights_backbone=None, aux_loss as the builder's default; googlenet and inception_v3: aux_logits=False) in eval
mode. Inputs: 224x224 (inception_v3
299x299), segmentation 520x520, video 16x112x112 (s3d 16x224x224: its last pool is 7x7).

Per model, PyTorch's numbers: params = sum of p.numel() over model.parameters(), buffers = sum of b.numel()
over model.buffers(), FLOPs = tools/torch_flops.py's counter (torch.utils.flop_counter's rules); netlens'
numbers: totals.params, totals.buffers, totals.flops of `netlens analyze SPEC --format json`. One line per
model, then a summary; exit status 1 if any model fails to export or analyze or any number differs.
Needs Debian's python3-torch / python3-torchvision; run by hand, never by CI.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch2netlens import ExportError, build_torchvision, export, spec_text  # noqa: E402
from torch_flops import count_flops  # noqa: E402

TRANSFORMERS = ("vit_", "swin_", "mvit_", "maxvit")
EXPORTED_TRANSFORMERS = ("vit_b_16", "vit_b_32", "vit_l_16", "swin_t", "swin_s", "swin_b")
# Eval mode never runs the Inception nets' auxiliary classifiers: without them, as the oracle and the zoo
# build them (init_weights=False only skips scipy's slow truncated-normal init).
BUILD_KWARGS = {name: {"aux_logits": False, "init_weights": False} for name in ("googlenet", "inception_v3")}


def cnn_models():
    """(name, family) of every torchvision CNN builder: classification, segmentation, video."""
    m = torchvision.models
    families = (("classification", m), ("segmentation", m.segmentation), ("video", m.video))
    return [(name, family) for family, module in families for name in m.list_models(module=module)
            if not name.startswith(TRANSFORMERS)] + [("every_kind", "exporter")]


def input_size(name, family):
    """The spatial input size a model is checked at."""
    if family == "video":
        return [16, 224, 224] if name == "s3d" else [16, 112, 112]
    if family == "segmentation":
        return [520, 520]
    if family == "exporter":
        return [32, 32]
    return [299, 299] if name == "inception_v3" else [224, 224]


def build(name, family):
    """The model in eval mode: a torchvision builder's, or tools/every_kind.py's net."""
    if family == "exporter":
        from every_kind import EveryKind
        return EveryKind().eval()
    return build_torchvision(name, BUILD_KWARGS.get(name, {}))[0]


def torch_numbers(model, size):
    """PyTorch's params, buffers and FLOPs of a model at [1, 3, *size]."""
    return {"params": sum(p.numel() for p in model.parameters()),
            "buffers": sum(b.numel() for b in model.buffers()),
            "flops": count_flops(model, torch.zeros(1, 3, *size))}


def netlens_numbers(netlens, spec_path):
    """netlens' totals of a spec, or the first line of its error."""
    run = subprocess.run([netlens, "analyze", spec_path, "--format", "json"], capture_output=True, text=True)
    if run.returncode != 0:
        lines = [line for line in run.stderr.splitlines() if "error" in line] or run.stderr.splitlines() or ["?"]
        raise RuntimeError(f"netlens exited {run.returncode}: {lines[0]}")
    totals = json.loads(run.stdout)["totals"]
    return {k: totals[k] for k in ("params", "buffers", "flops")}, len(json.loads(run.stdout)["layers"])


def check(name, family, netlens, keep):
    """One model: (line, ok)."""
    size = input_size(name, family)
    shown = f"{name:34} {'x'.join(map(str, size)):>10}"
    try:
        model = build(name, family)
        exporter = export(model, size, 3)
    except ExportError as e:
        return f"{shown}  EXPORT FAILED: {e}", False
    want = torch_numbers(model, size)
    path = os.path.join(keep, f"{name}.yaml")
    with open(path, "w") as f:
        f.write(spec_text(exporter, name, size, 3, [f"{name}: exported by tools/check_torchvision.py"]))
    if netlens is None:
        return export_only(shown, exporter, want)
    try:
        got, layers = netlens_numbers(netlens, path)
    except RuntimeError as e:
        return f"{shown}  ANALYZE FAILED: {e}", False
    cells = [f"{layers:4} layers"]
    for key in ("params", "buffers", "flops"):
        same = got[key] == want[key]
        cells.append(f"{key} {want[key]:,}" + ("" if same else f" != netlens {got[key]:,}"))
    ok = got == want
    return f"{shown}  {'ok  ' if ok else 'DIFF'}  " + ", ".join(cells), ok


def export_only(shown, exporter, want):
    """Without netlens: the exported layers' params and buffers against the model's; torch's FLOPs."""
    got = {"params": sum(p.numel() for p in exporter.params_used.values()),
           "buffers": sum(b.numel() for b in exporter.buffers_used.values())}
    cells = [f"{len(exporter.layers):4} layers"]
    for key in ("params", "buffers"):
        cells.append(f"{key} {want[key]:,}" + ("" if got[key] == want[key] else f" != exported {got[key]:,}"))
    cells.append(f"torch flops {want['flops']:,}")
    ok = all(got[k] == want[k] for k in got)
    return f"{shown}  {'ok  ' if ok else 'DIFF'}  " + ", ".join(cells), ok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("models", nargs="*", metavar="MODEL", help="only these (default: every CNN)")
    p.add_argument("--netlens", help="the netlens binary (required but with --transformers)")
    p.add_argument("--transformers", action="store_true",
                   help="the transformers the exporter carries (without --netlens: check the export only)")
    p.add_argument("--keep", help="write the exported specs here (default: a temporary directory)")
    args = p.parse_args()
    if not args.netlens and not args.transformers:
        p.error("--netlens is required (but with --transformers)")
    candidates = [(n, "transformer") for n in EXPORTED_TRANSFORMERS] if args.transformers else cnn_models()
    todo = [(n, f) for n, f in candidates if not args.models or n in args.models]
    unknown = set(args.models) - {n for n, _ in todo}
    if unknown:
        p.error(f"not a torchvision {'transformer' if args.transformers else 'CNN'} this checks: "
                f"{', '.join(sorted(unknown))}")
    shown = args.netlens or "(none: export only)"
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, netlens {shown}")
    with tempfile.TemporaryDirectory() as tmp:
        keep = args.keep or tmp
        os.makedirs(keep, exist_ok=True)
        results = []
        for name, family in todo:
            start = time.time()
            line, ok = check(name, family, args.netlens, keep)
            print(f"{line}  ({time.time() - start:.0f} s)", flush=True)
            results.append((family, ok))
    for family in ("classification", "segmentation", "video", "exporter", "transformer"):
        oks = [ok for f, ok in results if f == family]
        if oks:
            what = "params, buffers, FLOPs" if args.netlens else "exported params and buffers"
            print(f"{family}: {sum(oks)} of {len(oks)} models equal ({what})")
    print(f"all: {sum(ok for _, ok in results)} of {len(results)} models equal")
    sys.exit(0 if all(ok for _, ok in results) else 1)


if __name__ == "__main__":
    main()

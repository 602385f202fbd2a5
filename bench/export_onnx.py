#!/usr/bin/env python3
"""export_onnx: a torchvision model exported to ONNX with its (random) weights, for scripts/bench.sh.

    /usr/bin/python3 bench/export_onnx.py resnet50 OUT.onnx

weights=None, eval mode, 1x3x224x224, opset 13 (batch norm folded into the convs, as
torch.onnx.export does in eval mode): resnet50's file is 98 MB.
"""
import sys

import torch
import torchvision


def main():
    name, out = sys.argv[1], sys.argv[2]
    net = getattr(torchvision.models, name)(weights=None).eval()
    with torch.no_grad():
        torch.onnx.export(net, torch.zeros(1, 3, 224, 224), out, opset_version=13)


if __name__ == "__main__":
    main()

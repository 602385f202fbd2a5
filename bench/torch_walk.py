#!/usr/bin/python3
# The PyTorch way to get a net's layer shapes, as a baseline for netlens: build
# torchvision's model (weights=None), hook every leaf module, run one forward
# pass on zeros(1, 3, 224, 224) on the CPU and print each leaf's output shape
# (a torchinfo-style walk). scripts/bench.sh times the whole process: imports
# included, that is what a user pays. Needs Debian's python3-torch and
# python3-torchvision (run it with /usr/bin/python3).
#   /usr/bin/python3 bench/torch_walk.py vgg16|resnet50
import sys

import torch
import torchvision

MODELS = {'vgg16': torchvision.models.vgg16, 'resnet50': torchvision.models.resnet50}


def main(argv):
    if len(argv) != 1 or argv[0] not in MODELS:
        print('usage: torch_walk.py vgg16|resnet50', file=sys.stderr)
        return 2
    model = MODELS[argv[0]](weights=None).eval()
    rows = []

    def hook(name):
        def record(module, inputs, output):
            rows.append((name, type(module).__name__, tuple(output.shape)))
        return record

    for name, module in model.named_modules():
        if next(module.children(), None) is None:  # a leaf
            module.register_forward_hook(hook(name))
    with torch.no_grad():
        model(torch.zeros(1, 3, 224, 224))
    print('%s: input (1, 3, 224, 224), %d leaf layers' % (argv[0], len(rows)))
    for i, (name, kind, shape) in enumerate(rows, start=1):
        print('%3d  %-24s %-20s %s' % (i, name, kind, list(shape)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

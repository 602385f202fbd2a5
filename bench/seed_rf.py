# !/usr/bin/env python
# The seed's receptive-field script (shared/seed/000_4bee23248c11eeec.txt,
# section 8.1), ported to Python 3 as the benchmark baseline of netlens.
# The logic is unchanged: outFromIn and inFromOut are recomputed from the
# first layer for every layer, so the loop is quadratic in the depth, as
# written. Only the print syntax and `/` -> `//` (Python 2's integer division)
# changed (the docstrings are the seed's: "feature map size", "receptive
# field size"). Additions, all outside the seed's code: the resnet50 main path
# (EXTRA_NETS), the chain generator and a CLI to run one net:
#   python3 bench/seed_rf.py                  the seed's table (its original loop)
#   python3 bench/seed_rf.py NET              alexnet, vgg16, zf-5 or resnet50
#   python3 bench/seed_rf.py --chain N        N layers of [3, 1, 1]
import sys

# [filter size, stride, padding]
net_struct = {'alexnet': {'net':[[11,4,0],[3,2,0],[5,1,2],[3,2,0],[3,1,1],[3,1,1],[3,1,1],[3,2,0]],
                   'name':['conv1','pool1','conv2','pool2','conv3','conv4','conv5','pool5']},
       'vgg16': {'net':[[3,1,1],[3,1,1],[2,2,0],[3,1,1],[3,1,1],[2,2,0],[3,1,1],[3,1,1],[3,1,1],
                        [2,2,0],[3,1,1],[3,1,1],[3,1,1],[2,2,0],[3,1,1],[3,1,1],[3,1,1],[2,2,0]],
                 'name':['conv1_1','conv1_2','pool1','conv2_1','conv2_2','pool2','conv3_1','conv3_2',
                         'conv3_3', 'pool3','conv4_1','conv4_2','conv4_3','pool4','conv5_1','conv5_2','conv5_3','pool5']},
       'zf-5':{'net': [[7,2,3],[3,2,1],[5,2,2],[3,2,1],[3,1,1],[3,1,1],[3,1,1]],
               'name': ['conv1','pool1','conv2','pool2','conv3','conv4','conv5']}}


def outFromIn(isz, net, layernum):
    """
    计算feature map大小
    """
    totstride = 1
    insize = isz
    for layer in range(layernum):
        fsize, stride, pad = net[layer]
        outsize = (insize - fsize + 2*pad) // stride + 1
        insize = outsize
        totstride = totstride * stride
    return outsize, totstride

def inFromOut(net, layernum):
    """
    计算感受野receptive file大小
    """
    RF = 1
    for layer in reversed(range(layernum)):
        fsize, stride, pad = net[layer]
        RF = ((RF -1)* stride) + fsize
    return RF


# --- Additions for the benchmark (not in the seed) -------------------------

def resnet50_main_path():
    """ResNet-50's main path only (torchvision layout: the stride of a
    downsampling bottleneck is on its 3x3 conv2): the script has no notion of
    branches, so the shortcuts (and their 1x1 downsample convs) are left out."""
    net = [[7,2,3],[3,2,1]]
    name = ['conv1','maxpool']
    for stage, blocks in enumerate([3,4,6,3], start=1):
        for b in range(blocks):
            s = 2 if stage > 1 and b == 0 else 1
            prefix = 'layer%d.%d.' % (stage, b)
            net += [[1,1,0],[3,s,1],[1,1,0]]
            name += [prefix + 'conv1', prefix + 'conv2', prefix + 'conv3']
    return {'net': net, 'name': name}

# Kept apart from net_struct so that the seed's loop prints exactly its table.
EXTRA_NETS = {'resnet50': resnet50_main_path()}


def chain(n):
    """N layers of [3, 1, 1] (the size stays 224)."""
    return {'net': [[3,1,1]] * n, 'name': ['layer%d' % i for i in range(n)]}


def print_net(imsize, net, struct):
    """The body of the seed's loop, for one net."""
    print('************net structrue name is %s**************'% net)
    for i in range(len(struct['net'])):
        p = outFromIn(imsize,struct['net'], i+1)
        rf = inFromOut(struct['net'], i+1)
        print("Layer Name = %s, Output size = %3d, Stride = % 3d, RF size = %3d" % (struct['name'][i], p[0], p[1], rf))


def main(argv):
    imsize = 224
    usage = 'usage: seed_rf.py [alexnet|vgg16|zf-5|resnet50 | --chain N]'
    if len(argv) == 0:
        # The seed's original loop.
        print("layer output sizes given image = %dx%d" % (imsize, imsize))

        for net in net_struct.keys():
            print('************net structrue name is %s**************'% net)
            for i in range(len(net_struct[net]['net'])):
                p = outFromIn(imsize,net_struct[net]['net'], i+1)
                rf = inFromOut(net_struct[net]['net'], i+1)
                print("Layer Name = %s, Output size = %3d, Stride = % 3d, RF size = %3d" % (net_struct[net]['name'][i], p[0], p[1], rf))
        return 0
    if argv[0] == '--chain' and len(argv) == 2 and argv[1].isdigit() and int(argv[1]) > 0:
        name, struct = 'chain%s' % argv[1], chain(int(argv[1]))
    elif len(argv) == 1 and argv[0] in net_struct:
        name, struct = argv[0], net_struct[argv[0]]
    elif len(argv) == 1 and argv[0] in EXTRA_NETS:
        name, struct = argv[0], EXTRA_NETS[argv[0]]
    else:
        print(usage, file=sys.stderr)
        return 2
    print("layer output sizes given image = %dx%d" % (imsize, imsize))
    print_net(imsize, name, struct)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

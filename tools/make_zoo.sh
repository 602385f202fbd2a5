#!/usr/bin/env bash
# Regenerates the torchvision twins in nets/ and the exported test models in tests/data/models/ with
# tools/torch2netlens.py (run from the repository root). Needs Debian's python3-torch and python3-torchvision (torch 1.13, torchvision 0.14):
#   apt-get install -y python3-torch python3-torchvision python3-yaml
# nets/unet.yaml and nets/fcn32s.yaml are hand-written; check them with
#   /usr/bin/python3 tools/zoo_extra.py --netlens build/src/netlens
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-/usr/bin/python3}
gen() {  # name input description [torch2netlens options...]
  local name=$1 input=$2 desc=$3
  shift 3
  "$py" tools/torch2netlens.py "$name" --input "$input" --description "$desc" "$@" -o "nets/$name.yaml"
}
he='He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition", CVPR 2016 (torchvision)'
gen resnet18 224 "ResNet-18: $he"
gen resnet50 224 "ResNet-50: $he"
gen resnet101 224 "ResNet-101: $he"
gen resnet152 224 "ResNet-152: $he"
# aux_logits=False: eval mode never runs the auxiliary classifiers; the oracle counts without them.
gen googlenet 224 'GoogLeNet (Inception v1): Szegedy et al., "Going Deeper with Convolutions", CVPR 2015 (torchvision, with batch norm)' \
  --kwarg aux_logits=False
gen inception_v3 299 'Inception v3: Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", CVPR 2016 (torchvision)' \
  --kwarg aux_logits=False
gen mobilenet_v2 224 'MobileNetV2: Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", CVPR 2018 (torchvision)'
gen densenet121 224 'DenseNet-121: Huang, Liu, van der Maaten & Weinberger, "Densely Connected Convolutional Networks", CVPR 2017 (torchvision)'
gen squeezenet1_0 224 'SqueezeNet 1.0: Iandola et al., "SqueezeNet: AlexNet-level accuracy with 50x fewer parameters and <0.5MB model size", 2016 (torchvision)'
gen efficientnet_b0 224 'EfficientNet-B0: Tan & Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks", ICML 2019 (torchvision)'
gen mobilenet_v3_large 224 'MobileNetV3-Large: Howard et al., "Searching for MobileNetV3", ICCV 2019 (torchvision)'
gen regnet_y_400mf 224 'RegNetY-400MF: Radosavovic et al., "Designing Network Design Spaces", CVPR 2020 (torchvision)'
gen convnext_tiny 224 'ConvNeXt-T: Liu et al., "A ConvNet for the 2020s", CVPR 2022 (torchvision)'
gen shufflenet_v2_x1_0 224 'ShuffleNetV2 1.0x: Ma, Zhang, Zheng & Sun, "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design", ECCV 2018 (torchvision)'
gen mnasnet1_0 224 'MnasNet 1.0: Tan et al., "MnasNet: Platform-Aware Neural Architecture Search for Mobile", CVPR 2019 (torchvision)'
# Segmentation: weights_backbone=None, and aux_loss as the builder's default (None: no auxiliary head).
gen deeplabv3_resnet50 520 'DeepLabv3 ResNet-50: Chen, Papandreou, Schroff & Adam, "Rethinking Atrous Convolution for Semantic Image Segmentation", 2017 (torchvision, 21 classes)'
gen r2plus1d_18 16x112x112 'R(2+1)D-18: Tran et al., "A Closer Look at Spatiotemporal Convolutions for Action Recognition", CVPR 2018 (torchvision, 16 frames)'
# Transformers; FLOPs as tools/torch_flops.py counts them (2 x MACs).
gen vit_b_16 224 'ViT-B/16: Dosovitskiy et al., "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale", ICLR 2021 (torchvision). 86,567,656 params, 35.13 GFLOPs (17.56 GMACs)'
gen swin_t 224 'Swin-T: Liu et al., "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows", ICCV 2021 (torchvision). 28,288,354 params + 28,812 buffers, 8.98 GFLOPs (4.49 GMACs)'

# Test inputs, not bundled: the oracle's other torchvision models (tests/unit/test_oracle_zoo.cpp reads them).
mkdir -p tests/data/models
for name in resnet34 resnext50_32x4d squeezenet1_1 vgg16_bn wide_resnet50_2; do
  "$py" tools/torch2netlens.py "$name" --input 224 -o "tests/data/models/$name.yaml"
done

# Transformers: the specs of tests/data/transformers.json (tools/transformer_truth.py) and
# tests/data/swin_regions.json (tools/swin_regions.py); tiny_* are tools/tiny_transformers.py's.
for name in vit_b_16 vit_b_32 swin_t; do
  "$py" tools/torch2netlens.py "$name" --input 224 -o "tests/data/models/$name.yaml"
done
"$py" tools/torch2netlens.py --module tools.tiny_transformers:tiny_vit --input 32 --name tiny_vit \
  -o tests/data/models/tiny_vit.yaml
for size in 32 36; do
  "$py" tools/torch2netlens.py --module tools.tiny_transformers:tiny_swin --input "$size" --name "tiny_swin_$size" \
    -o "tests/data/models/tiny_swin_$size.yaml"
done

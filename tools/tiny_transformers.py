"""tiny_transformers: a small ViT and a small Swin built from torchvision 0.14's own classes, so that tests of
netlens' transformer layers run in milliseconds (tools/transformer_truth.py, tools/swin_regions.py,
tools/make_zoo.sh: `--module tools.tiny_transformers:tiny_vit`).

tiny_vit: VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=3, hidden_dim=48, mlp_dim=96,
num_classes=10): 4x4 patches + a class token = 17 tokens of 48; 3 heads (odd: torch 1.13's fused attention
is not taken, so its unfused ops are counted).
tiny_swin: SwinTransformer(patch_size=[4, 4], embed_dim=24, depths=[2, 2], num_heads=[3, 6], window_size=[4, 4],
num_classes=10): at 32x32 an 8x8 grid (2x2 windows, shift 2), then 4x4 (one window, shift dropped); at 36x36
a 9x9 grid padded to 12x12 (3x3 windows, shift 2), merged to 5x5 (odd: padded), padded to 8x8 (shift 2).
"""
import torchvision.models.swin_transformer as swin
import torchvision.models.vision_transformer as vit


def tiny_vit():
    return vit.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=3, hidden_dim=48,
                                 mlp_dim=96, num_classes=10)


def tiny_swin():
    return swin.SwinTransformer(patch_size=[4, 4], embed_dim=24, depths=[2, 2], num_heads=[3, 6],
                                window_size=[4, 4], num_classes=10)

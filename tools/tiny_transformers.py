"""tiny_transformers: a small ViT and a small Swin built from torchvision 0.14's own classes, so that tests of
netlens' transformer layers run in milliseconds (tools/transformer_truth.py, tools/swin_regions.py,
tools/make_zoo.sh: `--module tools.tiny_transformers:tiny_vit`).

tiny_vit: VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=3, hidden_dim=48, mlp_dim=96,
num_classes=10): 4x4 patches + a class token = 17 tokens of 48; 3 heads (odd: torch 1.13's fused attention
is not taken, so its unfused ops are counted).
tiny_swin: SwinTransformer(patch_size=[4, 4], embed_dim=24, depths=[2, 2], num_heads=[3, 6], window_size=[4, 4],
num_classes=10): at 32x32 an 8x8 grid (2x2 windows, shift 2), then 4x4 (one window, shift dropped); at 36x36
a 9x9 grid padded to 12x12 (3x3 windows, shift 2), merged to 5x5 (odd: padded), padded to 8x8 (shift 2).
free_vit: a ViT written by hand, without torchvision's check of the image size: 4x4 patches of a 32x32 image, a
class token and a learned table of 65 positions; it runs wherever the patches make an 8x8 grid (32 to 35).
"""
import torch
import torchvision.models.swin_transformer as swin
import torchvision.models.vision_transformer as vit
from torch import nn


def tiny_vit():
    return vit.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=3, hidden_dim=48,
                                 mlp_dim=96, num_classes=10)


def tiny_swin():
    return swin.SwinTransformer(patch_size=[4, 4], embed_dim=24, depths=[2, 2], num_heads=[3, 6],
                                window_size=[4, 4], num_classes=10)


class FreeVit(nn.Module):
    def __init__(self, c=16, heads=2):
        super().__init__()
        self.conv_proj = nn.Conv2d(3, c, 4, stride=4)
        self.class_token = nn.Parameter(torch.zeros(1, 1, c))
        self.pos_embedding = nn.Parameter(torch.zeros(1, 65, c))
        self.ln = nn.LayerNorm(c)
        self.attention = nn.MultiheadAttention(c, heads, batch_first=True)
        self.head = nn.Linear(c, 10)

    def forward(self, x):
        x = self.conv_proj(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.class_token.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.pos_embedding
        y = self.ln(x)
        x = x + self.attention(y, y, y, need_weights=False)[0]
        return self.head(x[:, 0])


def free_vit():
    return FreeVit()

"""every_kind: a small net (3x32x32 in) made of what tools/torch2netlens.py maps but torchvision's CNNs do
not use, so tools/check_torchvision.py checks those rows too: group / instance norm (with running stats),
PReLU, the rarer activations, pixel (un)shuffle, nn.ChannelShuffle, torch.split by sizes, upsampling to a
fixed size, by 1.5 (nearest-exact), bicubic and to another tensor's size, clamp, sub, div, maximum, minimum,
amax and sum with keepdim, log_softmax, and five outputs.

    /usr/bin/python3 tools/torch2netlens.py --module tools.every_kind:EveryKind --input 32
"""
import torch
import torch.nn.functional as F
from torch import nn


class EveryKind(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.gn = nn.GroupNorm(4, 16)
        self.inn = nn.InstanceNorm2d(16, affine=True, track_running_stats=True)
        self.prelu = nn.PReLU(16)
        self.acts = nn.Sequential(nn.Mish(), nn.SELU(), nn.CELU(0.5), nn.Hardtanh(-2, 2), nn.Softplus(2, 10),
                                  nn.LeakyReLU(0.2), nn.ELU(), nn.GELU(approximate="tanh"), nn.Hardswish(),
                                  nn.Tanh())
        self.ps = nn.PixelShuffle(2)
        self.pu = nn.PixelUnshuffle(2)
        self.cs = nn.ChannelShuffle(4)
        self.up = nn.Upsample(size=(40, 40), mode="bilinear", align_corners=True)
        self.c2 = nn.Conv2d(16, 16, 1)
        self.lsm = nn.LogSoftmax(dim=1)

    def forward(self, x):
        x = self.prelu(self.inn(self.gn(self.c1(x))))
        x = self.cs(self.pu(self.ps(self.acts(x))))
        a, b = torch.split(x, [4, 12], dim=1)
        y = self.up(x)
        z = F.interpolate(x, scale_factor=1.5, mode="nearest-exact")
        w = F.interpolate(x, scale_factor=2, mode="bicubic", align_corners=False)
        m = torch.maximum(z, torch.clamp(F.interpolate(x, size=z.shape[-2:]), min=0.0))
        s = (y - F.interpolate(x, size=(40, 40))) / (x.amax(dim=(2, 3), keepdim=True) + 1)
        t = torch.minimum(s, s.sum(dim=1, keepdim=True))
        return self.lsm(t), m, self.c2(w), a, b

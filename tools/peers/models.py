"""The models every tool is run on, written once in PyTorch.

Each entry names the engine's definition of the same network: a built-in model (`zoo`) or a JSON
file under test/fixtures/peers/models/ (`json`), which test/engine/peers.test.ts reads. `input` is
the tensor the tools are given, batch included (one sample; a recurrent layer's batch is its second
dimension unless batch_first).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Recurrent(nn.Module):
    """An nn.LSTM or nn.GRU whose output sequence is the model's output (its states dropped)."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        return self.rnn(x)[0]


class Attention(nn.Module):
    """nn.MultiheadAttention as self-attention, attn(x, x, x), as torchvision's ViT calls it."""

    def __init__(self, embed_dim, num_heads, need_weights, batch_first):
        super().__init__()
        self.attn = nn.MultiheadAttention(embed_dim, num_heads, batch_first=batch_first)
        self.need_weights = need_weights

    def forward(self, x):
        return self.attn(x, x, x, need_weights=self.need_weights)[0]


class Decoder2d(nn.Module):
    """ConvTranspose2d (grouped, strided), PReLU per channel, Upsample nearest, a grouped conv,
    LeakyReLU, Upsample bilinear, F.interpolate (a function, not a module), PReLU, ConvTranspose2d."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(16, 32, 4, stride=2, padding=1, groups=2)
        self.act1 = nn.PReLU(32)
        self.up2 = nn.Upsample(scale_factor=2, mode="nearest")
        self.conv = nn.Conv2d(32, 32, 3, padding=1, groups=4)
        self.act2 = nn.LeakyReLU(0.1)
        self.up3 = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.act3 = nn.PReLU()
        self.head = nn.ConvTranspose2d(32, 8, 3, padding=1, bias=False)

    def forward(self, x):
        x = self.up3(self.act2(self.conv(self.up2(self.act1(self.up1(x))))))
        x = F.interpolate(x, scale_factor=2, mode="nearest")
        return self.head(self.act3(x))


def decoder_1d():
    return nn.Sequential(
        nn.ConvTranspose1d(8, 16, 3, stride=2, groups=2, bias=False),
        nn.PReLU(),
        nn.ConvTranspose1d(16, 4, 4, stride=2, padding=1),
        nn.Upsample(scale_factor=2, mode="nearest"),
        nn.LeakyReLU(),
    )


def separable_hardswish():
    """A depthwise separable block with GroupNorm and Hardswish, then a classifier."""
    return nn.Sequential(
        nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False),
        nn.GroupNorm(4, 16),
        nn.Hardswish(),
        nn.Conv2d(16, 32, 1, bias=False),
        nn.BatchNorm2d(32),
        nn.Hardswish(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(32, 10),
    )


class PadNarrow(nn.Module):
    """nn.ZeroPad2d (left, right, top, bottom), a conv, Hardsigmoid, x[:, :4] (a view, not a module), a classifier."""

    def __init__(self):
        super().__init__()
        self.pad = nn.ZeroPad2d((1, 2, 1, 2))
        self.conv = nn.Conv2d(3, 8, 3)
        self.gate = nn.Hardsigmoid()
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(4 * 31 * 31, 10)

    def forward(self, x):
        x = self.gate(self.conv(self.pad(x)))
        return self.fc(self.flatten(x[:, :4]))


class DecoderSameChannels(nn.Module):
    """A grouped ConvTranspose2d with as many outputs as inputs, nn.Upsample and F.interpolate to a size, PReLU."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(16, 16, 3, stride=2, padding=1, output_padding=1, groups=4)
        self.up2 = nn.Upsample(size=(20, 20), mode="bilinear", align_corners=False)
        self.act = nn.PReLU(16)

    def forward(self, x):
        x = F.interpolate(self.up2(self.up1(x)), size=(40, 40), mode="nearest")
        return self.act(x)


def upsample_linear_1d():
    return nn.Sequential(nn.Upsample(scale_factor=3, mode="linear", align_corners=False), nn.ConvTranspose1d(4, 4, 2, stride=2), nn.LeakyReLU(0.2))


def torchvision_model(name):
    def build():
        import torchvision

        return getattr(torchvision.models, name)(weights=None)

    return build


# name: (build, input shape with the batch, the engine's model)
MODELS = {
    "alexnet": (torchvision_model("alexnet"), (1, 3, 224, 224), {"zoo": "alexnet"}),
    "vgg16": (torchvision_model("vgg16"), (1, 3, 224, 224), {"zoo": "vgg16"}),
    "resnet18": (torchvision_model("resnet18"), (1, 3, 224, 224), {"zoo": "resnet18"}),
    "resnet50": (torchvision_model("resnet50"), (1, 3, 224, 224), {"zoo": "resnet50"}),
    "mobilenet-v2": (torchvision_model("mobilenet_v2"), (1, 3, 224, 224), {"zoo": "mobilenet-v2"}),
    "mobilenet-v3-small": (torchvision_model("mobilenet_v3_small"), (1, 3, 224, 224), {"zoo": "mobilenet-v3-small"}),
    "efficientnet-b0": (torchvision_model("efficientnet_b0"), (1, 3, 224, 224), {"zoo": "efficientnet-b0"}),
    "vit-b-16": (torchvision_model("vit_b_16"), (1, 3, 224, 224), {"zoo": "vit-b-16"}),
    "lstm-1": (lambda: Recurrent(nn.LSTM(10, 20)), (5, 1, 10), {"json": "lstm-1.json"}),
    "lstm-2": (lambda: Recurrent(nn.LSTM(10, 20, 2)), (5, 1, 10), {"json": "lstm-2.json"}),
    "lstm-1-bidirectional": (lambda: Recurrent(nn.LSTM(10, 20, bidirectional=True)), (5, 1, 10), {"json": "lstm-1-bidirectional.json"}),
    "lstm-2-bidirectional-batch-first": (
        lambda: Recurrent(nn.LSTM(10, 20, 2, batch_first=True, bidirectional=True)),
        (1, 5, 10),
        {"json": "lstm-2-bidirectional-batch-first.json"},
    ),
    "gru-1-batch-first": (lambda: Recurrent(nn.GRU(10, 20, batch_first=True)), (1, 5, 10), {"json": "gru-1-batch-first.json"}),
    "gru-2": (lambda: Recurrent(nn.GRU(10, 20, 2)), (5, 1, 10), {"json": "gru-2.json"}),
    "gru-2-bidirectional": (lambda: Recurrent(nn.GRU(10, 20, 2, bidirectional=True)), (5, 1, 10), {"json": "gru-2-bidirectional.json"}),
    "decoder-2d": (Decoder2d, (1, 16, 8, 8), {"json": "decoder-2d.json"}),
    "decoder-1d": (decoder_1d, (1, 8, 16), {"json": "decoder-1d.json"}),
    "separable-hardswish": (separable_hardswish, (1, 16, 32, 32), {"json": "separable-hardswish.json"}),
    "mha-need-weights": (lambda: Attention(64, 4, need_weights=True, batch_first=False), (10, 1, 64), {"json": "mha-need-weights.json"}),
    "mha-no-weights": (lambda: Attention(64, 4, need_weights=False, batch_first=True), (1, 10, 64), {"json": "mha-no-weights.json"}),
    "pad-narrow": (PadNarrow, (1, 3, 30, 30), {"json": "pad-narrow.json"}),
    "lstm-no-bias-batch-first": (
        lambda: Recurrent(nn.LSTM(10, 20, bias=False, batch_first=True)),
        (1, 5, 10),
        {"json": "lstm-no-bias-batch-first.json"},
    ),
    "gru-2-no-bias": (lambda: Recurrent(nn.GRU(10, 20, 2, bias=False)), (5, 1, 10), {"json": "gru-2-no-bias.json"}),
    "decoder-same-channels": (DecoderSameChannels, (1, 16, 8, 8), {"json": "decoder-same-channels.json"}),
    "upsample-linear-1d": (upsample_linear_1d, (1, 4, 10), {"json": "upsample-linear-1d.json"}),
}


def build(name):
    make, shape, _ = MODELS[name]
    torch.manual_seed(0)
    model = make().eval()
    return model, torch.rand(*shape)

"""Twelve real image classifiers, defined here because torchvision cannot be imported.

torchvision's wheels need the CUDA build of torch, so the architectures whose receptive fields
the site tabulates are written out in this module, compactly, from torchvision's own
definitions (``torchvision/models/*.py``): the same modules in the same order under the same
qualified names (``features.0``, ``layer1.0.conv2``, ``Mixed_5b.branch1x1.conv``,
``trunk_output.block2.block2-0.f.se.fc1`` …), so that a torchvision ``state_dict`` loads into
them key for key, and the same functional calls in ``forward`` where torchvision makes them
(``F.max_pool2d`` / ``F.avg_pool2d`` inside Inception, ``torch.cat``, ``torch.flatten``), so
that an analysis by ``torch.fx`` meets the real code. Every model is built for 1000 classes,
traces with ``torch.fx.symbolic_trace`` and can be built on the meta device
(``with torch.device("meta"): zoo.resnet50()``), which allocates nothing: all twelve take well
under a second, and a meta forward gives every shape without computing a value.

How it is checked (``tests/test_zoo.py``): each model's parameter count equals the number
torchvision publishes for its ImageNet weights (``PUBLISHED_PARAMS``, a count that one wrong
channel, kernel or bias would change), the output of every stage in ``STAGES`` has the shape
the papers and torchvision's comments give, a few state_dict keys have the names and shapes of
torchvision's checkpoints, the output is (1, 1000), and on a real tensor a traced model
computes exactly what the eager one computes.

What the counts include:

- ``googlenet`` is built without its two auxiliary classifiers (as torchvision's pretrained
  GoogLeNet is): 6,624,904.
- ``inception_v3`` is built *with* its auxiliary classifier ``AuxLogits`` (torchvision's
  pretrained Inception v3 keeps it): 27,161,264 = 23,834,568 for the network proper plus
  3,326,696 for ``AuxLogits``. It runs only in training mode; in eval mode the model returns
  the logits alone. ``inception_v3(aux_logits=False)`` leaves it out.

Shared building blocks, as torchvision shares them: ``ConvNormAct`` (torchvision's
``Conv2dNormActivation``, a Sequential conv → norm → activation named ``0``, ``1``, ``2``),
``SqueezeExcitation``, ``InvertedResidual`` (MobileNetV3's block and EfficientNet's MBConv),
``BasicConv2d`` (GoogLeNet's and Inception's conv → BN → ReLU) and ``StochasticDepth`` (the
identity in eval mode). Weights get one ResNet-style initialisation for every model (Kaiming
normal for convolutions, ones and zeros for norms, N(0, 0.01) for linear layers), skipped on
the meta device; the geometry does not depend on it, and real weights come from a torchvision
state_dict.

``MODELS`` maps a name to its constructor, ``PUBLISHED_PARAMS`` to torchvision's parameter
count, ``INPUT`` to the input size of the paper, and ``STAGES`` to the rows of a table of
stage outputs, (label, qualified module name) pairs: the stem's pooling, the last block at
each resolution and the pooling or transition between resolutions where the network has one
(AlexNet and VGG: their poolings), ending with the feature map that global pooling reads.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from functools import partial
from typing import Callable, Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = [
    "MODELS", "PUBLISHED_PARAMS", "STAGES", "INPUT",
    "alexnet", "vgg16", "resnet18", "resnet50", "densenet121", "googlenet", "inception_v3",
    "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0", "convnext_tiny", "regnet_y_400mf",
]

Block = Callable[..., nn.Module]


# --- shared building blocks --------------------------------------------------------------------

def make_divisible(v: float, divisor: int = 8, min_value: Optional[int] = None) -> int:
    """The nearest multiple of ``divisor`` that is not more than 10 % below ``v`` (TF's rule)."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


class ConvNormAct(nn.Sequential):
    """Conv2d → norm → activation (torchvision's ``Conv2dNormActivation``); "same" padding by default."""

    def __init__(self, cin: int, cout: int, kernel_size: int = 3, stride: int = 1,
                 padding: Optional[int] = None, groups: int = 1,
                 norm_layer: Optional[Block] = nn.BatchNorm2d, activation_layer: Optional[Block] = nn.ReLU,
                 dilation: int = 1, bias: Optional[bool] = None) -> None:
        if padding is None:
            padding = (kernel_size - 1) // 2 * dilation
        if bias is None:
            bias = norm_layer is None
        layers: list[nn.Module] = [nn.Conv2d(cin, cout, kernel_size, stride, padding, dilation=dilation,
                                             groups=groups, bias=bias)]
        if norm_layer is not None:
            layers.append(norm_layer(cout))
        if activation_layer is not None:
            layers.append(activation_layer(inplace=True))
        super().__init__(*layers)
        self.out_channels = cout


class SqueezeExcitation(nn.Module):
    """Squeeze-and-excitation (Hu et al. 2018): scale each channel by a gate computed from its mean."""

    def __init__(self, channels: int, squeeze: int, activation: Block = nn.ReLU,
                 scale_activation: Block = nn.Sigmoid) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.activation = activation()
        self.scale_activation = scale_activation()

    def forward(self, x: Tensor) -> Tensor:
        scale = self.fc2(self.activation(self.fc1(self.avgpool(x))))
        return self.scale_activation(scale) * x


class StochasticDepth(nn.Module):
    """Drop a residual branch for a random subset of the batch ("row" mode) while training.

    The identity in eval mode; in training, each sample's branch is kept with probability
    1 − p and rescaled by 1 / (1 − p) (Huang et al. 2016, torchvision's ``StochasticDepth``).
    """

    def __init__(self, p: float) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"drop probability must be in [0, 1], got {p}")
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = 1.0 - self.p
        mask = (torch.rand_like(x[:, :1, :1, :1]) < keep).to(x.dtype)
        return x * mask / keep if keep > 0.0 else x * mask

    def extra_repr(self) -> str:
        return f"p={self.p}"


class InvertedResidual(nn.Module):
    """MobileNetV3's bottleneck and EfficientNet's MBConv: expand 1×1 → depthwise k×k → [SE] → project 1×1.

    ``se`` is the squeeze width (None: no squeeze-excitation), ``se_act``/``se_gate`` its two
    activations; ``drop`` is the stochastic-depth probability (None: no such module, as in
    MobileNetV3).
    """

    def __init__(self, cin: int, expanded: int, cout: int, kernel: int, stride: int, activation: Block,
                 norm_layer: Block, se: Optional[int] = None, se_act: Block = nn.ReLU,
                 se_gate: Block = nn.Sigmoid, drop: Optional[float] = None) -> None:
        super().__init__()
        self.use_res_connect = stride == 1 and cin == cout
        layers: list[nn.Module] = []
        if expanded != cin:
            layers.append(ConvNormAct(cin, expanded, 1, norm_layer=norm_layer, activation_layer=activation))
        layers.append(ConvNormAct(expanded, expanded, kernel, stride, groups=expanded, norm_layer=norm_layer,
                                  activation_layer=activation))
        if se is not None:
            layers.append(SqueezeExcitation(expanded, se, se_act, se_gate))
        layers.append(ConvNormAct(expanded, cout, 1, norm_layer=norm_layer, activation_layer=None))
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(drop) if drop is not None else None
        self.out_channels = cout

    def forward(self, x: Tensor) -> Tensor:
        result = self.block(x)
        if self.use_res_connect:
            if self.stochastic_depth is not None:
                result = self.stochastic_depth(result)
            result += x
        return result


class BasicConv2d(nn.Module):
    """GoogLeNet's and Inception v3's unit: conv (no bias) → BN (eps 0.001) → ReLU."""

    def __init__(self, cin: int, cout: int, **conv) -> None:
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, bias=False, **conv)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(self.bn(self.conv(x)), inplace=True)


def _init(model: nn.Module) -> nn.Module:
    if any(p.is_meta for p in model.parameters()):
        return model  # nothing to fill (and kaiming_normal_'s first call on meta costs seconds)
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm, nn.LayerNorm)):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 0.01)
            nn.init.zeros_(m.bias)
    return model


# --- AlexNet and VGG ---------------------------------------------------------------------------

class AlexNet(nn.Module):
    """Krizhevsky's "one weird trick" AlexNet (arXiv:1404.5997), torchvision's variant (64-192-384-256-256)."""

    def __init__(self, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


class VGG(nn.Module):
    """Simonyan & Zisserman (arXiv:1409.1556): 3×3 convolutions (pad 1) and 2×2 max pooling ("M")."""

    def __init__(self, cfg: list, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        cin = 3
        for v in cfg:
            if v == "M":
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers += [nn.Conv2d(cin, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
                cin = v
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]  # config "D"


# --- ResNet ------------------------------------------------------------------------------------

def conv3x3(cin: int, cout: int, stride: int = 1, groups: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, kernel_size=3, stride=stride, padding=1, groups=groups, bias=False)


def conv1x1(cin: int, cout: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """Two 3×3 convolutions and a shortcut (ResNet-18/34); the first convolution carries the stride."""

    expansion = 1

    def __init__(self, cin: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None) -> None:
        super().__init__()
        self.conv1 = conv3x3(cin, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += x if self.downsample is None else self.downsample(x)
        return self.relu(out)


class Bottleneck(nn.Module):
    """1×1 reduce → 3×3 (with the stride, "ResNet v1.5") → 1×1 expand ×4, and a shortcut (ResNet-50+)."""

    expansion = 4

    def __init__(self, cin: int, planes: int, stride: int = 1, downsample: Optional[nn.Module] = None) -> None:
        super().__init__()
        self.conv1 = conv1x1(cin, planes)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        out += x if self.downsample is None else self.downsample(x)
        return self.relu(out)


class ResNet(nn.Module):
    """He et al. (arXiv:1512.03385): a 7×7/2 stem, 3×3/2 max pooling, four stages of residual blocks."""

    def __init__(self, block: type, layers: list[int], num_classes: int = 1000) -> None:
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)

    def _make_layer(self, block: type, planes: int, blocks: int, stride: int = 1) -> nn.Sequential:
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride),
                                       nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.avgpool(x)
        return self.fc(torch.flatten(x, 1))


# --- DenseNet ----------------------------------------------------------------------------------

class _DenseLayer(nn.Module):
    """BN-ReLU-1×1 conv (to bn_size·k channels) → BN-ReLU-3×3 conv (to k = growth rate channels)."""

    def __init__(self, cin: int, growth_rate: int, bn_size: int, drop_rate: float) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm2d(cin)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(cin, bn_size * growth_rate, kernel_size=1, stride=1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, stride=1, padding=1, bias=False)
        self.drop_rate = float(drop_rate)

    def forward(self, features: list[Tensor]) -> Tensor:
        bottleneck = self.conv1(self.relu1(self.norm1(torch.cat(features, 1))))
        new = self.conv2(self.relu2(self.norm2(bottleneck)))
        if self.drop_rate > 0:
            new = F.dropout(new, p=self.drop_rate, training=self.training)
        return new


class _DenseBlock(nn.ModuleDict):
    """Each layer reads the concatenation of the block's input and of every earlier layer's output."""

    def __init__(self, num_layers: int, cin: int, bn_size: int, growth_rate: int, drop_rate: float) -> None:
        super().__init__()
        for i in range(num_layers):
            self.add_module(f"denselayer{i + 1}", _DenseLayer(cin + i * growth_rate, growth_rate, bn_size, drop_rate))

    def forward(self, init_features: Tensor) -> Tensor:
        features = [init_features]
        for _, layer in self.items():
            features.append(layer(features))
        return torch.cat(features, 1)


class _Transition(nn.Sequential):
    def __init__(self, cin: int, cout: int) -> None:
        super().__init__(OrderedDict([
            ("norm", nn.BatchNorm2d(cin)), ("relu", nn.ReLU(inplace=True)),
            ("conv", nn.Conv2d(cin, cout, kernel_size=1, stride=1, bias=False)),
            ("pool", nn.AvgPool2d(kernel_size=2, stride=2)),
        ]))


class DenseNet(nn.Module):
    """Huang et al. (arXiv:1608.06993), DenseNet-BC: dense blocks joined by 1×1 conv + 2×2 average pooling."""

    def __init__(self, growth_rate: int = 32, block_config: tuple = (6, 12, 24, 16), num_init_features: int = 64,
                 bn_size: int = 4, drop_rate: float = 0.0, num_classes: int = 1000) -> None:
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ("conv0", nn.Conv2d(3, num_init_features, kernel_size=7, stride=2, padding=3, bias=False)),
            ("norm0", nn.BatchNorm2d(num_init_features)),
            ("relu0", nn.ReLU(inplace=True)),
            ("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
        ]))
        c = num_init_features
        for i, num_layers in enumerate(block_config):
            self.features.add_module(f"denseblock{i + 1}", _DenseBlock(num_layers, c, bn_size, growth_rate, drop_rate))
            c += num_layers * growth_rate
            if i != len(block_config) - 1:
                self.features.add_module(f"transition{i + 1}", _Transition(c, c // 2))
                c //= 2
        self.features.add_module("norm5", nn.BatchNorm2d(c))
        self.classifier = nn.Linear(c, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        features = self.features(x)
        out = F.relu(features, inplace=True)
        out = F.adaptive_avg_pool2d(out, (1, 1))
        return self.classifier(torch.flatten(out, 1))


# --- GoogLeNet and Inception v3 ------------------------------------------------------------------

class Inception(nn.Module):
    """GoogLeNet's module: 1×1 | 1×1→3×3 | 1×1→"5×5" | 3×3 max pool→1×1, concatenated.

    The third branch's 3×3 kernel (the paper has 5×5) is torchvision's, kept because the
    weights were trained with it (pytorch/vision#906).
    """

    def __init__(self, cin: int, ch1x1: int, ch3x3red: int, ch3x3: int, ch5x5red: int, ch5x5: int,
                 pool_proj: int) -> None:
        super().__init__()
        self.branch1 = BasicConv2d(cin, ch1x1, kernel_size=1)
        self.branch2 = nn.Sequential(BasicConv2d(cin, ch3x3red, kernel_size=1),
                                     BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1))
        self.branch3 = nn.Sequential(BasicConv2d(cin, ch5x5red, kernel_size=1),
                                     BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1))
        self.branch4 = nn.Sequential(nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
                                     BasicConv2d(cin, pool_proj, kernel_size=1))

    def forward(self, x: Tensor) -> Tensor:
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class GoogLeNet(nn.Module):
    """Szegedy et al. (arXiv:1409.4842), without the two auxiliary classifiers; BN after every conv."""

    def __init__(self, num_classes: int = 1000, transform_input: bool = False, dropout: float = 0.2) -> None:
        super().__init__()
        self.transform_input = transform_input
        self.conv1 = BasicConv2d(3, 64, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(64, 64, kernel_size=1)
        self.conv3 = BasicConv2d(64, 192, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = Inception(192, 64, 96, 128, 16, 32, 32)
        self.inception3b = Inception(256, 128, 128, 192, 32, 96, 64)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = Inception(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = Inception(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = Inception(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = Inception(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = Inception(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.inception5a = Inception(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = Inception(832, 384, 192, 384, 48, 128, 128)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(1024, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = _transform_input(x) if self.transform_input else x
        x = self.maxpool1(self.conv1(x))                      # 64 × 56 × 56
        x = self.maxpool2(self.conv3(self.conv2(x)))          # 192 × 28 × 28
        x = self.maxpool3(self.inception3b(self.inception3a(x)))  # 480 × 14 × 14
        x = self.inception4c(self.inception4b(self.inception4a(x)))
        x = self.maxpool4(self.inception4e(self.inception4d(x)))  # 832 × 7 × 7
        x = self.inception5b(self.inception5a(x))             # 1024 × 7 × 7
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(self.dropout(x))


def _transform_input(x: Tensor) -> Tensor:
    """ImageNet-normalised input → the [-1, 1] scaling the TensorFlow-trained weights expect."""
    x_ch0 = torch.unsqueeze(x[:, 0], 1) * (0.229 / 0.5) + (0.485 - 0.5) / 0.5
    x_ch1 = torch.unsqueeze(x[:, 1], 1) * (0.224 / 0.5) + (0.456 - 0.5) / 0.5
    x_ch2 = torch.unsqueeze(x[:, 2], 1) * (0.225 / 0.5) + (0.406 - 0.5) / 0.5
    return torch.cat((x_ch0, x_ch1, x_ch2), 1)


class InceptionA(nn.Module):
    """35 × 35 grid: 1×1 | 1×1→5×5 | 1×1→3×3→3×3 | 3×3 avg pool→1×1."""

    def __init__(self, cin: int, pool_features: int) -> None:
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch5x5_1 = BasicConv2d(cin, 48, kernel_size=1)
        self.branch5x5_2 = BasicConv2d(48, 64, kernel_size=5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, padding=1)
        self.branch_pool = BasicConv2d(cin, pool_features, kernel_size=1)

    def forward(self, x: Tensor) -> Tensor:
        branch1x1 = self.branch1x1(x)
        branch5x5 = self.branch5x5_2(self.branch5x5_1(x))
        branch3x3dbl = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        branch_pool = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([branch1x1, branch5x5, branch3x3dbl, branch_pool], 1)


class InceptionB(nn.Module):
    """35 → 17 grid reduction: 3×3/2 | 1×1→3×3→3×3/2 | 3×3/2 max pool."""

    def __init__(self, cin: int) -> None:
        super().__init__()
        self.branch3x3 = BasicConv2d(cin, 384, kernel_size=3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, stride=2)

    def forward(self, x: Tensor) -> Tensor:
        branch3x3 = self.branch3x3(x)
        branch3x3dbl = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        branch_pool = F.max_pool2d(x, kernel_size=3, stride=2)
        return torch.cat([branch3x3, branch3x3dbl, branch_pool], 1)


class InceptionC(nn.Module):
    """17 × 17 grid: 7×7 convolutions factorised into 1×7 and 7×1."""

    def __init__(self, cin: int, channels_7x7: int) -> None:
        super().__init__()
        c7 = channels_7x7
        self.branch1x1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch7x7_1 = BasicConv2d(cin, c7, kernel_size=1)
        self.branch7x7_2 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = BasicConv2d(cin, c7, kernel_size=1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch_pool = BasicConv2d(cin, 192, kernel_size=1)

    def forward(self, x: Tensor) -> Tensor:
        branch1x1 = self.branch1x1(x)
        branch7x7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        branch7x7dbl = self.branch7x7dbl_1(x)
        branch7x7dbl = self.branch7x7dbl_3(self.branch7x7dbl_2(branch7x7dbl))
        branch7x7dbl = self.branch7x7dbl_5(self.branch7x7dbl_4(branch7x7dbl))
        branch_pool = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([branch1x1, branch7x7, branch7x7dbl, branch_pool], 1)


class InceptionD(nn.Module):
    """17 → 8 grid reduction: 1×1→3×3/2 | 1×1→1×7→7×1→3×3/2 | 3×3/2 max pool."""

    def __init__(self, cin: int) -> None:
        super().__init__()
        self.branch3x3_1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch3x3_2 = BasicConv2d(192, 320, kernel_size=3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch7x7x3_2 = BasicConv2d(192, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192, 192, kernel_size=3, stride=2)

    def forward(self, x: Tensor) -> Tensor:
        branch3x3 = self.branch3x3_2(self.branch3x3_1(x))
        branch7x7x3 = self.branch7x7x3_2(self.branch7x7x3_1(x))
        branch7x7x3 = self.branch7x7x3_4(self.branch7x7x3_3(branch7x7x3))
        branch_pool = F.max_pool2d(x, kernel_size=3, stride=2)
        return torch.cat([branch3x3, branch7x7x3, branch_pool], 1)


class InceptionE(nn.Module):
    """8 × 8 grid: branches that split into parallel 1×3 and 3×1 convolutions."""

    def __init__(self, cin: int) -> None:
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 320, kernel_size=1)
        self.branch3x3_1 = BasicConv2d(cin, 384, kernel_size=1)
        self.branch3x3_2a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(cin, 448, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, kernel_size=3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(cin, 192, kernel_size=1)

    def forward(self, x: Tensor) -> Tensor:
        branch1x1 = self.branch1x1(x)
        branch3x3 = self.branch3x3_1(x)
        branch3x3 = torch.cat([self.branch3x3_2a(branch3x3), self.branch3x3_2b(branch3x3)], 1)
        branch3x3dbl = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        branch3x3dbl = torch.cat([self.branch3x3dbl_3a(branch3x3dbl), self.branch3x3dbl_3b(branch3x3dbl)], 1)
        branch_pool = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([branch1x1, branch3x3, branch3x3dbl, branch_pool], 1)


class InceptionAux(nn.Module):
    """The auxiliary classifier on the 17 × 17 grid (training only)."""

    def __init__(self, cin: int, num_classes: int) -> None:
        super().__init__()
        self.conv0 = BasicConv2d(cin, 128, kernel_size=1)
        self.conv1 = BasicConv2d(128, 768, kernel_size=5)
        self.fc = nn.Linear(768, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = self.conv1(self.conv0(F.avg_pool2d(x, kernel_size=5, stride=3)))  # 768 × 17² → 5² → 1²
        x = F.adaptive_avg_pool2d(x, (1, 1))
        return self.fc(torch.flatten(x, 1))


InceptionOutputs = namedtuple("InceptionOutputs", ["logits", "aux_logits"])


class Inception3(nn.Module):
    """Szegedy et al., "Rethinking the Inception Architecture" (arXiv:1512.00567), for 299 × 299 input.

    In training mode with ``aux_logits`` the forward returns ``InceptionOutputs(logits,
    aux_logits)`` as torchvision's does; otherwise the logits alone.
    """

    def __init__(self, num_classes: int = 1000, aux_logits: bool = True, transform_input: bool = False,
                 dropout: float = 0.5) -> None:
        super().__init__()
        self.aux_logits = aux_logits
        self.transform_input = transform_input
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32, kernel_size=3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, kernel_size=3)
        self.Conv2d_2b_3x3 = BasicConv2d(32, 64, kernel_size=3, padding=1)
        self.maxpool1 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.Conv2d_3b_1x1 = BasicConv2d(64, 80, kernel_size=1)
        self.Conv2d_4a_3x3 = BasicConv2d(80, 192, kernel_size=3)
        self.maxpool2 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.Mixed_5b = InceptionA(192, pool_features=32)
        self.Mixed_5c = InceptionA(256, pool_features=64)
        self.Mixed_5d = InceptionA(288, pool_features=64)
        self.Mixed_6a = InceptionB(288)
        self.Mixed_6b = InceptionC(768, channels_7x7=128)
        self.Mixed_6c = InceptionC(768, channels_7x7=160)
        self.Mixed_6d = InceptionC(768, channels_7x7=160)
        self.Mixed_6e = InceptionC(768, channels_7x7=192)
        self.AuxLogits = InceptionAux(768, num_classes) if aux_logits else None
        self.Mixed_7a = InceptionD(768)
        self.Mixed_7b = InceptionE(1280)
        self.Mixed_7c = InceptionE(2048)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(2048, num_classes)

    def forward(self, x: Tensor):
        x = _transform_input(x) if self.transform_input else x
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))  # 64 × 147 × 147
        x = self.maxpool1(x)                                                # 64 × 73 × 73
        x = self.maxpool2(self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x)))       # 192 × 35 × 35
        x = self.Mixed_5d(self.Mixed_5c(self.Mixed_5b(x)))                 # 288 × 35 × 35
        x = self.Mixed_6a(x)                                                # 768 × 17 × 17
        x = self.Mixed_6e(self.Mixed_6d(self.Mixed_6c(self.Mixed_6b(x))))  # 768 × 17 × 17
        aux = self.AuxLogits(x) if self.AuxLogits is not None and self.training else None
        x = self.Mixed_7c(self.Mixed_7b(self.Mixed_7a(x)))                 # 2048 × 8 × 8
        x = self.dropout(self.avgpool(x))
        x = self.fc(torch.flatten(x, 1))
        return InceptionOutputs(x, aux) if aux is not None else x


# --- MobileNet v2 and v3, EfficientNet ----------------------------------------------------------

class MobileNetV2Block(nn.Module):
    """MobileNetV2's inverted residual: [1×1 expand, ReLU6] → 3×3 depthwise, ReLU6 → 1×1 linear projection."""

    def __init__(self, cin: int, cout: int, stride: int, expand_ratio: int) -> None:
        super().__init__()
        hidden = int(round(cin * expand_ratio))
        self.stride = stride
        self.use_res_connect = stride == 1 and cin == cout
        layers: list[nn.Module] = []
        if expand_ratio != 1:
            layers.append(ConvNormAct(cin, hidden, 1, activation_layer=nn.ReLU6))
        layers += [ConvNormAct(hidden, hidden, 3, stride, groups=hidden, activation_layer=nn.ReLU6),
                   nn.Conv2d(hidden, cout, 1, 1, 0, bias=False), nn.BatchNorm2d(cout)]
        self.conv = nn.Sequential(*layers)
        self.out_channels = cout

    def forward(self, x: Tensor) -> Tensor:
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class MobileNetV2(nn.Module):
    """Sandler et al. (arXiv:1801.04381)."""

    # t (expansion), c (channels), n (blocks), s (stride of the first block)
    SETTING = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
               (6, 320, 1, 1)]

    def __init__(self, num_classes: int = 1000, dropout: float = 0.2) -> None:
        super().__init__()
        cin, self.last_channel = 32, 1280
        features: list[nn.Module] = [ConvNormAct(3, cin, stride=2, activation_layer=nn.ReLU6)]
        for t, c, n, s in self.SETTING:
            for i in range(n):
                features.append(MobileNetV2Block(cin, c, s if i == 0 else 1, expand_ratio=t))
                cin = c
        features.append(ConvNormAct(cin, self.last_channel, kernel_size=1, activation_layer=nn.ReLU6))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout), nn.Linear(self.last_channel, num_classes))

    def forward(self, x: Tensor) -> Tensor:
        x = F.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(torch.flatten(x, 1))


class MobileNetV3(nn.Module):
    """Howard et al., "Searching for MobileNetV3" (arXiv:1905.02244), the large model."""

    # input, kernel, expanded, output, squeeze-excitation, activation ("RE" ReLU, "HS" hard swish), stride
    LARGE = [
        (16, 3, 16, 16, False, "RE", 1), (16, 3, 64, 24, False, "RE", 2), (24, 3, 72, 24, False, "RE", 1),
        (24, 5, 72, 40, True, "RE", 2), (40, 5, 120, 40, True, "RE", 1), (40, 5, 120, 40, True, "RE", 1),
        (40, 3, 240, 80, False, "HS", 2), (80, 3, 200, 80, False, "HS", 1), (80, 3, 184, 80, False, "HS", 1),
        (80, 3, 184, 80, False, "HS", 1), (80, 3, 480, 112, True, "HS", 1), (112, 3, 672, 112, True, "HS", 1),
        (112, 5, 672, 160, True, "HS", 2), (160, 5, 960, 160, True, "HS", 1), (160, 5, 960, 160, True, "HS", 1),
    ]

    def __init__(self, setting: list = LARGE, last_channel: int = 1280, num_classes: int = 1000,
                 dropout: float = 0.2) -> None:
        super().__init__()
        norm = partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
        layers: list[nn.Module] = [ConvNormAct(3, setting[0][0], 3, 2, norm_layer=norm, activation_layer=nn.Hardswish)]
        for cin, k, exp, cout, use_se, act, stride in setting:
            layers.append(InvertedResidual(
                cin, exp, cout, k, stride, nn.Hardswish if act == "HS" else nn.ReLU, norm,
                se=make_divisible(exp // 4, 8) if use_se else None, se_gate=nn.Hardsigmoid))
        last_in = setting[-1][3]
        layers.append(ConvNormAct(last_in, 6 * last_in, 1, norm_layer=norm, activation_layer=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Linear(6 * last_in, last_channel), nn.Hardswish(inplace=True),
            nn.Dropout(p=dropout, inplace=True), nn.Linear(last_channel, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


class EfficientNet(nn.Module):
    """Tan & Le (arXiv:1905.11946), B0: MBConv stages with SiLU, squeeze-excitation and stochastic depth."""

    # expansion, kernel, stride, input, output, blocks (Table 1 of the paper, stages 2–8)
    B0 = [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
          (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)]

    def __init__(self, setting: list = B0, dropout: float = 0.2, stochastic_depth_prob: float = 0.2,
                 num_classes: int = 1000, last_channel: int = 1280) -> None:
        super().__init__()
        norm = nn.BatchNorm2d
        layers: list[nn.Module] = [ConvNormAct(3, setting[0][3], 3, 2, norm_layer=norm, activation_layer=nn.SiLU)]
        total = sum(s[5] for s in setting)
        block_id = 0
        for expand, k, stride, cin, cout, n in setting:
            stage: list[nn.Module] = []
            for i in range(n):
                block_in = cin if i == 0 else cout
                stage.append(InvertedResidual(
                    block_in, make_divisible(block_in * expand), cout, k, stride if i == 0 else 1, nn.SiLU, norm,
                    se=max(1, block_in // 4), se_act=partial(nn.SiLU, inplace=True),
                    drop=stochastic_depth_prob * block_id / total))
                block_id += 1
            layers.append(nn.Sequential(*stage))
        layers.append(ConvNormAct(setting[-1][4], last_channel, 1, norm_layer=norm, activation_layer=nn.SiLU))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout, inplace=True), nn.Linear(last_channel, num_classes))

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


# --- ConvNeXt ----------------------------------------------------------------------------------

class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of an N × C × H × W tensor."""

    def forward(self, x: Tensor) -> Tensor:
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class Permute(nn.Module):
    def __init__(self, dims: list[int]) -> None:
        super().__init__()
        self.dims = dims

    def forward(self, x: Tensor) -> Tensor:
        return torch.permute(x, self.dims)


class CNBlock(nn.Module):
    """7×7 depthwise conv → LayerNorm → Linear ×4 → GELU → Linear (channels last), layer scale, residual."""

    def __init__(self, dim: int, layer_scale: float, stochastic_depth_prob: float) -> None:
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim, bias=True),
            Permute([0, 2, 3, 1]),
            nn.LayerNorm(dim, eps=1e-6),
            nn.Linear(dim, 4 * dim, bias=True),
            nn.GELU(),
            nn.Linear(4 * dim, dim, bias=True),
            Permute([0, 3, 1, 2]),
        )
        self.layer_scale = nn.Parameter(torch.full((dim, 1, 1), layer_scale))
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob)

    def forward(self, x: Tensor) -> Tensor:
        result = self.stochastic_depth(self.layer_scale * self.block(x))
        result += x
        return result


class ConvNeXt(nn.Module):
    """Liu et al., "A ConvNet for the 2020s" (arXiv:2201.03545): a 4×4/4 patchify stem, four stages."""

    def __init__(self, dims: tuple = (96, 192, 384, 768), depths: tuple = (3, 3, 9, 3),
                 stochastic_depth_prob: float = 0.1, layer_scale: float = 1e-6, num_classes: int = 1000) -> None:
        super().__init__()
        norm = partial(LayerNorm2d, eps=1e-6)
        layers: list[nn.Module] = [ConvNormAct(3, dims[0], kernel_size=4, stride=4, padding=0, norm_layer=norm,
                                               activation_layer=None, bias=True)]
        total, block_id = sum(depths), 0
        for i, (dim, depth) in enumerate(zip(dims, depths)):
            stage = []
            for _ in range(depth):
                stage.append(CNBlock(dim, layer_scale, stochastic_depth_prob * block_id / (total - 1.0)))
                block_id += 1
            layers.append(nn.Sequential(*stage))
            if i + 1 < len(dims):  # downsampling between stages
                layers.append(nn.Sequential(norm(dim), nn.Conv2d(dim, dims[i + 1], kernel_size=2, stride=2)))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(norm(dims[-1]), nn.Flatten(1), nn.Linear(dims[-1], num_classes))

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.avgpool(self.features(x)))


# --- RegNet ------------------------------------------------------------------------------------

class BottleneckTransform(nn.Sequential):
    """RegNet's residual branch: 1×1 (a) → 3×3 grouped, with the stride (b) → [SE] → 1×1 (c)."""

    def __init__(self, cin: int, cout: int, stride: int, group_width: int, bottleneck_multiplier: float,
                 se_ratio: Optional[float]) -> None:
        w_b = int(round(cout * bottleneck_multiplier))
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        layers["a"] = ConvNormAct(cin, w_b, 1)
        layers["b"] = ConvNormAct(w_b, w_b, 3, stride, groups=w_b // group_width)
        if se_ratio:  # the squeeze width is a fraction of the block's input width
            layers["se"] = SqueezeExcitation(w_b, int(round(se_ratio * cin)), nn.ReLU)
        layers["c"] = ConvNormAct(w_b, cout, 1, activation_layer=None)
        super().__init__(layers)


class ResBottleneckBlock(nn.Module):
    """x + f(x), with a 1×1 projection of x when the width or the resolution changes."""

    def __init__(self, cin: int, cout: int, stride: int, group_width: int, bottleneck_multiplier: float,
                 se_ratio: Optional[float]) -> None:
        super().__init__()
        self.proj = None
        if cin != cout or stride != 1:
            self.proj = ConvNormAct(cin, cout, 1, stride, activation_layer=None)
        self.f = BottleneckTransform(cin, cout, stride, group_width, bottleneck_multiplier, se_ratio)
        self.activation = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        x = self.proj(x) + self.f(x) if self.proj is not None else x + self.f(x)
        return self.activation(x)


class RegNet(nn.Module):
    """Radosavovic et al., "Designing Network Design Spaces" (arXiv:2003.13678).

    ``stages`` lists (width, depth) per stage, every stage starting with stride 2. torchvision
    derives them from (depth, w_0, w_a, w_m, group width); for RegNetY-400MF
    (16, 48, 27.89, 2.09, 8) its ``BlockParams.from_init_params`` gives the widths
    48, 104, 208, 440 and depths 1, 3, 6, 6 written in ``regnet_y_400mf``.
    """

    def __init__(self, stages: list, group_width: int, se_ratio: Optional[float] = None,
                 bottleneck_multiplier: float = 1.0, stem_width: int = 32, num_classes: int = 1000) -> None:
        super().__init__()
        self.stem = ConvNormAct(3, stem_width, 3, 2)
        blocks, width = [], stem_width
        for i, (cout, depth) in enumerate(stages, 1):
            stage = nn.Sequential()
            for j in range(depth):
                stage.add_module(f"block{i}-{j}", ResBottleneckBlock(
                    width if j == 0 else cout, cout, 2 if j == 0 else 1, min(group_width, cout),
                    bottleneck_multiplier, se_ratio))
            blocks.append((f"block{i}", stage))
            width = cout
        self.trunk_output = nn.Sequential(OrderedDict(blocks))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.trunk_output(self.stem(x)))
        return self.fc(x.flatten(start_dim=1))


# --- constructors and tables -------------------------------------------------------------------

def alexnet(**kw) -> AlexNet:
    return _init(AlexNet(**kw))


def vgg16(**kw) -> VGG:
    return _init(VGG(VGG16, **kw))


def resnet18(**kw) -> ResNet:
    return _init(ResNet(BasicBlock, [2, 2, 2, 2], **kw))


def resnet50(**kw) -> ResNet:
    return _init(ResNet(Bottleneck, [3, 4, 6, 3], **kw))


def densenet121(**kw) -> DenseNet:
    return _init(DenseNet(32, (6, 12, 24, 16), 64, **kw))


def googlenet(**kw) -> GoogLeNet:
    return _init(GoogLeNet(**kw))


def inception_v3(**kw) -> Inception3:
    return _init(Inception3(**kw))


def mobilenet_v2(**kw) -> MobileNetV2:
    return _init(MobileNetV2(**kw))


def mobilenet_v3_large(**kw) -> MobileNetV3:
    return _init(MobileNetV3(**kw))


def efficientnet_b0(**kw) -> EfficientNet:
    return _init(EfficientNet(**kw))


def convnext_tiny(**kw) -> ConvNeXt:
    return _init(ConvNeXt(**kw))


def regnet_y_400mf(**kw) -> RegNet:
    return _init(RegNet([(48, 1), (104, 3), (208, 6), (440, 6)], group_width=8, se_ratio=0.25, **kw))


MODELS: dict[str, Callable[..., nn.Module]] = {
    f.__name__: f for f in (alexnet, vgg16, resnet18, resnet50, densenet121, googlenet, inception_v3,
                            mobilenet_v2, mobilenet_v3_large, efficientnet_b0, convnext_tiny, regnet_y_400mf)
}

# torchvision's "num_params" of each model's ImageNet weights.
PUBLISHED_PARAMS: dict[str, int] = {
    "alexnet": 61_100_840,
    "vgg16": 138_357_544,
    "resnet18": 11_689_512,
    "resnet50": 25_557_032,
    "densenet121": 7_978_856,
    "googlenet": 6_624_904,        # without the auxiliary classifiers
    "inception_v3": 27_161_264,    # with AuxLogits (3,326,696 of them)
    "mobilenet_v2": 3_504_872,
    "mobilenet_v3_large": 5_483_032,
    "efficientnet_b0": 5_288_548,
    "convnext_tiny": 28_589_128,
    "regnet_y_400mf": 4_344_144,
}

INPUT: dict[str, int] = {name: 299 if name == "inception_v3" else 224 for name in MODELS}

_RESNET = (("pool1", "maxpool"), ("layer1", "layer1"), ("layer2", "layer2"), ("layer3", "layer3"),
           ("layer4", "layer4"))

STAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "alexnet": (("pool1", "features.2"), ("pool2", "features.5"), ("pool5", "features.12")),
    "vgg16": tuple((f"pool{i + 1}", f"features.{n}") for i, n in enumerate((4, 9, 16, 23, 30))),
    "resnet18": _RESNET,
    "resnet50": _RESNET,
    "densenet121": (("pool0", "features.pool0"),
                    ("block1", "features.denseblock1"), ("transition1", "features.transition1"),
                    ("block2", "features.denseblock2"), ("transition2", "features.transition2"),
                    ("block3", "features.denseblock3"), ("transition3", "features.transition3"),
                    ("block4", "features.denseblock4"), ("norm5", "features.norm5")),
    "googlenet": (("pool1", "maxpool1"), ("pool2", "maxpool2"), ("inception3b", "inception3b"),
                  ("pool3", "maxpool3"), ("inception4e", "inception4e"), ("pool4", "maxpool4"),
                  ("inception5b", "inception5b")),
    "inception_v3": (("pool1", "maxpool1"), ("pool2", "maxpool2"), ("Mixed_5d", "Mixed_5d"),
                     ("Mixed_6e", "Mixed_6e"), ("Mixed_7c", "Mixed_7c")),
    "mobilenet_v2": tuple((f"stage {i + 1}", f"features.{n}") for i, n in enumerate((1, 3, 6, 13, 18))),
    "mobilenet_v3_large": tuple((f"stage {i + 1}", f"features.{n}") for i, n in enumerate((1, 3, 6, 12, 16))),
    # EfficientNet's features.i is stage i + 1 of the paper's Table 1
    "efficientnet_b0": tuple((f"stage {n + 1}", f"features.{n}") for n in (1, 2, 3, 5, 8)),
    "convnext_tiny": tuple((f"stage {i + 1}", f"features.{n}") for i, n in enumerate((1, 3, 5, 7))),
    "regnet_y_400mf": tuple((f"block{i}", f"trunk_output.block{i}") for i in range(1, 5)),
}

/**
 * ResNet-18 and ResNet-50 (He et al. 2016), layer for layer as torchvision/models/resnet.py
 * (torchvision 0.16) writes them: conv1, bn1, relu, maxpool, layer1–layer4 (nn.Sequential of
 * blocks numbered 0, 1, ...), avgpool, torch.flatten(x, 1), fc. A block's `downsample` is
 * nn.Sequential(conv1x1, BatchNorm2d), numbered 0 and 1.
 *
 * torchvision applies one `self.relu` module several times in a block; a path names one layer,
 * so the second and third uses are `relu_2` and `relu_3`.
 */
import { adaptiveAvgPool2d, batchNorm2d, conv2d, flatten, functional, linear, maxPool2d, model, named, relu, repeat, residual, sequential } from '../model/builder.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';

/** The downsample branch: conv1x1(inplanes, planes, stride) and its BatchNorm2d. */
const downsample = (out: number, stride: number): LayerDef[] => [conv2d(out, 1, { stride, bias: false }), batchNorm2d()];

/** BasicBlock (expansion 1): conv3x3(stride), bn1, relu, conv3x3, bn2, (+ identity or downsample), relu. */
function basicBlock(planes: number, stride: number, project: boolean): LayerDef {
  return residual(
    [
      named('conv1', conv2d(planes, 3, { stride, padding: 1, bias: false })), named('bn1', batchNorm2d()), named('relu', relu({ inplace: true })),
      named('conv2', conv2d(planes, 3, { padding: 1, bias: false })), named('bn2', batchNorm2d()),
    ],
    { ...(project ? { shortcut: downsample(planes, stride) } : {}), shortcut_name: 'downsample', after: [named('relu_2', relu({ inplace: true }))] },
  );
}

/**
 * Bottleneck (expansion 4), ResNet v1.5: the stride sits in the 3×3 conv2, as in torchvision
 * (the paper's v1 strides conv1).
 */
function bottleneck(planes: number, stride: number, project: boolean): LayerDef {
  return residual(
    [
      named('conv1', conv2d(planes, 1, { bias: false })), named('bn1', batchNorm2d()), named('relu', relu({ inplace: true })),
      named('conv2', conv2d(planes, 3, { stride, padding: 1, bias: false })), named('bn2', batchNorm2d()), named('relu_2', relu({ inplace: true })),
      named('conv3', conv2d(planes * 4, 1, { bias: false })), named('bn3', batchNorm2d()),
    ],
    { ...(project ? { shortcut: downsample(planes * 4, stride) } : {}), shortcut_name: 'downsample', after: [named('relu_3', relu({ inplace: true }))] },
  );
}

/** `ResNet._make_layer` for each stage: the first block strides and projects when the shape changes. */
function resnet(name: string, block: 'basic' | 'bottleneck', layers: readonly number[], meta: { description: string; source: string }): ModelDef {
  const stages = layers.map((blocks, i) => {
    const planes = 64 * 2 ** i;
    const stride = i === 0 ? 1 : 2;
    // A projection when the stride or the channel count changes (bottleneck's layer1 too: 64 -> 256).
    const first = block === 'basic' ? basicBlock(planes, stride, i > 0) : bottleneck(planes, stride, true);
    const rest = block === 'basic' ? basicBlock(planes, 1, false) : bottleneck(planes, 1, false);
    return sequential(`layer${i + 1}`, [first, ...(blocks > 1 ? [repeat(blocks - 1, [rest])] : [])]);
  });
  return model(
    name,
    [3, 224, 224],
    [
      named('conv1', conv2d(64, 7, { stride: 2, padding: 3, bias: false })), named('bn1', batchNorm2d()), named('relu', relu({ inplace: true })),
      named('maxpool', maxPool2d(3, 2, { padding: 1 })),
      ...stages,
      named('avgpool', adaptiveAvgPool2d(1)), // self.avgpool: a module, which thop sees
      named('flatten', functional(flatten())), // torch.flatten(x, 1) in forward
      named('fc', linear(1000)),
    ],
    meta,
  );
}

export const resnet18: ModelDef = resnet('resnet18', 'basic', [2, 2, 2, 2], {
  description: 'ResNet-18: a 7×7 stem and four stages of two basic blocks (64 to 512 channels), 3×224×224.',
  source: 'torchvision 0.16, torchvision/models/resnet.py (resnet18, BasicBlock)',
});

export const resnet50: ModelDef = resnet('resnet50', 'bottleneck', [3, 4, 6, 3], {
  description: 'ResNet-50 v1.5: a 7×7 stem and 3, 4, 6, 3 bottleneck blocks (1×1, 3×3, 1×1), 3×224×224.',
  source: 'torchvision 0.16, torchvision/models/resnet.py (resnet50, Bottleneck, v1.5)',
});

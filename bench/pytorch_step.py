#!/usr/bin/python3
"""PyTorch side of `latephase bench pytorch`: times training steps of the pre-activation ResNet that
src/LatePhaseDist.Core/Models/PreActResNet.cs builds, with Debian's real PyTorch (python3-torch).

A persistent worker, so the C# side can interleave blocks without paying Python's start-up each time.
It prints one JSON line per event on stdout:
  at start  {"event": "ready", "torch": ..., "python": ..., "threads": T, "parameters": {name: shape}}
  "run N"   runs N training steps, then {"event": "ran", "steps_ms": [...], "loss": last loss}
  "quit"    (or end of input) exits with status 0
A bad command answers {"event": "error", "message": ...} and the worker keeps going. Without torch it prints
{"event": "error", "kind": "torch-missing", ...} and exits with status 3.

Each step does the work of one step of our Trainer (Trainer.RunStep) in the same order, so the two sides
time equal work: build a fresh minibatch from uint8 pixels (gather, /255, normalise with mean 0.5 and std
0.5, as AugmentationOptions.Plain), train mode, forward, cross-entropy, backward, loss.item(), the batch
accuracy as .item(), the non-finite check over every gradient, optimizer step, zero_grad. Our trainer
builds its batches on a background thread (PrefetchingLoader); here they are built inline and counted.
"""

import argparse
import json
import math
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--depth", type=int, default=8, help="6n+2; default 8")
    parser.add_argument("--width", type=int, default=16, help="width of the stem and first stage; default 16")
    parser.add_argument("--channels", type=int, default=1, help="input channels; default 1")
    parser.add_argument("--size", type=int, default=28, help="input height and width in pixels; default 28")
    parser.add_argument("--classes", type=int, default=10, help="output classes; default 10")
    parser.add_argument("--batch", type=int, default=128, help="minibatch size; default 128")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads; default 2")
    parser.add_argument("--samples", type=int, default=1280, help="synthetic training samples; default 1280")
    parser.add_argument("--lr", type=float, default=0.05, help="SGD learning rate; default 0.05")
    parser.add_argument("--seed", type=int, default=1, help="torch seed; default 1")
    return parser.parse_args()


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as missing:
    emit({"event": "error", "kind": "torch-missing", "message": str(missing)})
    sys.exit(3)


def conv(cin, cout, kernel, stride):
    # Layers.Conv3x3 / Conv1x1: no bias, Kaiming-normal with fan_out and ReLU gain.
    layer = nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False)
    nn.init.kaiming_normal_(layer.weight, mode="fan_out", nonlinearity="relu")
    return layer


def batch_norm(features):
    layer = nn.BatchNorm2d(features)
    nn.init.ones_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


class PreActBlock(nn.Module):
    """BN-ReLU-conv3x3(stride)-BN-ReLU-conv3x3, plus the identity or, when the shape changes, a 1x1 conv
    (no BN) on the first activation."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = batch_norm(cin)
        self.conv1 = conv(cin, cout, 3, stride)
        self.bn2 = batch_norm(cout)
        self.conv2 = conv(cout, cout, 3, 1)
        self.shortcut = conv(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        activated = F.relu(self.bn1(x))
        residual = x if self.shortcut is None else self.shortcut(activated)
        hidden = self.conv1(activated)
        hidden = self.conv2(F.relu(self.bn2(hidden)))
        return hidden + residual


def stage(cin, cout, blocks, stride):
    return nn.ModuleList(
        [PreActBlock(cin, cout, stride) if i == 0 else PreActBlock(cout, cout, 1) for i in range(blocks)])


class PreActResNet(nn.Module):
    """Mirrors PreActResNet.cs, parameter names included (conv1, layer1..3.<i>.*, bn, fc)."""

    def __init__(self, channels, classes, depth, width):
        super().__init__()
        if depth < 8 or (depth - 2) % 6 != 0:
            raise ValueError(f"depth must be 6n+2, got {depth}")
        blocks = (depth - 2) // 6
        self.conv1 = conv(channels, width, 3, 1)
        self.layer1 = stage(width, width, blocks, 1)
        self.layer2 = stage(width, 2 * width, blocks, 2)
        self.layer3 = stage(2 * width, 4 * width, blocks, 2)
        self.bn = batch_norm(4 * width)
        self.fc = nn.Linear(4 * width, classes)
        nn.init.kaiming_normal_(self.fc.weight, mode="fan_in", nonlinearity="relu")
        nn.init.zeros_(self.fc.bias)

    def forward(self, x):
        x = self.conv1(x)
        for layer in (self.layer1, self.layer2, self.layer3):
            for block in layer:
                x = block(x)
        x = F.relu(self.bn(x))
        x = F.adaptive_avg_pool2d(x, (1, 1)).flatten(1)
        return self.fc(x)


class Worker:
    def __init__(self, args):
        torch.set_num_threads(args.threads)
        torch.manual_seed(args.seed)
        self.batch = args.batch
        self.model = PreActResNet(args.channels, args.classes, args.depth, args.width)
        self.parameters = [p for p in self.model.parameters()]
        # OptimizerFactory.Create: SGD with dampening 0, Nesterov momentum 0.9, weight decay 5e-4.
        self.optimizer = torch.optim.SGD(
            self.parameters, lr=args.lr, momentum=0.9, dampening=0.0, weight_decay=5e-4, nesterov=True)
        generator = torch.Generator().manual_seed(args.seed)
        shape = (args.samples, args.channels, args.size, args.size)
        self.pixels = torch.randint(0, 256, shape, dtype=torch.uint8, generator=generator)
        self.labels = torch.randint(0, args.classes, (args.samples,), dtype=torch.int64, generator=generator)
        self.generator = generator
        self.order = torch.randperm(args.samples, generator=generator)
        self.position = 0

    def describe(self):
        return {
            "event": "ready",
            "torch": torch.__version__,
            "python": sys.version.split()[0],
            "threads": torch.get_num_threads(),
            "parameters": {name: list(p.shape) for name, p in self.model.named_parameters()},
        }

    def next_indices(self):
        if self.position + self.batch > self.order.numel():
            self.order = torch.randperm(self.order.numel(), generator=self.generator)
            self.position = 0
        indices = self.order[self.position:self.position + self.batch]
        self.position += self.batch
        return indices

    def step(self):
        indices = self.next_indices()
        inputs = self.pixels.index_select(0, indices).float().div_(255.0).sub_(0.5).div_(0.5)
        targets = self.labels.index_select(0, indices)
        self.model.train()
        logits = self.model(inputs)
        loss = F.cross_entropy(logits, targets)
        loss.backward()
        loss_value = loss.item()
        logits.argmax(1).eq(targets).float().mean().item()
        sums = [p.grad.sum() for p in self.parameters if p.grad is not None]
        finite = math.isfinite(loss_value) and (not sums or bool(torch.stack(sums).sum().isfinite().item()))
        if finite:
            self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=False)
        return loss_value

    def run(self, steps):
        times = []
        loss = float("nan")
        for _ in range(steps):
            start = time.perf_counter()
            loss = self.step()
            times.append((time.perf_counter() - start) * 1000.0)
        return {"event": "ran", "steps_ms": times, "loss": loss}


def main():
    args = parse_args()
    worker = Worker(args)
    emit(worker.describe())
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        words = line.split()
        if words == ["quit"]:
            return
        if len(words) == 2 and words[0] == "run" and words[1].isdigit() and int(words[1]) > 0:
            emit(worker.run(int(words[1])))
        elif words:
            emit({"event": "error", "message": f"unknown command {line.strip()!r}; use 'run N' or 'quit'"})


if __name__ == "__main__":
    main()

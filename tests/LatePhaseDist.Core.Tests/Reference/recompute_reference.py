"""Golden values for recomputed BatchNorm statistics, from real PyTorch's torch.optim.swa_utils.update_bn.

Usage: recompute_reference.py PROBLEM.json

PROBLEM holds "architecture" ({"input_channels", "width1", "width2", "classes"}), "state" (the C# ConvBnNet's state
dict: key -> tensor; num_batches_tracked as int64), "momentum" (of both BatchNorm layers) and "batches" (a list of
(N, C, H, W) inputs), each tensor as {"shape": [...], "data": [flat values]}. The script builds the same network in
float64, runs update_bn over the batches and prints the BatchNorm buffers, the momenta and the training flag after.
"""
import json
import sys

try:
    import torch
    from torch import nn
    from torch.optim.swa_utils import update_bn
except ImportError as error:
    sys.exit(f"recompute_reference.py: cannot import torch ({error}); install python3-torch")


class ConvBnNet(nn.Module):
    """conv -> BN -> relu -> conv -> BN -> relu -> global average pool -> fc; the keys match the C# test network."""

    def __init__(self, input_channels, width1, width2, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, width1, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(width1)
        self.conv2 = nn.Conv2d(width1, width2, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(width2)
        self.fc = nn.Linear(width2, classes)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.bn2(self.conv2(x)))
        return self.fc(x.mean((2, 3)))


def decode(entry, dtype=torch.float64):
    return torch.tensor(entry["data"], dtype=dtype).reshape(entry["shape"])


def encode(t):
    return {"shape": list(t.shape), "data": t.detach().double().reshape(-1).tolist()}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        problem = json.load(f)

    model = ConvBnNet(**problem["architecture"]).double()
    state = {
        key: decode(value, torch.int64 if key.endswith("num_batches_tracked") else torch.float64)
        for key, value in problem["state"].items()
    }
    model.load_state_dict(state)
    for layer in (model.bn1, model.bn2):
        layer.momentum = problem["momentum"]
    model.eval()

    update_bn([decode(b) for b in problem["batches"]], model)

    result = {
        key: encode(value)
        for key, value in model.state_dict().items()
        if key.startswith("bn")
    }
    json.dump(
        {
            "state": result,
            "momenta": [model.bn1.momentum, model.bn2.momentum],
            "training": model.training,
            "torch": torch.__version__,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()

"""Golden values for the fold merge of late-phase BatchNorm, from real PyTorch.

Usage: fold_merge_reference.py PROBLEM.json

PROBLEM holds "eps", "members" (a list of {"weight", "bias", "running_mean", "running_var"}) and "input" (N, C, H, W),
each tensor as {"shape": [...], "data": [flat values]}. The script loads every member into its own
torch.nn.BatchNorm2d in eval mode (float64) and prints {"output": tensor}: the mean of the members' outputs, which the
merged (folded) layer must equal.
"""
import json
import sys

try:
    import torch
except ImportError as error:
    sys.exit(f"fold_merge_reference.py: cannot import torch ({error}); install python3-torch")


def decode(entry, dtype=torch.float64):
    return torch.tensor(entry["data"], dtype=dtype).reshape(entry["shape"])


def encode(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        problem = json.load(f)

    x = decode(problem["input"])
    outputs = []
    for member in problem["members"]:
        layer = torch.nn.BatchNorm2d(x.shape[1], eps=problem["eps"]).double()
        with torch.no_grad():
            for name in ("weight", "bias", "running_mean", "running_var"):
                getattr(layer, name).copy_(decode(member[name]))
        layer.eval()
        with torch.no_grad():
            outputs.append(layer(x))

    json.dump({"output": encode(torch.stack(outputs).mean(0)), "torch": torch.__version__}, sys.stdout)


if __name__ == "__main__":
    main()

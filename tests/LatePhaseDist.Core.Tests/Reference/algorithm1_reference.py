"""Independent reference for Algorithm 1 of "Neural networks with late-phase weights", in real PyTorch.

Reads a JSON problem from the file named by the first argument (a one-hidden-layer MLP whose BatchNorm and classifier are late-phase weights, the
data, the minibatch order per epoch) and writes the final weights as JSON on stdout. Written from the paper's
description, not from the C# trainer: before T0 every minibatch is an ordinary SGD step of all weights; from T0 on,
minibatch j of a cycle trains member j, the member's optimizer steps at once, theta accumulates the K gradients and
steps once per cycle on gamma * sum.
"""
import json
import sys

import torch
from torch import nn


class LatePhaseMlp(nn.Module):
    def __init__(self, features, hidden, classes, members):
        super().__init__()
        self.linear = nn.Linear(features, hidden, bias=False)
        self.bns = nn.ModuleList([nn.BatchNorm1d(hidden) for _ in range(members)])
        self.heads = nn.ModuleList([nn.Linear(hidden, classes) for _ in range(members)])
        self.active = 0

    def forward(self, x):
        h = torch.relu(self.bns[self.active](self.linear(x.flatten(1))))
        return self.heads[self.active](h)

    def member(self, k):
        return list(self.bns[k].parameters()) + list(self.heads[k].parameters())


def tensor(values, shape=None):
    t = torch.tensor(values, dtype=torch.float32)
    return t if shape is None else t.reshape(shape)


def sgd(params, p, decay):
    return torch.optim.SGD(params, lr=p["lr"], momentum=p["momentum"], nesterov=p["nesterov"], weight_decay=decay)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        p = json.load(f)
    torch.set_num_threads(1)
    x = tensor(p["inputs"], p["inputShape"])
    y = torch.tensor(p["targets"], dtype=torch.long)
    k_members = p["members"]
    init = p["init"]
    net = LatePhaseMlp(x[0].numel(), p["hidden"], p["classes"], k_members)
    with torch.no_grad():
        net.linear.weight.copy_(tensor(init["linear"]).reshape(net.linear.weight.shape))
        for k in range(k_members):
            net.bns[k].weight.copy_(tensor(init["bnWeight"]))
            net.bns[k].bias.copy_(tensor(init["bnBias"]))
            net.bns[k].running_mean.copy_(tensor(init["bnMean"]))
            net.bns[k].running_var.copy_(tensor(init["bnVar"]))
            net.heads[k].weight.copy_(tensor(init["fcWeight"]).reshape(net.heads[k].weight.shape))
            net.heads[k].bias.copy_(tensor(init["fcBias"]))
    net.train()

    theta = [net.linear.weight]
    theta_opt = sgd(theta, p, p["weightDecay"])
    tied_opt = sgd(net.member(0), p, p["weightDecay"])
    member_opts = None
    for epoch, spec in enumerate(p["epochs"]):
        lr = p["lr"] * spec["factor"]
        if epoch == p["releaseEpoch"]:
            state = {k: v.clone() for k, v in net.bns[0].state_dict().items()}
            head = {k: v.clone() for k, v in net.heads[0].state_dict().items()}
            for k in range(1, k_members):
                net.bns[k].load_state_dict(state)
                net.heads[k].load_state_dict(head)
            member_opts = [sgd(net.member(k), p, p["memberWeightDecay"]) for k in range(k_members)]
            if p["copyTiedState"]:
                # Members start from the tied copy's momentum buffers, with their own weight decay.
                for opt in member_opts:
                    opt.load_state_dict(tied_opt.state_dict())
                    for group in opt.param_groups:
                        group["weight_decay"] = p["memberWeightDecay"]
        for opt in [theta_opt, tied_opt] + (member_opts or []):
            for group in opt.param_groups:
                group["lr"] = lr
        batches = spec["minibatches"]
        if member_opts is None:
            for idx in batches:
                net.active = 0
                theta_opt.zero_grad()
                tied_opt.zero_grad()
                nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
                theta_opt.step()
                tied_opt.step()
            continue
        for start in range(0, len(batches) - k_members + 1, k_members):
            theta_opt.zero_grad()
            for k in range(k_members):
                idx = batches[start + k]
                net.active = k
                member_opts[k].zero_grad()
                nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
                member_opts[k].step()
            if p["gamma"] == "mean":
                net.linear.weight.grad.div_(k_members)
            theta_opt.step()

    out = {"linear": net.linear.weight.detach().flatten().tolist(), "members": []}
    for k in range(k_members):
        out["members"].append({
            "bnWeight": net.bns[k].weight.detach().tolist(),
            "bnBias": net.bns[k].bias.detach().tolist(),
            "bnMean": net.bns[k].running_mean.tolist(),
            "bnVar": net.bns[k].running_var.tolist(),
            "fcWeight": net.heads[k].weight.detach().flatten().tolist(),
            "fcBias": net.heads[k].bias.detach().tolist(),
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

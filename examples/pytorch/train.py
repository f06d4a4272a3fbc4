#!/usr/bin/env python3
"""A PyTorch multi-task training script that follows tra's result contract (docs/COMMAND.md).

tra runs it once per network (every task alone, every pair, ... over several seeds) and reads the result file it
writes. It trains the reference protocol of the toolkit's benchmarks on a CSV whose last --labels columns are binary
labels: one holdout split per seed (20% test, 20% validation, 60% training rows), features standardised on the
training rows, a shared trunk d -> 64 -> 64 (ReLU) with one logistic head per task, Adam 1e-3, batches of 64, the sum
of the tasks' mean binary cross-entropies, and the reported losses those of the epoch with the lowest validation loss.

Every network of a seed starts from the same weights, as tra's own trainer does (src/engine/start.ts): the trunk and
one head drawn from the seed, that head copied to every task (--heads common). The difference between a task's loss in
a pair and alone then comes from the partner, not from a different starting head. PyTorch's default draws each task's
head on its own (--heads independent); on yeast that made the affinity matrix nearly seed noise at 10 seeds, in tra's
trainer too (docs/COMMAND.md, "Initialisation").

    python train.py --data yeast.csv --labels 14 --tasks Class1,Class2 --seed 0 --epochs 30 --result out.json

Only torch and the standard library; `pip install torch` first.
"""
import argparse
import csv
import json
import math

import torch
from torch import nn


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="CSV: numeric features, then the label columns")
    parser.add_argument("--labels", type=int, required=True, help="how many of the last columns are labels")
    parser.add_argument("--tasks", required=True, help="the labels this network learns, comma-separated ({tasks})")
    parser.add_argument("--seed", type=int, required=True, help="split, initial weights and batch order ({seed})")
    parser.add_argument("--epochs", type=int, default=30, help="epochs ({epochs})")
    parser.add_argument("--result", required=True, help="where to write the result file ({result})")
    parser.add_argument("--validation-share", type=float, default=0.2)
    parser.add_argument("--test-share", type=float, default=0.2)
    parser.add_argument("--hidden", default="64,64", help="trunk widths")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--device", default="cpu", help="'cpu', or the device tra hands out ({device}): cuda then")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (tra runs --parallel networks at once)")
    parser.add_argument(
        "--heads",
        choices=["common", "independent"],
        default="common",
        help="common: every task's head starts from one seeded head's weights (tra's convention); independent: "
        "PyTorch's default, each head drawn on its own",
    )
    return parser.parse_args()


def read_csv(path, labels):
    with open(path, newline="") as file:
        rows = list(csv.reader(file))
    header, values = rows[0], torch.tensor([[float(v) for v in row] for row in rows[1:]], dtype=torch.float32)
    return header, values[:, : len(header) - labels], values, header[len(header) - labels :]


class MultiTaskNetwork(nn.Module):
    """A shared ReLU trunk and one logistic head (a logit) per task."""

    def __init__(self, inputs, hidden, tasks, common_heads):
        super().__init__()
        layers, width = [], inputs
        for size in hidden:
            layers += [nn.Linear(width, size), nn.ReLU()]
            width = size
        self.trunk = nn.Sequential(*layers)
        # drawn right after the trunk, so the same in every network of a seed whatever its number of tasks
        start = nn.Linear(width, 1)
        self.heads = nn.Linear(width, tasks)
        if common_heads:
            with torch.no_grad():
                self.heads.weight.copy_(start.weight.expand(tasks, width))
                self.heads.bias.copy_(start.bias.expand(tasks))

    def forward(self, x):
        return self.heads(self.trunk(x))


def main():
    args = arguments()
    torch.set_num_threads(args.threads)
    device = torch.device("cpu" if args.device == "cpu" else "cuda")
    tasks = [t.strip() for t in args.tasks.split(",")]
    header, features, values, label_names = read_csv(args.data, args.labels)
    unknown = [t for t in tasks if t not in label_names]
    if unknown:
        raise SystemExit(f"not among the last {args.labels} columns of {args.data}: {', '.join(unknown)}")
    targets = values[:, [header.index(t) for t in tasks]]

    # One split per seed: test rows first, then validation, then training rows.
    generator = torch.Generator().manual_seed(args.seed)
    order = torch.randperm(len(features), generator=generator)
    n_test = round(args.test_share * len(order))
    n_validation = round(args.validation_share * len(order))
    test, validation, train = order[:n_test], order[n_test : n_test + n_validation], order[n_test + n_validation :]
    mean, sd = features[train].mean(0), features[train].std(0, unbiased=False)
    x = ((features - mean) / torch.where(sd > 0, sd, torch.ones_like(sd))).to(device)
    y = targets.to(device)

    torch.manual_seed(args.seed)
    hidden = [int(h) for h in args.hidden.split(",")]
    model = MultiTaskNetwork(x.shape[1], hidden, len(tasks), args.heads == "common").to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_of = nn.BCEWithLogitsLoss(reduction="none")

    def evaluate(rows):
        """Per task, every row's loss."""
        model.eval()
        with torch.no_grad():
            return loss_of(model(x[rows]), y[rows])

    curves = {task: {"validation": [], "test": []} for task in tasks}
    best = {"total": math.inf, "epoch": 0, "examples": None}
    for epoch in range(1, args.epochs + 1):
        model.train()
        batches = train[torch.randperm(len(train), generator=generator)]
        for start in range(0, len(batches), args.batch):
            rows = batches[start : start + args.batch]
            optimiser.zero_grad()
            loss_of(model(x[rows]), y[rows]).mean(0).sum().backward()
            optimiser.step()
        on_validation, on_test = evaluate(validation).mean(0), evaluate(test)
        for k, task in enumerate(tasks):
            curves[task]["validation"].append(on_validation[k].item())
            curves[task]["test"].append(on_test[:, k].mean().item())
        total = on_validation.sum().item()
        if total < best["total"]:
            best = {"total": total, "epoch": epoch, "examples": on_test.cpu()}
        print(f"epoch {epoch}: validation {total:.4f}", flush=True)

    e = best["epoch"] - 1
    result = {
        "schema": "task-relations/result",
        "version": 1,
        "seed": args.seed,
        "epoch": best["epoch"],
        "tasks": {
            task: {
                "validation": curves[task]["validation"][e],
                "test": curves[task]["test"][e],
                "epochs": curves[task],
                "examples": best["examples"][:, k].tolist(),
            }
            for k, task in enumerate(tasks)
        },
    }
    with open(args.result, "w") as file:
        json.dump(result, file)


if __name__ == "__main__":
    main()

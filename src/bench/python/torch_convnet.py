#!/usr/bin/env python3
"""ConvNetJS's CIFAR-10 net in PyTorch on the CPU, float32, timed the way Babysitter's `bench --net convnetjs` times
its own trainer: training images/s over windows of iterations after a warm-up (batch sampled with replacement from
the training images, forward, backward, SGD step), and evaluation images/s over the test images in test mode.

The net: conv 5x5x16 pad 2 - ReLU - max pool 2; conv 5x5x20 pad 2 - ReLU - pool 2; conv 5x5x20 pad 2 - ReLU - pool 2;
linear 320 -> 10; softmax cross-entropy. He init (normal, std sqrt(2/fan_in)), biases 0. SGD, momentum 0.9, lr 1e-2,
weight decay 1e-3 on the weights (the gradient of Babysitter's 0.5*reg*sum(W^2) with reg 1e-3), none on the biases.
Inputs standardized per channel (mean and std of the training images), converted to float32 once, before any
timing. Prints one line per case:

    torch float32 threads=<N> batch=<B> train <images/s> eval <images/s>

Usage: torch_convnet.py DATA_DIR_OR_BIN [--threads 2] [--batch 100] [--warmup 20] [--window 20] [--windows 5]
       torch_convnet.py DATA --profile [--threads 2] [--batch 100]
                        (where PyTorch's training step spends its time: 50 steps under torch.profiler after the warm-up,
                         the operators by their own CPU time, per image)
       torch_convnet.py DATA --serve [--threads 2]
                        (loads once, prints "ready torch <version> threads <N>", then reads
                         "BATCH WARMUP WINDOW WINDOWS" lines from stdin and answers each with a result line;
                         `bench --net convnetjs` interleaves its own cases with these so machine noise hits both alike)
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_twolayer import load  # noqa: E402  (the same reader as the numpy side: folder, .tar.gz or one .bin)

EVAL_CHUNK = 500


def standardize(xtr, xte):
    """Training and test images as float32 N x 3 x 32 x 32 tensors, standardized per channel with the training stats."""
    mean = np.array([xtr[:, c * 1024:(c + 1) * 1024].mean(dtype=np.float64) for c in range(3)])
    std = np.array([xtr[:, c * 1024:(c + 1) * 1024].astype(np.float64).std() for c in range(3)])

    def convert(x):
        out = np.empty((x.shape[0], 3, 32, 32), dtype=np.float32)
        for i in range(0, x.shape[0], 5000):  # in parts: the whole set as float64 at once would be 1.2 GB
            part = x[i:i + 5000].reshape(-1, 3, 32, 32).astype(np.float64)
            out[i:i + 5000] = (part - mean[None, :, None, None]) / std[None, :, None, None]
        return torch.from_numpy(out)

    return convert(xtr), convert(xte)


def net():
    m = nn.Sequential(
        nn.Conv2d(3, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 20, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(20, 20, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(320, 10))
    with torch.no_grad():
        for layer in m:
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                fan_in = layer.weight[0].numel()
                layer.weight.normal_(0, math.sqrt(2.0 / fan_in))
                layer.bias.zero_()
    return m


def case(xtr, ytr, xte, yte, batch, warmup, window, windows):
    torch.manual_seed(0)
    model = net()
    weights = [p for p in model.parameters() if p.dim() > 1]
    biases = [p for p in model.parameters() if p.dim() == 1]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": 1e-3}, {"params": biases, "weight_decay": 0.0}],
                          lr=1e-2, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    n = xtr.shape[0]
    model.train()

    def step():
        idx = torch.randint(0, n, (batch,))
        x, y = xtr[idx], ytr[idx]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(warmup):
        step()
    rates = []
    for _ in range(windows):
        t = time.perf_counter()
        for _ in range(window):
            step()
        rates.append(window * batch / (time.perf_counter() - t))
    train_rate = float(np.median(rates))

    model.eval()

    def evaluate():
        correct = 0
        with torch.no_grad():
            for i in range(0, xte.shape[0], EVAL_CHUNK):
                correct += int((model(xte[i:i + EVAL_CHUNK]).argmax(dim=1) == yte[i:i + EVAL_CHUNK]).sum())
        return correct

    evaluate()
    erates = []
    for _ in range(3):
        t = time.perf_counter()
        evaluate()
        erates.append(xte.shape[0] / (time.perf_counter() - t))
    return train_rate, float(np.median(erates))


def profile(xtr, ytr, batch, warmup, steps=50):
    """Prints PyTorch's own operators by self CPU time over `steps` training steps, in microseconds per image."""
    from torch.profiler import ProfilerActivity
    torch.manual_seed(0)
    model = net()
    opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9, weight_decay=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = xtr.shape[0]

    def step():
        idx = torch.randint(0, n, (batch,))
        opt.zero_grad(set_to_none=True)
        loss_fn(model(xtr[idx]), ytr[idx]).backward()
        opt.step()

    for _ in range(warmup):
        step()
    with torch.profiler.profile(activities=[ProfilerActivity.CPU]) as prof:
        t = time.perf_counter()
        for _ in range(steps):
            step()
        wall = time.perf_counter() - t
    images = steps * batch
    rows = sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)
    total = sum(e.self_cpu_time_total for e in rows)
    print("torch %s threads %d batch %d: %.0f images/s under the profiler; self CPU us per image by operator:"
          % (torch.__version__, torch.get_num_threads(), batch, images / wall))
    for e in rows[:15]:
        print("  %8.1f  %5.1f%%  %s" % (e.self_cpu_time_total / images, 100.0 * e.self_cpu_time_total / total, e.key))
    print("  %8.1f  total" % (total / images))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", default="100")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--window", type=int, default=20)
    ap.add_argument("--windows", type=int, default=5)
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    xtr8, ytr8, xte8, yte8 = load(a.data)
    xtr, xte = standardize(xtr8, xte8)
    ytr, yte = torch.from_numpy(ytr8), torch.from_numpy(yte8)
    threads = torch.get_num_threads()
    if a.profile:
        profile(xtr, ytr, int(a.batch.split(",")[0]), a.warmup)
        return 0
    if a.serve:
        print("ready torch %s threads %d" % (torch.__version__, threads), flush=True)
        for line in sys.stdin:
            f = line.split()
            if len(f) != 4:
                continue
            b, warmup, window, windows = (int(v) for v in f)
            tr, ev = case(xtr, ytr, xte, yte, b, warmup, window, windows)
            print("torch float32 threads=%d batch=%d train %.0f eval %.0f" % (threads, b, tr, ev), flush=True)
        return 0
    for b in [int(v) for v in a.batch.split(",")]:
        tr, ev = case(xtr, ytr, xte, yte, b, a.warmup, a.window, a.windows)
        print("torch float32 threads=%d batch=%d train %.0f eval %.0f" % (threads, b, tr, ev), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

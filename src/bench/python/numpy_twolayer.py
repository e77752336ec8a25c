#!/usr/bin/env python3
"""The lecture's two-layer net (affine - ReLU - affine - softmax, L2, momentum SGD) in numpy, timed the way
Babysitter's `bench` command times its own trainer: training examples/s over windows of iterations after a
warm-up (batch sampled with replacement, bytes -> floats with mean subtraction, forward, backward, update),
and evaluation examples/s over the test batch. Prints one line per case:

    numpy <dtype> H=<H> batch=<B> train <examples/s> eval <examples/s>

Usage: numpy_twolayer.py DATA_DIR_OR_BIN [--hidden 50,500] [--batch 100,200] [--dtype float64,float32]
       [--warmup 20] [--window 20] [--windows 7]
       numpy_twolayer.py DATA --serve    (loads once, then reads "H BATCH DTYPE WARMUP WINDOW WINDOWS" lines
                                          from stdin and answers each with a result line; `bench` interleaves
                                          its own cases with these so machine noise hits both sides alike)
"""
import argparse
import os
import sys
import tarfile
import time

import numpy as np

RECORD = 3073


def load(path):
    """Training records (bytes) and labels, and the test records, from a folder, a .tar.gz or one .bin."""
    def parse(raw):
        a = np.frombuffer(raw, dtype=np.uint8).reshape(-1, RECORD)
        return a[:, 1:], a[:, 0].astype(np.int64)

    train, test = [], []
    if os.path.isdir(path):
        d = os.path.join(path, "cifar-10-batches-bin") if os.path.isdir(os.path.join(path, "cifar-10-batches-bin")) else path
        for name in sorted(os.listdir(d)):
            if name.startswith("data_batch_") and name.endswith(".bin"):
                train.append(parse(open(os.path.join(d, name), "rb").read()))
            elif name == "test_batch.bin":
                test.append(parse(open(os.path.join(d, name), "rb").read()))
    elif path.endswith((".tar.gz", ".tgz")):
        with tarfile.open(path, "r:gz") as tar:
            members = sorted(tar.getmembers(), key=lambda m: m.name)
            for m in members:
                base = os.path.basename(m.name)
                if base.startswith("data_batch_"):
                    train.append(parse(tar.extractfile(m).read()))
                elif base == "test_batch.bin":
                    test.append(parse(tar.extractfile(m).read()))
    else:
        train.append(parse(open(path, "rb").read()))
    xtr = np.concatenate([t[0] for t in train])
    ytr = np.concatenate([t[1] for t in train])
    xte = np.concatenate([t[0] for t in test]) if test else xtr[-1000:]
    yte = np.concatenate([t[1] for t in test]) if test else ytr[-1000:]
    return xtr, ytr, xte, yte


def case(xtr, ytr, xte, yte, hidden, batch, dtype, warmup, window, windows):
    rng = np.random.RandomState(0)
    n = xtr.shape[0]
    mean = xtr.mean(axis=0).astype(dtype)
    d = xtr.shape[1]
    w1 = (1e-4 * rng.randn(d, hidden)).astype(dtype)
    b1 = np.zeros(hidden, dtype)
    w2 = (1e-4 * rng.randn(hidden, 10)).astype(dtype)
    b2 = np.zeros(10, dtype)
    params = [w1, b1, w2, b2]
    vel = [np.zeros_like(p) for p in params]
    lr, mu, reg = dtype(1e-4), dtype(0.9), dtype(1e-3)

    def step():
        idx = rng.randint(0, n, batch)
        x = xtr[idx].astype(dtype) - mean
        y = ytr[idx]
        h = np.maximum(0, x.dot(w1) + b1)
        s = h.dot(w2) + b2
        s = s - s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        dscores = p
        dscores[np.arange(batch), y] -= 1
        dscores /= batch
        dw2 = h.T.dot(dscores) + reg * w2
        db2 = dscores.sum(axis=0)
        dh = dscores.dot(w2.T)
        dh[h <= 0] = 0
        dw1 = x.T.dot(dh) + reg * w1
        db1 = dh.sum(axis=0)
        for p_, v, g in zip(params, vel, (dw1, db1, dw2, db2)):
            v *= mu
            v -= lr * g
            p_ += v

    for _ in range(warmup):
        step()
    rates = []
    for _ in range(windows):
        t = time.perf_counter()
        for _ in range(window):
            step()
        rates.append(window * batch / (time.perf_counter() - t))
    train_rate = float(np.median(rates))

    def evaluate():
        correct = 0
        for i in range(0, xte.shape[0], 500):
            x = xte[i:i + 500].astype(dtype) - mean
            s = np.maximum(0, x.dot(w1) + b1).dot(w2) + b2
            correct += int((s.argmax(axis=1) == yte[i:i + 500]).sum())
        return correct

    evaluate()
    erates = []
    for _ in range(5):
        t = time.perf_counter()
        evaluate()
        erates.append(xte.shape[0] / (time.perf_counter() - t))
    return train_rate, float(np.median(erates))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--hidden", default="50,500")
    ap.add_argument("--batch", default="100,200")
    ap.add_argument("--dtype", default="float64,float32")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--window", type=int, default=20)
    ap.add_argument("--windows", type=int, default=7)
    ap.add_argument("--serve", action="store_true")
    a = ap.parse_args()
    xtr, ytr, xte, yte = load(a.data)
    if a.serve:
        print("ready", flush=True)
        for line in sys.stdin:
            f = line.split()
            if len(f) != 6:
                continue
            h, b, dt, warmup, window, windows = int(f[0]), int(f[1]), f[2], int(f[3]), int(f[4]), int(f[5])
            tr, ev = case(xtr, ytr, xte, yte, h, b, getattr(np, dt), warmup, window, windows)
            print("numpy %s H=%d batch=%d train %.0f eval %.0f" % (dt, h, b, tr, ev), flush=True)
        return 0
    for dt in a.dtype.split(","):
        for h in [int(v) for v in a.hidden.split(",")]:
            for b in [int(v) for v in a.batch.split(",")]:
                tr, ev = case(xtr, ytr, xte, yte, h, b, getattr(np, dt), a.warmup, a.window, a.windows)
                print("numpy %s H=%d batch=%d train %.0f eval %.0f" % (dt, h, b, tr, ev), flush=True)


if __name__ == "__main__":
    sys.exit(main())

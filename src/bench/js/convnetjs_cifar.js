#!/usr/bin/env node
// ConvNetJS's own speed on its CIFAR-10 demo net, for the record beside `bench --net convnetjs`: the demo's layer
// list and trainer (adadelta, batch 4, l2_decay 1e-4; or sgd with momentum 0.9 and lr 1e-2), trained one image at a
// time as ConvNetJS trains, on the first few hundred images of a CIFAR-10 binary batch, pixels scaled as the demo
// does (p / 255 - 0.5), no augmentation. ConvNetJS itself is not part of this repository: pass the path of its
// build/convnet.js (e.g. from `npm pack convnetjs`, unpacked: package/build/convnet.js).
//
// Usage: node convnetjs_cifar.js CONVNET_JS DATA_DIR_OR_BIN [--images 500] [--batch 4] [--method adadelta|sgd]
//                                [--warmup 100] [--windows 5]
// Prints: convnetjs <method> batch=<B> images=<N> train <images/s> eval <images/s>
// (train: the median of --windows passes over the N images after --warmup untimed images; eval: test-mode forward
// passes over the N images, the median of 3 passes.)
'use strict';

const fs = require('fs');
const path = require('path');

const RECORD = 3073;

function parseArgs(argv) {
  const a = {images: 500, batch: 4, method: 'adadelta', warmup: 100, windows: 5, positional: []};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k.startsWith('--')) {
      const v = argv[++i];
      if (v === undefined) throw new Error(k + ' needs a value');
      const name = k.slice(2);
      if (!(name in a) || name === 'positional') throw new Error('unknown option ' + k);
      a[name] = name === 'method' ? v : parseInt(v, 10);
    } else {
      a.positional.push(k);
    }
  }
  if (a.positional.length !== 2) {
    throw new Error('usage: node convnetjs_cifar.js CONVNET_JS DATA_DIR_OR_BIN [--images 500] [--batch 4]'
      + ' [--method adadelta|sgd] [--warmup 100] [--windows 5]');
  }
  if (a.method !== 'adadelta' && a.method !== 'sgd') throw new Error('--method is adadelta or sgd, not ' + a.method);
  return a;
}

/** The first n records of the training batch (data_batch_1.bin in a folder, or the .bin given) as Vols and labels. */
function load(convnetjs, file, n) {
  const f = fs.statSync(file).isDirectory() ? path.join(file, 'data_batch_1.bin') : file;
  const raw = fs.readFileSync(f);
  const count = Math.min(n, Math.floor(raw.length / RECORD));
  const xs = [];
  const ys = [];
  for (let i = 0; i < count; i++) {
    const o = i * RECORD;
    const x = new convnetjs.Vol(32, 32, 3, 0.0);
    // the binary file is channel-major (1024 red, 1024 green, 1024 blue); a Vol is (y, x, depth)
    for (let d = 0; d < 3; d++) {
      for (let yy = 0; yy < 32; yy++) {
        for (let xx = 0; xx < 32; xx++) {
          x.set(xx, yy, d, raw[o + 1 + d * 1024 + yy * 32 + xx] / 255.0 - 0.5);
        }
      }
    }
    xs.push(x);
    ys.push(raw[o]);
  }
  return {xs, ys};
}

function median(v) {
  const s = v.slice().sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main() {
  const a = parseArgs(process.argv.slice(2));
  const convnetjs = require(path.resolve(a.positional[0]));
  const data = load(convnetjs, a.positional[1], a.images);
  const n = data.xs.length;

  // the demo's net (demo/cifar10.html)
  const layers = [];
  layers.push({type: 'input', out_sx: 32, out_sy: 32, out_depth: 3});
  layers.push({type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu'});
  layers.push({type: 'pool', sx: 2, stride: 2});
  layers.push({type: 'conv', sx: 5, filters: 20, stride: 1, pad: 2, activation: 'relu'});
  layers.push({type: 'pool', sx: 2, stride: 2});
  layers.push({type: 'conv', sx: 5, filters: 20, stride: 1, pad: 2, activation: 'relu'});
  layers.push({type: 'pool', sx: 2, stride: 2});
  layers.push({type: 'softmax', num_classes: 10});
  const net = new convnetjs.Net();
  net.makeLayers(layers);
  const options = a.method === 'adadelta'
    ? {method: 'adadelta', batch_size: a.batch, l2_decay: 0.0001}
    : {method: 'sgd', learning_rate: 0.01, momentum: 0.9, batch_size: a.batch, l2_decay: 0.0001};
  const trainer = new convnetjs.SGDTrainer(net, options);

  let k = 0;
  for (let i = 0; i < a.warmup; i++, k++) {
    trainer.train(data.xs[k % n], data.ys[k % n]);
  }
  const rates = [];
  for (let w = 0; w < a.windows; w++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++, k++) {
      trainer.train(data.xs[k % n], data.ys[k % n]);
    }
    rates.push(n / (Number(process.hrtime.bigint() - t) / 1e9));
  }
  const erates = [];
  for (let w = 0; w < 3; w++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      net.forward(data.xs[i], false);
      net.getPrediction();
    }
    erates.push(n / (Number(process.hrtime.bigint() - t) / 1e9));
  }
  console.log('convnetjs %s batch=%d images=%d train %d eval %d', a.method, a.batch, n,
    Math.round(median(rates)), Math.round(median(erates)));
}

main();

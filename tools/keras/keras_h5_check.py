"""Checks a Keras .h5 file without Keras: reads it as Keras' load_weights does (layers paired by
position with the example's model.layers) and runs the cifar10_resnet example's ResNet v1 in numpy.
The functional model's layer order is computed with Keras' own rule (_build_map + _map_graph_network:
by depth, ties by traversal order), independently of the Java code. Needs numpy and h5py.

usage: python3 keras_h5_check.py FILE.h5 DEPTH embedded|MEAN.npy IMAGES.bin PROBS.txt
  IMAGES.bin: N x 32 x 32 x 3 uint8 RGB (HWC); PROBS.txt gets one row of 10 probabilities per image,
  to compare with what the Java model predicts for the same images."""
import sys, tarfile, h5py, numpy as np

class Node:
    def __init__(self, layer, inputs): self.layer, self.inputs = layer, inputs
class Layer:
    counts = {}
    def __init__(self, kind, prefix, **cfg):
        n = Layer.counts.get(prefix, 0); Layer.counts[prefix] = n + 1
        self.name = prefix if n == 0 else f"{prefix}_{n}"
        self.kind, self.cfg, self.weights = kind, cfg, None
    def __call__(self, *inputs):
        self.node = Node(self, list(inputs)); return self.node

def resnet_layer(x, nf=16, k=3, s=1, act=True, bn=True):
    x = Layer("conv", "conv2d", k=k, s=s, f=nf)(x)
    if bn: x = Layer("bn", "batch_normalization")(x)
    if act: x = Layer("relu", "activation")(x)
    return x

def resnet_v1(depth):
    n = (depth - 2) // 6
    inputs = Layer("input", "input_1")()
    x = resnet_layer(inputs); nf = 16
    for stack in range(3):
        for b in range(n):
            s = 2 if stack > 0 and b == 0 else 1
            y = resnet_layer(x, nf, s=s)
            y = resnet_layer(y, nf, act=False)
            if stack > 0 and b == 0:
                x = resnet_layer(x, nf, k=1, s=s, act=False, bn=False)
            x = Layer("add", "add")(x, y)
            x = Layer("relu", "activation")(x)
        nf *= 2
    x = Layer("pool", "average_pooling2d")(x)
    y = Layer("flatten", "flatten")(x)
    return inputs, Layer("dense", "dense")(y)

def model_layers(output):
    """Keras' functional layer order (tf.keras functional.py _build_map / _map_graph_network)."""
    finished, in_progress, order, indices = set(), set(), [], {}
    def helper(node):
        if node in finished: return
        assert node not in in_progress
        indices.setdefault(node.layer, len(indices))
        in_progress.add(node)
        for t in node.inputs: helper(t)
        finished.add(node); in_progress.remove(node); order.append(node)
    helper(output)
    node_depth, layer_depth = {}, {}
    for node in reversed(order):
        d = max(node_depth.setdefault(node, 0), layer_depth.get(node.layer, 0))
        layer_depth[node.layer] = node_depth[node] = d
        for dep in node.inputs: node_depth[dep] = max(d + 1, node_depth.get(dep, 0))
    by_depth = {}
    for layer, d in layer_depth.items(): by_depth.setdefault(d, []).append(layer)
    layers = []
    for d in sorted(by_depth, reverse=True):
        layers.extend(sorted(by_depth[d], key=lambda l: indices[l]))
    return layers

def load_weights(f, layers):
    """tf.keras hdf5_format.load_weights_from_hdf5_group, minus the conversions for Keras 1/Theano."""
    if "layer_names" not in f.attrs and "model_weights" in f: f = f["model_weights"]
    dec = lambda v: [n.decode("utf8") if hasattr(n, "decode") else n for n in v]
    filtered = [l for l in layers if l.kind in ("conv", "bn", "dense")]
    names = [n for n in dec(f.attrs["layer_names"]) if len(f[n].attrs["weight_names"]) > 0]
    assert len(names) == len(filtered), (len(names), len(filtered))
    for layer, name in zip(filtered, names):
        g = f[name]
        layer.weights = [np.asarray(g[w]) for w in dec(g.attrs["weight_names"])]
        expect = {"conv": 2, "bn": 4, "dense": 2}[layer.kind]
        assert len(layer.weights) == expect, name
    return filtered

def conv(x, w, b, s):
    k = w.shape[0]; h = x.shape[1]; out = (h + s - 1) // s
    total = max((out - 1) * s + k - h, 0); before = total // 2
    xp = np.pad(x, ((0, 0), (before, total - before), (before, total - before), (0, 0)))
    y = np.zeros((x.shape[0], out, out, w.shape[3]), np.float64)
    for dy in range(k):
        for dx in range(k):
            patch = xp[:, dy:dy + s * out:s, dx:dx + s * out:s, :]
            y += patch @ w[dy, dx]
    return y + b

def forward(node, x, cache):
    if node in cache: return cache[node]
    l = node.layer; ins = [forward(t, x, cache) for t in node.inputs]
    if l.kind == "input": y = x
    elif l.kind == "conv":
        w, b = l.weights; assert w.shape[:2] == (l.cfg["k"], l.cfg["k"]) and w.shape[3] == l.cfg["f"], (l.name, w.shape)
        y = conv(ins[0], w, b, l.cfg["s"])
    elif l.kind == "bn":
        g, be, m, v = l.weights; y = g * (ins[0] - m) / np.sqrt(v + 1e-3) + be
    elif l.kind == "relu": y = np.maximum(ins[0], 0)
    elif l.kind == "add": y = ins[0] + ins[1]
    elif l.kind == "pool": y = ins[0].mean(axis=(1, 2), keepdims=True)
    elif l.kind == "flatten": y = ins[0].reshape(len(ins[0]), -1)
    elif l.kind == "dense":
        w, b = l.weights; z = ins[0] @ w + b; e = np.exp(z - z.max(1, keepdims=True)); y = e / e.sum(1, keepdims=True)
    cache[node] = y; return y

if __name__ == "__main__":
    path, depth, mean_src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    images = np.fromfile(sys.argv[4], np.uint8).reshape(-1, 32, 32, 3)
    inputs, out = resnet_v1(depth)
    layers = model_layers(out)
    with h5py.File(path, "r") as f:
        weighted = load_weights(f, layers)
        mean = np.asarray(f["mean_image"]) if mean_src == "embedded" else np.load(mean_src)
    print("model.layers (weighted):", [l.name for l in weighted][:12], "...")
    p = forward(out, images / 255.0 - mean, {})
    np.savetxt(sys.argv[5], p, fmt="%.7f")
    print("numpy predictions:", p.argmax(1))

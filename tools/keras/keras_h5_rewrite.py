"""Rewrites a Keras .h5 with h5py the way Keras' save_weights_to_hdf5_group writes one (every layer
listed, weightless ones with an empty weight_names; optionally as a whole model under model_weights,
and with Keras 2.2's names conv2d_1, conv2d_2, ...), to test import-keras on files made by the
reference HDF5 library. Needs numpy and h5py.

usage: python3 keras_h5_rewrite.py SRC.h5 DEPTH OUT.h5 whole|weights tf2|keras22"""
import sys, json, h5py, numpy as np
import keras_h5_check as kc

src, depth, out, kind, naming = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
inputs, output = kc.resnet_v1(depth)
layers = kc.model_layers(output)
with h5py.File(src, "r") as f:
    kc.load_weights(f, layers)
if naming == "keras22":  # Keras 2.2 numbers from 1: conv2d_1, conv2d_2, ...
    for l in layers:
        base, _, num = l.name.rpartition("_")
        if num.isdigit() and base: l.name = f"{base}_{int(num) + 1}"
        else: l.name = l.name + "_1"
roles = {"conv": ["kernel", "bias"], "bn": ["gamma", "beta", "moving_mean", "moving_variance"], "dense": ["kernel", "bias"]}
with h5py.File(out, "w") as f:
    if kind == "whole":
        f.attrs["keras_version"] = b"2.2.4"; f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps({"class_name": "Model", "config": {"name": "model_1"}}).encode()
        f.create_group("optimizer_weights").create_dataset("Adam/iterations:0", data=np.int64(7))
        g0 = f.create_group("model_weights")
    else:
        g0 = f
    g0.attrs["layer_names"] = [l.name.encode("utf8") for l in layers]
    g0.attrs["backend"] = b"tensorflow"; g0.attrs["keras_version"] = b"2.2.4"
    for l in sorted(layers, key=lambda x: x.name):
        g = g0.create_group(l.name)
        ws = l.weights or []
        names = [f"{l.name}/{r}:0".encode("utf8") for r in roles.get(l.kind, [])] if ws else []
        g.attrs["weight_names"] = names
        for n, v in zip(names, ws):
            g.create_dataset(n, v.shape, dtype=v.dtype)[:] = v
print("wrote", out, "with", len(layers), "layers")

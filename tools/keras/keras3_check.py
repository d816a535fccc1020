"""Checks Keras 3 files without Keras (numpy, h5py and zipfile only), following Keras 3's saving code
(keras/src/saving/saving_lib.py at keras-team/keras 3422977a5e38fb2f7709aaa9a08e47f0c43d0f60):

  read FILE DEPTH embedded|MEAN.npy IMAGES.bin PROBS.txt
      Loads a .weights.h5 or .keras file as Keras 3's load_weights / load_model does: walks the
      example's model.layers (Keras' own ordering rule, from keras_h5_check.py), names each layer's
      group by its class in snake case made unique by counting (Conv2D -> conv2d, conv2d_1, ...), reads
      layers/<group>/vars/0, 1, ... and checks their number as Layer._check_load_own_variables does.
      Then runs the example's ResNet v1 in numpy and writes one row of 10 probabilities per image.
  rewrite SRC DEPTH OUT
      Writes SRC's weights again with h5py exactly as Keras 3 writes them: every layer of model.layers
      gets layers/<group>/vars (empty for layers without variables) with the attribute name, the model
      its root vars; OUT ending in .keras becomes an archive as model.save writes it (metadata.json,
      config.json with the functional model's layers and inbound nodes, model.weights.h5, all stored).
      SRC's mean_image, if any, is kept at the root, so import-keras finds it.

IMAGES.bin: N x 32 x 32 x 3 uint8 RGB (HWC)."""
import io, json, re, sys, zipfile
import h5py, numpy as np
import keras_h5_check as kc

CLASSES = {"input": "InputLayer", "conv": "Conv2D", "bn": "BatchNormalization", "relu": "Activation",
           "add": "Add", "pool": "AveragePooling2D", "flatten": "Flatten", "dense": "Dense"}
COUNTS = {"conv": 2, "bn": 4, "dense": 2}

def snake(name):  # keras/src/utils/naming.py to_snake_case
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()

def groups(layers):
    """saving_lib._save_container_state: the group of each layer of model.layers."""
    used, out = {}, []
    for l in layers:
        base = snake(CLASSES[l.kind])
        if base in used: used[base] += 1; out.append(f"{base}_{used[base]}")
        else: used[base] = 0; out.append(base)
    return out

def keras3_names(layers):
    """The names a fresh Keras 3 session gives (auto_name per class, in creation order = name order here)."""
    for l in layers:
        if l.kind == "input": l.name = "input_layer"

def open_h5(path):
    if path.endswith(".keras"):
        with zipfile.ZipFile(path) as z:
            return h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
    return h5py.File(path, "r")

def load(f, layers):
    for l, g in zip(layers, groups(layers)):
        path = f"layers/{g}/vars"
        store = f[path] if path in f else {}
        want = COUNTS.get(l.kind, 0)
        assert len(store.keys()) == want, f"Layer '{l.name}' expected {want} variables, but received {len(store.keys())}"
        l.weights = [np.asarray(store[str(i)]) for i in range(want)]

def layer_config(l, node):
    c = {"name": l.name, "trainable": True, "dtype": "float32"}
    if l.kind == "conv":
        c.update(filters=l.cfg["f"], kernel_size=[l.cfg["k"]] * 2, strides=[l.cfg["s"]] * 2, padding="same",
                 data_format="channels_last", dilation_rate=[1, 1], groups=1, activation="linear", use_bias=True)
    elif l.kind == "bn": c.update(axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True)
    elif l.kind == "relu": c.update(activation="relu")
    elif l.kind == "pool": c.update(pool_size=[8, 8], strides=[8, 8], padding="valid")
    elif l.kind == "dense": c.update(units=10, activation="softmax", use_bias=True)
    elif l.kind == "input": c = {"batch_shape": [None, 32, 32, 3], "dtype": "float32", "sparse": False, "name": l.name}
    tensor = lambda n: {"class_name": "__keras_tensor__", "config": {"dtype": "float32", "keras_history": [n.layer.name, 0, 0]}}
    args = [] if not node.inputs else [tensor(node.inputs[0])] if len(node.inputs) == 1 else [[tensor(n) for n in node.inputs]]
    return {"module": "keras.layers", "class_name": CLASSES[l.kind], "config": c, "registered_name": None,
            "name": l.name, "inbound_nodes": [{"args": args, "kwargs": {}}] if args else []}

def write_h5(target, layers, mean):
    with h5py.File(target, "w") as f:
        f.create_group("vars").attrs["name"] = "functional"  # the model's own variables: none
        for l, g in zip(layers, groups(layers)):
            vars_ = f.create_group(f"layers/{g}").create_group("vars")
            vars_.attrs["name"] = l.name
            for i, w in enumerate(l.weights or []): vars_[str(i)] = w.astype(np.float32)
        if mean is not None: f["mean_image"] = mean

if __name__ == "__main__":
    mode = sys.argv[1]
    depth = int(sys.argv[3])
    inputs, out = kc.resnet_v1(depth)
    layers = kc.model_layers(out)
    keras3_names(layers)
    with open_h5(sys.argv[2]) as f:
        load(f, layers)
        embedded = np.asarray(f["mean_image"]) if "mean_image" in f else None
    print("groups:", groups(layers)[:8], "...")
    if mode == "read":
        mean = embedded if sys.argv[4] == "embedded" else np.load(sys.argv[4])
        images = np.fromfile(sys.argv[5], np.uint8).reshape(-1, 32, 32, 3)
        p = kc.forward(out, images / 255.0 - mean, {})
        np.savetxt(sys.argv[6], p, fmt="%.7f")
        print("numpy predictions:", p.argmax(1))
    elif mode == "rewrite":
        target = sys.argv[4]
        nodes = {}
        def collect(n):
            if n.layer not in nodes:
                nodes[n.layer] = n
                for i in n.inputs: collect(i)
        collect(out)
        if target.endswith(".keras"):
            buf = io.BytesIO(); write_h5(buf, layers, embedded)
            config = {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
                      "config": {"name": "functional", "trainable": True,
                                 "layers": [layer_config(l, nodes[l]) for l in layers],
                                 "input_layers": [["input_layer", 0, 0]], "output_layers": [[layers[-1].name, 0, 0]]}}
            with zipfile.ZipFile(target, "w") as z:  # stored, in the order _save_model_to_fileobj writes
                z.writestr("metadata.json", json.dumps({"keras_version": "3.16.0", "date_saved": "2026-08-21@16:09:11"}))
                z.writestr("config.json", json.dumps(config))
                z.writestr("model.weights.h5", buf.getvalue())
        else:
            write_h5(target, layers, embedded)
        print("wrote", target, "with", len(layers), "layers")

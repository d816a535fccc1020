#!/usr/bin/python3
"""The PyTorch peer's Keras recipe as a long run that survives stops: the same network, data handling and
training step as ../shared/peers/pytorch_resnet20.py (imported from there, not copied), with what a run of
many hours across sessions needs and the peer script lacks: a checkpoint after every epoch and on SIGTERM
(mid-epoch, so a stop loses nothing), an exact resume from it, and a history.csv in our own columns so
that bench/full-run-figures.py and bench/summarize.py read it as they read ours.

Usage: bench/peer-run.py ARCHIVE RUN_DIR [--epochs 200] [--threads 1] [--limit N]
Run it again with the same RUN_DIR to resume. Issue 15 uses it for the full-length Keras recipe on our
JPEG-derived data copy, so that the full-length runs are compared with the peer on the same file, as the
dataset's README asks, and not with published figures alone.
Needs Debian's PyTorch (apt-get install -y python3-torch), run with /usr/bin/python3.
"""
import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

PEERS = Path(__file__).resolve().parent.parent.parent / "shared" / "peers"
if not (PEERS / "pytorch_resnet20.py").is_file():
    sys.exit(f"error: the peer is not at {PEERS}/pytorch_resnet20.py; run this from a checkout beside ../shared")
sys.path.insert(0, str(PEERS))
import pytorch_resnet20 as peer  # noqa: E402  (the peer's network, reader, schedule and augmentation)

COLUMNS = ["epoch", "lr", "loss", "acc", "val_loss", "val_acc", "seconds", "images_per_s"]
stop_requested = False


def request_stop(signum, frame):
    global stop_requested
    stop_requested = True


def write_atomically(path: Path, write):
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)


def save_state(run: Path, state: dict):
    write_atomically(run / "checkpoint.pt", lambda p: torch.save(state, p))


def append_history(run: Path, row: dict):
    path = run / "history.csv"
    lines = path.read_text() if path.exists() else ",".join(COLUMNS) + "\n"
    lines += ",".join(str(row[c]) for c in COLUMNS) + "\n"
    write_atomically(path, lambda p: p.write_text(lines))


def rows_in_history(run: Path) -> int:
    path = run / "history.csv"
    return len(path.read_text().splitlines()) - 1 if path.exists() else 0


def evaluate(model, TX, TY):
    model.eval()
    correct = loss = 0.0
    with torch.no_grad():
        for i in range(0, len(TX), 500):
            out = model(TX[i:i + 500])
            loss += F.cross_entropy(out, TY[i:i + 500], reduction="sum").item()
            correct += (out.argmax(1) == TY[i:i + 500]).sum().item()
    return loss / len(TX), correct / len(TX)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archive")
    ap.add_argument("run_dir")
    ap.add_argument("--epochs", type=int, default=200)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N images only (for trying it)")
    a = ap.parse_args()
    if not Path(a.archive).is_file():
        sys.exit(f"error: {a.archive} not found; pass the CIFAR-10 binary archive (cifar-10-binary.tar.gz)")
    run = Path(a.run_dir)
    run.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)  # the peer's seed

    # Data and model exactly as the peer's main(): per-pixel mean subtraction of the training images.
    X, Y, TX, TY = peer.load(a.archive)
    if a.limit:
        X, Y = X[:a.limit], Y[:a.limit]
    X = torch.tensor(X, dtype=torch.float32) / 255
    TX = torch.tensor(TX, dtype=torch.float32) / 255
    mean = X.mean(0, keepdim=True)
    X -= mean
    TX -= mean
    Y, TY = torch.tensor(Y), torch.tensor(TY)
    model = peer.ResNet20()
    decay = [p for n, p in model.named_parameters() if "conv.weight" in n]
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    ckpt = run / "checkpoint.pt"
    epoch, step, perm, sums, seconds_before = 0, 0, None, [0.0, 0.0], 0.0
    if ckpt.exists():
        s = torch.load(ckpt)
        model.load_state_dict(s["model"])
        opt.load_state_dict(s["optimizer"])
        torch.set_rng_state(s["rng"])
        epoch, step, perm, sums, seconds_before = s["epoch"], s["step"], s["perm"], s["sums"], s["seconds"]
        if s.get("last_row") and rows_in_history(run) < epoch:  # stopped between the checkpoint and its row
            append_history(run, s["last_row"])
        print(f"resuming after epoch {epoch}, step {step}", flush=True)
    else:
        config = json.dumps(dict(
            peer=str(PEERS / "pytorch_resnet20.py"), archive=a.archive, epochs=a.epochs, batch=a.batch,
            threads=a.threads, limit=a.limit, torch=torch.__version__, recipe="keras (Adam 1e-3, the Keras "
            "example's steps, L2 1e-4 on convolution kernels, shifts and flips), fp32"), indent=2) + "\n"
        write_atomically(run / "config.json", lambda p: p.write_text(config))

    def save(**position):  # the model, optimizer and random state, with where in training they stand
        save_state(run, dict(model=model.state_dict(), optimizer=opt.state_dict(), rng=torch.get_rng_state(),
                             **position))

    steps = (len(X) + a.batch - 1) // a.batch
    while epoch < a.epochs:
        lr = peer.lr_at(epoch)  # the peer's schedule takes the 0-based epoch
        for g in opt.param_groups:
            g["lr"] = lr
        if perm is None:
            perm, step, sums, seconds_before = torch.randperm(len(X)), 0, [0.0, 0.0], 0.0
        model.train()
        t0 = time.time()
        while step < steps and not stop_requested:
            idx = perm[step * a.batch:(step + 1) * a.batch]
            xb, yb = peer.augment(X[idx]), Y[idx]
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            l2 = sum((w * w).sum() for w in decay) * 1e-4
            opt.zero_grad()
            (loss + l2).backward()
            opt.step()
            sums[0] += loss.item() * len(idx)
            sums[1] += (out.argmax(1) == yb).sum().item()
            step += 1
            if step % 200 == 0:
                print(f"epoch {epoch + 1} step {step}/{steps}", flush=True)
        seconds = seconds_before + time.time() - t0
        if stop_requested:
            save(epoch=epoch, step=step, perm=perm, sums=sums, seconds=seconds)
            print(f"stopped in epoch {epoch + 1} at step {step}: saved, resume with the same command", flush=True)
            return
        val_loss, val_acc = evaluate(model, TX, TY)
        epoch += 1
        row = dict(epoch=epoch, lr=lr, loss=f"{sums[0] / len(X):.6f}", acc=f"{sums[1] / len(X):.6f}",
                   val_loss=f"{val_loss:.6f}", val_acc=f"{val_acc:.6f}", seconds=f"{seconds:.2f}",
                   images_per_s=f"{len(X) / seconds:.1f}")
        perm = None
        # The checkpoint first, carrying the row, then the row: after a stop between the two, resume
        # writes the row from the checkpoint.
        save(epoch=epoch, step=0, perm=None, sums=[0.0, 0.0], seconds=0.0, last_row=row)
        append_history(run, row)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()

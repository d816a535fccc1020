#!/usr/bin/python3
"""Where the PyTorch peer's training step spends its time: operator self-time per step, to set next to
`cifar-resnet benchmark --profile N` (kernel time by kernel type). Same network, batch and optimizer
as ../shared/peers/pytorch_bench.py (PEERS=DIR if the peers are elsewhere).
usage: bench/profile-pytorch.py [--batch 128] [--steps 5] [--precision fp32|bf16] [--layout cl|nchw]"""
import argparse, os, sys
import torch, torch.nn.functional as F
from torch.profiler import profile, ProfilerActivity

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("PEERS", os.path.join(here, "..", "..", "shared", "peers")))
from pytorch_resnet20 import ResNet20

ap = argparse.ArgumentParser()
ap.add_argument("--batch", type=int, default=128); ap.add_argument("--steps", type=int, default=5)
ap.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
ap.add_argument("--layout", choices=["cl", "nchw"], default="cl"); ap.add_argument("--threads", type=int, default=2)
a = ap.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(0)
mf = torch.channels_last if a.layout == "cl" else torch.contiguous_format
model = ResNet20().to(memory_format=mf)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(a.batch, 3, 32, 32).contiguous(memory_format=mf); y = torch.randint(0, 10, (a.batch,))

def step():
    opt.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
        loss = F.cross_entropy(model(x), y)
    loss.backward(); opt.step()

for _ in range(3): step()
with profile(activities=[ProfilerActivity.CPU]) as prof:
    for _ in range(a.steps): step()
rows = sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)
total = sum(e.self_cpu_time_total for e in rows)
print(f"PyTorch {torch.__version__}, batch {a.batch}, {a.precision}, {a.layout}: "
      f"{total / 1000 / a.steps:.1f} ms of operator self-time per step")
for e in rows:
    if e.self_cpu_time_total < 0.002 * total: break
    print(f"  {e.key:<40} {e.self_cpu_time_total / 1000 / a.steps:8.2f} ms {100 * e.self_cpu_time_total / total:5.1f} %"
          f"  {e.count / a.steps:5.0f} per step")

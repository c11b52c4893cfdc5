"""torchdiffeq's float32 dopri5 NFE on panode's MLP bench problems (rtol 1e-4, atol 1e-6, t = [0, T]).

Weights and initial states: the SplitMix64 generator of testdata/reference/README.md (bench_*.json, model.generator),
drawn in double and rounded to float32. Prints one JSON object.
"""
import json, math, platform, sys
import torch
import torchdiffeq
from torchdiffeq import odeint

M = (1 << 64) - 1
class SplitMix64:
    def __init__(self, seed): self.s = seed & M
    def u01(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return ((z ^ (z >> 31)) >> 11) * (1.0 / 9007199254740992.0)
    def uniform(self, a, b): return a + (b - a) * self.u01()

CASES = [("d2_h50_b1", 2, 50, 1, [1.0, 10.0], 1001, 4002, 1.0, 2.0),
         ("d2_h50_b16", 2, 50, 16, [1.0, 10.0], 1001, 1002, 1.0, 2.0),
         ("d2_h50_b16_s3", 2, 50, 16, [1.0, 10.0], 1001, 1002, 3.0, 2.0),
         ("d2_h64_b1024", 2, 64, 1024, [1.0], 2001, 2002, 1.0, 2.0),
         ("d32_h256_b256", 32, 256, 256, [1.0], 3001, 3002, 1.0, 1.0)]

def model(case):
    """The float32 weights [(W, b)] * 3 and z0 (batch x D) of one CASES entry, as the bench files draw them."""
    name, D, H, B, Ts, ws, zs, scale, zr = case
    g = SplitMix64(ws)
    layers = []
    for fi, fo in [(D, H), (H, H), (H, D)]:
        k = scale / math.sqrt(fi)
        W = torch.tensor([[g.uniform(-k, k) for _ in range(fi)] for _ in range(fo)], dtype=torch.float32)
        b = torch.tensor([g.uniform(-k, k) for _ in range(fo)], dtype=torch.float32)
        layers.append((W, b))
    gz = SplitMix64(zs)
    z0 = torch.tensor([[gz.uniform(-zr, zr) for _ in range(D)] for _ in range(B)], dtype=torch.float32)
    return layers, z0


def main():
    torch.set_num_threads(1)
    out = {"schema": "torchdiffeq-float32-nfe/v1", "tol": {"rtol": 1e-4, "atol": 1e-6}, "method": "dopri5",
           "meta": {"torch": torch.__version__, "torchdiffeq": torchdiffeq.__version__,
                    "python": platform.python_version(), "threads": 1,
                    "model": "torch.nn.functional.linear, tanh, float32 tensors; t float32"},
           "runs": []}
    for case in CASES:
        name, Ts = case[0], case[4]
        layers, z0 = model(case)
        class F(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.nfe = 0
            def forward(self, t, z):
                self.nfe += 1
                h = torch.tanh(torch.nn.functional.linear(z, *layers[0]))
                h = torch.tanh(torch.nn.functional.linear(h, *layers[1]))
                return torch.nn.functional.linear(h, *layers[2])
        for T in Ts:
            f = F()
            with torch.no_grad():
                zT = odeint(f, z0, torch.tensor([0.0, T]), rtol=1e-4, atol=1e-6, method="dopri5")[-1]
            out["runs"].append({"case": name, "T": T, "nfe": f.nfe, "zT_sum": float(zT.double().sum())})
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

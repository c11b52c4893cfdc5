"""torchdiffeq's float32 odeint_adjoint on panode's MLP bench problems: forward and backward NFE with the default
(full) adjoint norm and with the seminorm, dopri5, rtol 1e-4, atol 1e-6, t = [0, 1], loss L = sum(z(1)^2).

The models and initial states are those of torchdiffeq_float32_nfe.py (the SplitMix64 generator of the bench files,
drawn in double and rounded to float32); the weights and biases are six float32 parameter tensors (W1, b1, W2, b2,
W3, b3), so the full norm takes the largest of the RMS norms of y, a, each of the six parameter adjoints and a_t.
The gradients' sums are recorded as a sanity check. The same runs in float64 (the float32 weights and z0 widened, same
tolerances) are recorded beside them, with "dtype": "float64", for comparison. Prints one JSON object.
"""
import datetime, json, platform, sys
import torch
import torchdiffeq
from torchdiffeq import odeint_adjoint

from torchdiffeq_float32_nfe import CASES, model

NORMS = {"full": None, "seminorm": dict(norm="seminorm")}


class F(torch.nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.params = torch.nn.ParameterList()
        for W, b in layers:
            self.params.append(torch.nn.Parameter(W.clone()))
            self.params.append(torch.nn.Parameter(b.clone()))
        self.nfe = 0

    def forward(self, t, z):
        self.nfe += 1
        p = self.params
        h = torch.tanh(torch.nn.functional.linear(z, p[0], p[1]))
        h = torch.tanh(torch.nn.functional.linear(h, p[2], p[3]))
        return torch.nn.functional.linear(h, p[4], p[5])


def main():
    torch.set_num_threads(1)
    out = {"schema": "torchdiffeq-float32-adjoint-nfe/v1", "tol": {"rtol": 1e-4, "atol": 1e-6}, "method": "dopri5",
           "T": 1.0, "loss": "final: L = sum(z(T)^2)",
           "meta": {"torch": torch.__version__, "torchdiffeq": "torchdiffeq 0.2.5", "python": platform.python_version(),
                    "threads": 1, "generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "model": "torch.nn.functional.linear, tanh; six float32 nn.Parameters (W1, b1, W2, b2, W3, b3); "
                             "z0 and t float32",
                    "adjoint": "odeint_adjoint(f, z0, t, rtol=1e-4, atol=1e-6, method='dopri5'), the adjoint's "
                               "tolerances and method the forward's; adjoint_options=None (full norm) or "
                               "dict(norm='seminorm')",
                    "command": "PYTHONPATH=<torchdiffeq 0.2.5 source>:. python3 torchdiffeq_float32_adjoint_nfe.py "
                               "> torchdiffeq_float32_adjoint_nfe.json (in testdata/reference)"},
           "runs": []}
    for case in CASES:
        name = case[0]
        if name == "d2_h50_b16_s3":
            continue  # not a gradient bench case
        layers, z0 = model(case)
        for dtype, norm in [(d, n) for d in (torch.float32, torch.float64) for n in NORMS]:
            f = F([(W.to(dtype), b.to(dtype)) for W, b in layers])
            z = z0.to(dtype).clone().requires_grad_(True)
            zT = odeint_adjoint(f, z, torch.tensor([0.0, 1.0], dtype=dtype), rtol=1e-4, atol=1e-6, method="dopri5",
                                adjoint_options=NORMS[norm])[-1]
            forward = f.nfe
            loss = (zT * zT).sum()
            loss.backward()
            out["runs"].append({
                "case": name, "dtype": str(dtype).replace("torch.", ""), "norm": norm, "nfe_forward": forward, "nfe_backward": f.nfe - forward,
                "loss": float(loss.double()), "dL_dz0_sum": float(z.grad.double().sum()),
                "dL_dtheta_sums": [float(q.grad.double().sum()) for q in f.params]})
            print(name, dtype, norm, forward, f.nfe - forward, file=sys.stderr)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

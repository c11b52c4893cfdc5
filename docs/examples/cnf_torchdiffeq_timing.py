"""Per-iteration time of torchdiffeq's examples/cnf.py, for comparison with panode's CnfIterationBenchmark.

It imports cnf.py's own CNF model and get_batch from the torchdiffeq source tree and times cnf.py's training
iteration (odeint from t = 10 to 0 with dopri5 at rtol = atol = 1e-5 on 512 two-circles samples, the NLL under
N(0, 0.1 I), backward, an Adam step). Like the Java benchmark, every timed iteration starts from the initial
parameters, so the NFE is the same from one iteration to the next. cnf.py's plotting and scikit-learn imports are
replaced by stand-ins (its make_circles by the same construction written here), as neither is needed for timing.

    PYTHONPATH=/path/to/torchdiffeq python3 docs/examples/cnf_torchdiffeq_timing.py \
        --examples /path/to/torchdiffeq/examples [--adjoint] [--threads 1] [--iters 20] [--warmup 3] \
        [--dtype float32|float64]

--dtype float64 runs the same model in double precision (cnf.py itself runs float32), to compare with panode's float64.

Prints the median and minimum milliseconds per iteration (wall clock; and the median CPU time of the process, which a
loaded machine disturbs less) and the forward/backward function evaluations.
"""
import argparse
import copy
import importlib.util
import os
import statistics
import sys
import time
import types

import numpy as np
import torch


def make_circles(n_samples=100, noise=None, factor=0.8):
    """Two concentric circles, n_samples // 2 on the outer one at evenly spaced angles, plus Gaussian noise."""
    n_out = n_samples // 2
    n_in = n_samples - n_out
    a_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    a_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    x = np.concatenate([np.cos(a_out), factor * np.cos(a_in)])
    y = np.concatenate([np.sin(a_out), factor * np.sin(a_in)])
    points = np.stack([x, y], axis=1)
    labels = np.concatenate([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    order = np.random.permutation(n_samples)
    points, labels = points[order], labels[order]
    if noise is not None:
        points = points + np.random.normal(scale=noise, size=points.shape)
    return points, labels


def install_stand_ins():
    matplotlib = types.ModuleType("matplotlib")
    matplotlib.use = lambda *a, **k: None
    pyplot = types.ModuleType("matplotlib.pyplot")
    matplotlib.pyplot = pyplot
    sklearn = types.ModuleType("sklearn")
    datasets = types.ModuleType("sklearn.datasets")
    datasets.make_circles = make_circles
    sklearn.datasets = datasets
    for name, module in [("matplotlib", matplotlib), ("matplotlib.pyplot", pyplot), ("sklearn", sklearn),
                         ("sklearn.datasets", datasets)]:
        sys.modules.setdefault(name, module)


def load_cnf(examples, adjoint):
    install_stand_ins()
    argv = sys.argv
    sys.argv = ["cnf.py"] + (["--adjoint"] if adjoint else [])
    try:
        spec = importlib.util.spec_from_file_location("torchdiffeq_cnf_example", os.path.join(examples, "cnf.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.argv = argv
    module.device = torch.device("cpu")
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", required=True, help="torchdiffeq's examples folder (holding cnf.py)")
    parser.add_argument("--adjoint", action="store_true", help="odeint_adjoint, as cnf.py --adjoint")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--iters", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--dump", default=None,
                        help="write one iteration's θ_0, batch, loss, NFE and gradient to this file (panode's "
                             "CnfPeerReplay solves the same problem from it) and exit")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32",
                        help="float32 as cnf.py, or float64")
    args = parser.parse_args()
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    torch.set_default_dtype(dtype)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    np.random.seed(0)

    cnf = load_cnf(args.examples, args.adjoint)
    func = cnf.CNF(in_out_dim=2, hidden_dim=32, width=64)
    initial = copy.deepcopy(func.state_dict())
    optimizer = torch.optim.Adam(func.parameters(), lr=1e-3)
    p_z0 = torch.distributions.MultivariateNormal(loc=torch.tensor([0.0, 0.0]),
                                                  covariance_matrix=torch.tensor([[0.1, 0.0], [0.0, 0.1]]))
    calls = [0]
    forward = func.forward

    def counted(t, states):
        calls[0] += 1
        return forward(t, states)

    func.forward = counted

    def iteration():
        optimizer.zero_grad()
        x, logp_diff_t1 = cnf.get_batch(512)
        x, logp_diff_t1 = x.to(dtype), logp_diff_t1.to(dtype)
        calls[0] = 0
        z_t, logp_diff_t = cnf.odeint(func, (x, logp_diff_t1), torch.tensor([10.0, 0.0], dtype=dtype), atol=1e-5, rtol=1e-5,
                                      method="dopri5")
        nfe_forward = calls[0]
        logp_x = p_z0.log_prob(z_t[-1]) - logp_diff_t[-1].view(-1)
        loss = -logp_x.mean(0)
        calls[0] = 0
        loss.backward()
        nfe_backward = calls[0]
        optimizer.step()
        return nfe_forward, nfe_backward

    if args.dump is not None:
        x, logp_diff_t1 = cnf.get_batch(512)
        x, logp_diff_t1 = x.to(dtype), logp_diff_t1.to(dtype)
        optimizer.zero_grad()
        calls[0] = 0
        z_t, logp_diff_t = cnf.odeint(func, (x, logp_diff_t1), torch.tensor([10.0, 0.0], dtype=dtype), atol=1e-5,
                                      rtol=1e-5, method="dopri5")
        nfe_forward = calls[0]
        loss = -(p_z0.log_prob(z_t[-1]) - logp_diff_t[-1].view(-1)).mean(0)
        calls[0] = 0
        loss.backward()
        nfe_backward = calls[0]
        flat = lambda ts: " ".join(repr(float(v)) for t in ts for v in t.detach().reshape(-1).tolist())
        with open(args.dump, "w") as out:
            out.write(flat(func.state_dict().values()) + "\n")
            out.write(flat([x]) + "\n")
            out.write("%r %d %d\n" % (float(loss), nfe_forward, nfe_backward))
            out.write(flat([p.grad for p in func.parameters()]) + "\n")
        print("wrote %s: loss %.10f, NFE forward %d, backward %d" % (args.dump, float(loss), nfe_forward,
                                                                      nfe_backward))
        return

    times = []
    cpu = []
    nfe = None
    for i in range(args.warmup + args.iters):
        func.load_state_dict(initial)
        start = time.perf_counter()
        start_cpu = time.process_time()
        nfe = iteration()
        elapsed = time.perf_counter() - start
        elapsed_cpu = time.process_time() - start_cpu
        if i >= args.warmup:
            times.append(elapsed * 1e3)
            cpu.append(elapsed_cpu * 1e3)
    print("torchdiffeq examples/cnf.py, %s, %s, %d thread(s): median %.1f ms, min %.1f ms per iteration over %d "
          "(CPU time: median %.1f ms); NFE forward %d, backward %d"
          % ("odeint_adjoint" if args.adjoint else "odeint (backprop)", args.dtype, args.threads, statistics.median(times),
             min(times), len(times), statistics.median(cpu), nfe[0], nfe[1]))


if __name__ == "__main__":
    main()

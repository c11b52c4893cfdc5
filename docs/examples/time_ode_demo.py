#!/usr/bin/env python3
"""Times torchdiffeq's examples/ode_demo.py as it is, without its plots, for the comparison with `panode demo`.

The script is run unchanged from where torchdiffeq's source was extracted (nothing of it is copied here), with runpy,
under a chosen dtype and thread count. Two times are printed:

  training loop   from the creation of the script's optimiser (the line before its loop) to the script's end: the
                  2000 iterations with their batch draws, solves, backward passes and optimiser steps, plus the
                  full-trajectory test every --test_freq iterations (the script's own loop, as it runs it);
  whole script    from just before the script starts (torch and torchdiffeq imports, the true trajectory's solve
                  included) to its end.

The loop's CPU time (the process's, all threads) is printed beside its wall time: on a busy machine it is the steadier
figure. Time the whole command (interpreter start and `import torch` included) from the shell:
`/usr/bin/time -f "%e s, user %U s" ...`.
Plots stay off (the script draws only with --viz).

Usage (from the project root; the torchdiffeq folder holds torchdiffeq/ and examples/):

    TORCHDIFFEQ_PATH=/path/to/torchdiffeq /usr/bin/time -f "whole command %e s" \\
        python3 docs/examples/time_ode_demo.py --dtype float64 --threads 1 -- --niters 2000 --test_freq 20

Everything after `--` goes to ode_demo.py (its defaults: dopri5, data_size 1000, batch_time 10, batch_size 20,
niters 2000, test_freq 20; torchdiffeq's default tolerances rtol 1e-7 / atol 1e-9).
"""
import argparse
import os
import runpy
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32",
                        help="torch's default dtype while the script runs (the script's own default is float32)")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="seeds numpy's batch draws and torch's initial weights")
    parser.add_argument("--script", default=None,
                        help="path of ode_demo.py (default: $TORCHDIFFEQ_PATH/examples/ode_demo.py)")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="-- then ode_demo.py's own arguments")
    args = parser.parse_args()
    root = os.environ.get("TORCHDIFFEQ_PATH")
    script = args.script or (os.path.join(root, "examples", "ode_demo.py") if root else None)
    if script is None or not os.path.isfile(script):
        sys.exit("ode_demo.py not found: set TORCHDIFFEQ_PATH to the extracted torchdiffeq folder or pass --script")
    root = root or os.path.dirname(os.path.dirname(os.path.abspath(script)))
    if root not in sys.path:
        sys.path.insert(0, root)
    rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
    if "--viz" in rest:
        sys.exit("--viz draws plots; this harness times the script without them")

    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64 if args.dtype == "float64" else torch.float32)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    marks = {}
    rmsprop = torch.optim.RMSprop

    class MarkedRMSprop(rmsprop):
        """The script's optimiser; its creation marks the start of the training loop."""

        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            marks.setdefault("loop", time.perf_counter())
            marks.setdefault("loop_cpu", time.process_time())

    torch.optim.RMSprop = MarkedRMSprop
    sys.argv = [script] + rest
    start = time.perf_counter()
    runpy.run_path(script, run_name="__main__")
    end = time.perf_counter()
    end_cpu = time.process_time()
    if "loop" not in marks:
        sys.exit("the script did not create its RMSprop optimiser: not the expected ode_demo.py")
    print("ode_demo.py %s, %d thread(s), torch %s" % (args.dtype, torch.get_num_threads(), torch.__version__))
    print("training loop %.2f s (CPU %.2f s)" % (end - marks["loop"], end_cpu - marks["loop_cpu"]))
    print("whole script  %.2f s" % (end - start))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the PyTorch fixtures of panode's io tests: small nn.Sequential state_dicts as safetensors files, and torch's
own forward outputs and vector-Jacobian products of those networks as JSON.

Run from this directory with a Python that has torch (numpy is used for the raw bytes):

    python3 make_fixtures.py

The safetensors files are written by the format's specification (8-byte little-endian header length, JSON header,
raw little-endian tensors), without the safetensors package; when that package is installed, each file is also
loaded with it and compared. The layouts differ on purpose:
  tanh_f64   header not padded and of odd length (every tensor starts at an odd file offset), data in reverse order;
  tanh_f32   the reference writer's layout (compact JSON padded with spaces to 8 bytes, data in header order),
             which panode's writer must reproduce byte for byte;
  tanh_bf16  bfloat16 weights, odd-length header;
  spiral_f16 float16 weights of torchdiffeq's spiral ODE function (self.net = Sequential, fed y**3): names "net.0.weight".

Each <name>.expected.json holds, for a few batches of states y and cotangents v, torch's f(y), v^T df/dy and
v^T df/dtheta per tensor (summed over the batch): under "f64" computed in float64 from the stored weights (exactly
upcast), under "f32" (for the 32-bit and 16-bit files) computed by torch in float32, as a float32 model runs; and
under "unrounded" the float64 weights before torch rounded them to the stored dtype (an oracle for the rounding of
panode's writer).
"""
import json
import struct
import sys

import numpy as np
import torch

assert sys.byteorder == "little", "the raw tensor bytes below are written in native (little-endian) order"

DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16"}


def tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: the same 16 bits as int16
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_safetensors(path, tensors, metadata, padded, data_order=None):
    """tensors: dict name -> tensor, in header order; data_order: the names in the order their bytes are laid out."""
    data_order = data_order or list(tensors)
    offsets, blobs, at = {}, [], 0
    for name in data_order:
        b = tensor_bytes(tensors[name])
        offsets[name] = [at, at + len(b)]
        blobs.append(b)
        at += len(b)
    header = {"__metadata__": metadata}
    for name, t in tensors.items():
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": offsets[name]}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    if padded:
        text += b" " * (-len(text) % 8)
    elif len(text) % 2 == 0:
        text += b" "  # odd length: the data section starts at an odd offset
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    check_with_reference_package(path, tensors)


def check_with_reference_package(path, tensors):
    try:
        from safetensors.torch import load_file
    except ImportError:
        return
    loaded = load_file(path)
    assert list(sorted(loaded)) == list(sorted(tensors)), path
    for name, t in tensors.items():
        assert torch.equal(loaded[name], t), (path, name)


class SpiralFunc(torch.nn.Module):
    """torchdiffeq's ode_demo ODEFunc: f(t, y) = net(y**3)."""

    def __init__(self, dim, hidden):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(dim, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, dim))

    def forward(self, y):
        return self.net(y ** 3)


def tanh_net(dim, hidden):
    return torch.nn.Sequential(torch.nn.Linear(dim, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, hidden),
                               torch.nn.Tanh(), torch.nn.Linear(hidden, dim))


def vjps(model, ys, vs, dtype):
    """torch's f(y), v^T df/dy and v^T df/dtheta per named parameter, in dtype."""
    model = model.to(dtype)
    out = []
    for y0, v0 in zip(ys, vs):
        y = y0.to(dtype).clone().requires_grad_(True)
        v = v0.to(dtype)
        model.zero_grad()
        f = model(y)
        (f * v).sum().backward()
        out.append({"f": f.detach().double().tolist(), "y_bar": y.grad.double().tolist(),
                    "grads": {n: p.grad.double().tolist() for n, p in model.named_parameters()}})
    return out


def fixture(name, model, arch, stored_dtype, padded, reverse_data, inputs_dtype, seed):
    unrounded = {n: t.detach().double().flatten().tolist() for n, t in model.state_dict().items()}
    model = model.to(stored_dtype)
    state = {n: t.detach().clone() for n, t in model.state_dict().items()}
    write_safetensors(name + ".safetensors", state, {"format": "pt", "generator": "make_fixtures.py",
                                                     "torch": torch.__version__},
                      padded, list(reversed(state)) if reverse_data else None)
    g = torch.Generator().manual_seed(seed)
    dim = arch["layers"][-1]["linear"][1]
    ys = [(1.2 * torch.randn(rows, dim, generator=g, dtype=torch.float64)).to(inputs_dtype) for rows in (1, 4, 7)]
    vs = [torch.randn(rows, dim, generator=g, dtype=torch.float64).to(inputs_dtype) for rows in (1, 4, 7)]
    expected = {"weights": name + ".safetensors", "dtype": DTYPES[stored_dtype], "torch": torch.__version__,
                "arch": arch, "cases": []}
    if stored_dtype != torch.float64:
        expected["unrounded"] = unrounded  # the float64 weights before torch rounded them to the stored dtype
    f64 = vjps(model, ys, vs, torch.float64)
    f32 = vjps(model, ys, vs, torch.float32) if stored_dtype != torch.float64 else None
    for i in range(len(ys)):
        case = {"y": ys[i].double().tolist(), "v": vs[i].double().tolist(), "f64": f64[i]}
        if f32 is not None:
            case["f32"] = f32[i]
        expected["cases"].append(case)
    with open(name + ".expected.json", "w") as f:
        json.dump(expected, f, separators=(",", ":"))
        f.write("\n")


def main():
    tanh_arch = {"layers": [{"linear": [3, 10]}, "tanh", {"linear": [10, 10]}, "tanh", {"linear": [10, 3]}]}
    spiral_arch = {"layers": [{"linear": [2, 16]}, "tanh", {"linear": [16, 2]}], "input_transform": "cube",
                   "prefix": "net."}
    for file, arch in (("tanh.arch.json", tanh_arch), ("spiral.arch.json", spiral_arch)):
        with open(file, "w") as f:
            json.dump(arch, f, indent=2)
            f.write("\n")
    torch.manual_seed(19)
    base = tanh_net(3, 10).double()
    fixture("tanh_f64", base, tanh_arch, torch.float64, padded=False, reverse_data=True,
            inputs_dtype=torch.float64, seed=1)
    fixture("tanh_f32", tanh_net(3, 10).double(), tanh_arch, torch.float32, padded=True, reverse_data=False,
            inputs_dtype=torch.float32, seed=2)
    # bfloat16 weights: a float64 model rounded to bfloat16; torch's "f32" results run the float32 copy of them
    fixture("tanh_bf16", tanh_net(3, 10).double(), tanh_arch, torch.bfloat16, padded=False, reverse_data=False,
            inputs_dtype=torch.float32, seed=3)
    fixture("spiral_f16", SpiralFunc(2, 16).double(), spiral_arch, torch.float16, padded=False, reverse_data=False,
            inputs_dtype=torch.float32, seed=4)


if __name__ == "__main__":
    main()

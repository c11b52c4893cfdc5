#!/usr/bin/env python3
"""A client of `panode serve` using only the Python standard library (http.client and json).

Usage: python3 serve_client.py [BASE_URL]     (default http://127.0.0.1:8080)

It loads a small model, solves, differentiates, sends a batch and one bad request over a single keep-alive
connection, and prints one JSON object with everything it sent and received.
"""
import http.client
import json
import math
import sys
import urllib.parse


class PanodeClient:
    """One keep-alive HTTP/1.1 connection to a panode service."""

    def __init__(self, base_url="http://127.0.0.1:8080", timeout=30):
        url = urllib.parse.urlsplit(base_url)
        self.conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=timeout)

    def call(self, method, path, body=None):
        """Returns (status, parsed JSON). Errors are JSON too: {"error": {"status", "kind", "field", "message"}}."""
        payload = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        self.conn.request(method, path, body=payload, headers=headers)
        response = self.conn.getresponse()
        data = response.read()  # read fully so that the connection can be reused
        return response.status, json.loads(data)

    def close(self):
        self.conn.close()


def small_model():
    """A 2 -> 8 -> 2 tanh MLP in the panode model format (W is out x in, as PyTorch's nn.Linear.weight)."""
    w1 = [[0.5 * math.sin(i + 2 * j + 1) for j in range(2)] for i in range(8)]
    b1 = [0.1 * math.cos(i) for i in range(8)]
    w2 = [[0.3 * math.cos(3 * i + j) for j in range(8)] for i in range(2)]
    b2 = [0.0, 0.05]
    return {"layers": [{"W": w1, "b": b1}, {"W": w2, "b": b2}], "activations": ["tanh", "identity"]}


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
    client = PanodeClient(base)
    out = {"model": small_model()}
    try:
        out["health"] = client.call("GET", "/health")[1]
        out["load"] = client.call("POST", "/v1/models", {"name": "small", "model": out["model"]})
        problem = {"model": "small", "z0": [[1.0, 0.0], [0.0, -0.5]], "t": [0.0, 0.5, 1.0]}
        out["solve"] = client.call("POST", "/v1/solve", problem)
        out["grad"] = client.call("POST", "/v1/grad", dict(problem, gradient="adjoint-seminorm", loss="final"))
        out["batch"] = client.call("POST", "/v1/solve/batch",
                                   {"problems": [problem, dict(problem, method="rk4", steps=10)]})
        out["bad"] = client.call("POST", "/v1/solve", dict(problem, z0=[[1.0]]))  # 422 naming z0[0]
    finally:
        client.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()

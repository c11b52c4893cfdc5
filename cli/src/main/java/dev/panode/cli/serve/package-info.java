/**
 * {@code panode serve}: a JSON service over HTTP/1.1 for the solvers and gradients, with the request and response
 * formats of {@code panode solve} and {@code panode grad}. {@link dev.panode.cli.serve.PanodeServer} is the entry
 * point; docs/SERVE.md documents the endpoints, the limits and the measured latency.
 */
package dev.panode.cli.serve;

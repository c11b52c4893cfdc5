/** JMH benchmarks. */
package dev.panode.bench;

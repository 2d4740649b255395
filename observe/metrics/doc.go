// Package metrics exposes a running sluice job to Prometheus: per-stage
// counters and in-flight gauges read from pipeline.Stats at scrape time
// (a custom Collector, so the hot path pays nothing), and fetch latency,
// responses by status and retries observed around the fetch stage.
package metrics

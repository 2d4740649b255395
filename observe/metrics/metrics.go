package metrics

import (
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/pipeline"
)

// Metrics is the Prometheus registry of one run.
type Metrics struct {
	latest    atomic.Pointer[[]pipeline.StageStats]
	reg       *prometheus.Registry
	latency   prometheus.Histogram
	responses *prometheus.CounterVec
	retries   prometheus.Counter
}

// New returns the metrics of a run; feed them the run's events through
// Observe. It registers Go runtime and process metrics too.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sluice_fetch_duration_seconds",
			Help:    "Time to fetch one input, retries and politeness waits included.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 14),
		}),
		responses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_fetch_responses_total",
			Help: "Fetches by final HTTP status (\"error\" when there was no response).",
		}, []string{"code"}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_fetch_retries_total",
			Help: "Attempts beyond the first.",
		}),
	}
	m.reg.MustRegister(newStageCollector(m.stats), m.latency, m.responses, m.retries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Observe makes Metrics an observe.Observer: stage snapshots feed the
// stage counters, fetches the latency histogram, status codes and retries.
func (m *Metrics) Observe(e observe.Event) {
	switch e := e.(type) {
	case *observe.RunStarted:
		stages := make([]pipeline.StageStats, len(e.Graph.Stages))
		for i, s := range e.Graph.Stages {
			stages[i] = pipeline.StageStats{Name: s.Name, Kind: s.Kind, Workers: s.Workers}
		}
		m.latest.Store(&stages)
	case *observe.StageSnapshot:
		m.latest.Store(&e.Stages)
	case *observe.RunFinished:
		if e.Stages != nil {
			m.latest.Store(&e.Stages)
		}
	case *observe.Fetch:
		m.observeFetch(e)
	}
}

// observeFetch records one fetch: its duration, final status and retries.
func (m *Metrics) observeFetch(e *observe.Fetch) {
	m.latency.Observe(e.Latency.Seconds())
	code := "error"
	if e.Status != 0 {
		code = strconv.Itoa(e.Status)
	}
	m.responses.WithLabelValues(code).Inc()
	if e.Attempts > 1 {
		m.retries.Add(float64(e.Attempts - 1))
	}
}

// stats is the latest stage snapshot, nil before the first.
func (m *Metrics) stats() []pipeline.StageStats {
	if p := m.latest.Load(); p != nil {
		return *p
	}
	return nil
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Gatherer is the registry, for tests and other exporters.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

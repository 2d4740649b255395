package metrics

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
)

// Metrics is the Prometheus registry of one run.
type Metrics struct {
	reg       *prometheus.Registry
	latency   prometheus.Histogram
	responses *prometheus.CounterVec
	retries   prometheus.Counter
}

// New returns the metrics of a run whose stage counters stats reads. It
// registers Go runtime and process metrics too.
func New(stats func() []pipeline.StageStats) *Metrics {
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
	m.reg.MustRegister(newStageCollector(stats), m.latency, m.responses, m.retries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveFetch records one fetch: its duration, final status and retries.
// It has the signature job.BuildOptions.ObserveFetch takes.
func (m *Metrics) ObserveFetch(resp *fetch.Response, err error, elapsed time.Duration) {
	m.latency.Observe(elapsed.Seconds())
	code, attempts := "error", 1
	if resp != nil {
		code, attempts = strconv.Itoa(resp.StatusCode), resp.Attempts
	} else {
		var se *fetch.StatusError
		if errors.As(err, &se) {
			code = strconv.Itoa(se.Code)
		}
		var fe *fetch.Error
		if errors.As(err, &fe) {
			attempts = fe.Tries
		}
	}
	m.responses.WithLabelValues(code).Inc()
	if attempts > 1 {
		m.retries.Add(float64(attempts - 1))
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Gatherer is the registry, for tests and other exporters.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

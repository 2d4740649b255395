//go:build !sluice_metrics

package metrics

import (
	"net/http"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
)

// Enabled reports whether this build serves Prometheus metrics. This build
// does not: go.sum lacks the checksums of client_golang's dependencies
// until the module owner runs
// `go get github.com/prometheus/client_golang/prometheus@v1.25.0`; then
// build with -tags sluice_metrics (or delete this file and the tags).
const Enabled = false

// Metrics is a no-op stand-in for the Prometheus metrics of a run.
type Metrics struct{}

// New returns a no-op Metrics.
func New(func() []pipeline.StageStats) *Metrics { return &Metrics{} }

// ObserveFetch does nothing.
func (m *Metrics) ObserveFetch(*fetch.Response, error, time.Duration) {}

// Handler answers 501 Not Implemented.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "sluice was built without Prometheus support (-tags sluice_metrics)", http.StatusNotImplemented)
	})
}

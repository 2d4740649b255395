package metrics

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	vm "github.com/VictoriaMetrics/metrics"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/pipeline"
)

// latencyBuckets are the upper bounds of the fetch latency histogram, in
// seconds: 1 ms to about 2 minutes, each 2.5 times the last.
var latencyBuckets = func() []float64 {
	b := make([]float64, 14)
	for i, v := 0, 0.001; i < len(b); i, v = i+1, v*2.5 {
		b[i] = v
	}
	return b
}()

// Metrics holds the metrics of one run.
type Metrics struct {
	latest  atomic.Pointer[[]pipeline.StageStats]
	set     *vm.Set
	latency *vm.PrometheusHistogram
	retries *vm.Counter

	mu    sync.Mutex
	codes map[int]*vm.Counter // responses by status; 0 is "error"
}

// New returns the metrics of a run; feed them the run's events through
// Observe.
func New() *Metrics {
	vm.ExposeMetadata(true)
	set := vm.NewSet()
	m := &Metrics{set: set, codes: map[int]*vm.Counter{},
		latency: set.NewPrometheusHistogramExt("sluice_fetch_duration_seconds", latencyBuckets),
		retries: set.NewCounter("sluice_fetch_retries_total"),
	}
	set.RegisterMetricsWriter(m.writeStages)
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
	m.latency.Update(e.Latency.Seconds())
	m.code(e.Status).Inc()
	if e.Attempts > 1 {
		m.retries.Add(e.Attempts - 1)
	}
}

// code is the response counter of an HTTP status (0: no response).
func (m *Metrics) code(status int) *vm.Counter {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.codes[status]
	if !ok {
		label := "error"
		if status != 0 {
			label = strconv.Itoa(status)
		}
		c = m.set.NewCounter(`sluice_fetch_responses_total{code="` + label + `"}`)
		m.codes[status] = c
	}
	return c
}

// stats is the latest stage snapshot, nil before the first.
func (m *Metrics) stats() []pipeline.StageStats {
	if p := m.latest.Load(); p != nil {
		return *p
	}
	return nil
}

// Handler serves the metrics in the Prometheus text format: the run's,
// then the Go runtime's and the process's (go_*, process_*).
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.WritePrometheus(w)
	})
}

// WritePrometheus writes the metrics to w in the Prometheus text format,
// as Handler serves them.
func (m *Metrics) WritePrometheus(w io.Writer) {
	var b bytes.Buffer
	m.set.WritePrometheus(&b)
	vm.WriteProcessMetrics(&b)
	_, _ = w.Write(b.Bytes())
}

// writeStages writes the stage metrics, read from the latest snapshot at
// scrape time, so the hot path pays nothing: each family once, with its
// help and type, then a line per stage (and result).
func (m *Metrics) writeStages(w io.Writer) {
	stats := m.stats()
	if len(stats) == 0 {
		return
	}
	family(w, "sluice_stage_items_total", "counter",
		"Items a stage took in (result=in) and what became of them (out, filtered, failed, dropped).")
	for _, st := range stats {
		for _, v := range []struct {
			result string
			n      int64
		}{{"dropped", st.Dropped}, {"failed", st.Failed}, {"filtered", st.Filtered}, {"in", st.In}, {"out", st.Out}} {
			fmt.Fprintf(w, "sluice_stage_items_total{result=%q,stage=%s} %d\n", v.result, label(st.Name), v.n)
		}
	}
	family(w, "sluice_stage_in_flight", "gauge", "Items a stage is working on now.")
	for _, st := range stats {
		fmt.Fprintf(w, "sluice_stage_in_flight{stage=%s} %d\n", label(st.Name), st.InFlight)
	}
	family(w, "sluice_stage_busy_seconds_total", "counter", "Time a stage's workers spent in user code, summed over workers.")
	for _, st := range stats {
		fmt.Fprintf(w, "sluice_stage_busy_seconds_total{stage=%s} %g\n", label(st.Name), st.Busy.Seconds())
	}
}

func family(w io.Writer, name, typ, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// label quotes a label value as the text format escapes it: backslash,
// double quote and newline.
func label(v string) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

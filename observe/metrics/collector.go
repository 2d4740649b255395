package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicehq/sluice/pipeline"
)

// stageCollector reads a pipeline's stage counters on every scrape.
type stageCollector struct {
	stats    func() []pipeline.StageStats
	items    *prometheus.Desc
	inFlight *prometheus.Desc
	busy     *prometheus.Desc
}

func newStageCollector(stats func() []pipeline.StageStats) *stageCollector {
	return &stageCollector{
		stats: stats,
		items: prometheus.NewDesc("sluice_stage_items_total",
			"Items a stage took in (result=in) and what became of them (out, filtered, failed, dropped).",
			[]string{"stage", "result"}, nil),
		inFlight: prometheus.NewDesc("sluice_stage_in_flight",
			"Items a stage is working on now.", []string{"stage"}, nil),
		busy: prometheus.NewDesc("sluice_stage_busy_seconds_total",
			"Time a stage's workers spent in user code, summed over workers.", []string{"stage"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *stageCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.items
	ch <- c.inFlight
	ch <- c.busy
}

// Collect implements prometheus.Collector.
func (c *stageCollector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.stats() {
		for _, v := range []struct {
			result string
			n      int64
		}{{"in", st.In}, {"out", st.Out}, {"filtered", st.Filtered}, {"failed", st.Failed}, {"dropped", st.Dropped}} {
			ch <- prometheus.MustNewConstMetric(c.items, prometheus.CounterValue, float64(v.n), st.Name, v.result)
		}
		ch <- prometheus.MustNewConstMetric(c.inFlight, prometheus.GaugeValue, float64(st.InFlight), st.Name)
		ch <- prometheus.MustNewConstMetric(c.busy, prometheus.CounterValue, st.Busy.Seconds(), st.Name)
	}
}

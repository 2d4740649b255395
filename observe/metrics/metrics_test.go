package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
)

func TestMetrics(t *testing.T) {
	m := New()
	m.Observe(&observe.StageSnapshot{Stages: []pipeline.StageStats{{Name: "fetch", Kind: "map", In: 10, Out: 7, Failed: 3, InFlight: 2, Busy: time.Second}}})
	m.Observe(&observe.Fetch{Status: 200, Attempts: 3, Latency: 20 * time.Millisecond})
	m.Observe(&observe.Fetch{Status: 404, Attempts: 2, Latency: time.Millisecond})
	m.Observe(&observe.Fetch{Attempts: 1, Latency: time.Second, Err: fetch.ErrTimeout})
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`sluice_stage_items_total{result="in",stage="fetch"} 10`,
		`sluice_stage_items_total{result="failed",stage="fetch"} 3`,
		`sluice_stage_in_flight{stage="fetch"} 2`,
		`sluice_stage_busy_seconds_total{stage="fetch"} 1`,
		`sluice_fetch_responses_total{code="200"} 1`,
		`sluice_fetch_responses_total{code="404"} 1`,
		`sluice_fetch_responses_total{code="error"} 1`,
		`sluice_fetch_retries_total 3`,
		`sluice_fetch_duration_seconds_count 3`,
		`go_goroutines`, `process_resident_memory_bytes`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// The text format: one TYPE line per family, before its samples.
	typed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, _, _ = strings.Cut(name, " ")
			if typed[name] {
				t.Errorf("family %s typed twice", name)
			}
			typed[name] = true
		}
	}
	for _, f := range []string{"sluice_stage_items_total", "sluice_stage_in_flight", "sluice_fetch_duration_seconds", "sluice_fetch_responses_total"} {
		if !typed[f] {
			t.Errorf("family %s has no TYPE line", f)
		}
	}
}

// TestStageLabelEscaped: a stage name with a quote, a backslash and a
// newline is escaped in its label as the text format requires.
func TestStageLabelEscaped(t *testing.T) {
	m := New()
	m.Observe(&observe.StageSnapshot{Stages: []pipeline.StageStats{{Name: "a\"b\\c\nd", In: 1}}})
	var b strings.Builder
	m.WritePrometheus(&b)
	if want := `sluice_stage_in_flight{stage="a\"b\\c\nd"} 0`; !strings.Contains(b.String(), want) {
		t.Errorf("no %s in\n%s", want, b.String())
	}
}

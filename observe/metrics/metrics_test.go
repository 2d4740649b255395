package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
)

func TestMetrics(t *testing.T) {
	stats := func() []pipeline.StageStats {
		return []pipeline.StageStats{{Name: "fetch", Kind: "map", In: 10, Out: 7, Failed: 3, InFlight: 2, Busy: time.Second}}
	}
	m := New(stats)
	m.ObserveFetch(&fetch.Response{StatusCode: 200, Attempts: 3}, nil, 20*time.Millisecond)
	m.ObserveFetch(nil, &fetch.Error{Tries: 2, Err: &fetch.StatusError{Code: 404}}, time.Millisecond)
	m.ObserveFetch(nil, &fetch.Error{Tries: 1, Err: fetch.ErrTimeout}, time.Second)
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
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

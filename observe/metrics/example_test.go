package metrics_test

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/observe/metrics"
	"github.com/sluicehq/sluice/pipeline"
)

func ExampleNew() {
	m := metrics.New()
	m.Observe(&observe.StageSnapshot{Stages: []pipeline.StageStats{{Name: "fetch", In: 5, Out: 4, Failed: 1}}})
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, "sluice_stage_items_total") {
			fmt.Println(line)
		}
	}
	// Output:
	// sluice_stage_items_total{result="dropped",stage="fetch"} 0
	// sluice_stage_items_total{result="failed",stage="fetch"} 1
	// sluice_stage_items_total{result="filtered",stage="fetch"} 0
	// sluice_stage_items_total{result="in",stage="fetch"} 5
	// sluice_stage_items_total{result="out",stage="fetch"} 4
}

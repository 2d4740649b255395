//go:build !sluice_metrics

package metrics_test

import (
	"fmt"

	"github.com/sluicehq/sluice/internal/metrics"
)

func ExampleEnabled() {
	// This build has no Prometheus support (see stub.go).
	fmt.Println(metrics.Enabled)
	// Output:
	// false
}

package job

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/testsite"
)

// A run in which every input failed is a failed run under the default
// failure budget, not a success; an explicit "none" turns it off.
func TestRunAllFailedFailsByDefault(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 10, Faults: []testsite.FaultRate{{Fault: testsite.FaultNotFound, Fraction: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rep, err := Run(context.Background(), siteJob(t, srv, 10, ""), RunOptions{})
	var le *FailureLimitError
	if !errors.As(err, &le) || !le.Default || rep.Outcome != observe.FailedPolicy ||
		!strings.Contains(err.Error(), "all 10 finished inputs failed") || !strings.Contains(err.Error(), "default failure budget") {
		t.Fatalf("all failed: %v (outcome %v)", err, rep.Outcome)
	}
	rep, err = Run(context.Background(), siteJob(t, srv, 10, "max_failures: none\n"), RunOptions{})
	if err != nil || rep.Failed != 10 || rep.Outcome != observe.Complete {
		t.Fatalf("with max_failures none: %v %+v", err, rep)
	}
}

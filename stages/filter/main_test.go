package filter_test

import (
	"testing"

	"github.com/sluicehq/sluice/internal/leakcheck"
)

// The pipeline tests start goroutines; goleak checks they all stop.
func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }

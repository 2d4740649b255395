package extract_test

import (
	"testing"

	"github.com/sluicehq/sluice/internal/leakcheck"
)

// The tests start testsite and HTTP clients; goleak checks they
// all stop.
func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }

package filter_test

import (
	"testing"

	"go.uber.org/goleak"
)

// The pipeline tests start goroutines; goleak checks they all stop.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

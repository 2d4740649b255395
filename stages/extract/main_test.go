package extract_test

import (
	"testing"

	"go.uber.org/goleak"
)

// The tests start testsite and HTTP clients; goleak checks they
// all stop.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

package pipeline_test

import (
	"testing"

	"github.com/sluicehq/sluice/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }

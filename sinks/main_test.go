package sinks

import (
	"errors"
	"os"
	"testing"

	"github.com/sluicehq/sluice/internal/leakcheck"
)

func errorsAs[E error](err error, target *E) bool { return errors.As(err, target) }

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(runChild())
	}
	leakcheck.VerifyTestMain(m)
}

package sinks

import (
	"errors"
	"os"
	"testing"

	"go.uber.org/goleak"
)

func errorsAs[E error](err error, target *E) bool { return errors.As(err, target) }

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(runChild())
	}
	goleak.VerifyTestMain(m)
}

package crawl_test

import (
	"os"
	"testing"

	"github.com/sluicehq/sluice/internal/leakcheck"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(runChild())
	}
	leakcheck.VerifyTestMain(m)
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, t.TempDir(), 100); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "fetch  in 100  out  95  filtered   0  failed 5") {
		t.Errorf("stats:\n%s", out.String())
	}
}

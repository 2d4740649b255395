package job

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func pid() int { return os.Getpid() }

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runJobIn loads dir/job.yaml and runs it, failing t on either's error.
func runJobIn(t *testing.T, dir string) Report {
	t.Helper()
	j, err := Load(filepath.Join(dir, "job.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), j, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

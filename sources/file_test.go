package sources

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

func openFDs(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("needs /proc/self/fd to count open files:", err)
	}
	return len(fds)
}

// TestCSVFileOpenedAtRunClosedOnEveryPath checks that the file is opened
// when the pipeline runs (it may not exist when the stage is built) and is
// closed after a clean run, a fatal header error, and a Stop mid-file.
func TestCSVFileOpenedAtRunClosedOnEveryPath(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	bad := filepath.Join(dir, "bad.csv")
	tests := []struct {
		name    string
		path    string
		stopAt  int
		wantErr string
	}{
		{"clean", good, 0, ""},
		{"fatal header", bad, 0, `no column "url"`},
		{"stopped", good, 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pipeline.New()
			items := CSVFile(p, "csv", tt.path, CSVConfig{}) // the file does not exist yet
			n := 0
			pipeline.Sink(p, "sink", items, pipeline.WriterFunc[Item](func(context.Context, Item) error {
				if n++; n == tt.stopAt {
					p.Stop()
				}
				return nil
			}))
			if err := os.WriteFile(good, []byte("url\n"+strings.Repeat("https://a.example/\n", 5000)), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(bad, []byte("link\nnot a url\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			before := openFDs(t)
			err := p.Run(t.Context())
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if after := openFDs(t); after != before {
				t.Fatalf("open files: %d before Run, %d after", before, after)
			}
			if tt.stopAt > 0 && n >= 5000 {
				t.Fatalf("read all %d rows despite Stop", n)
			}
		})
	}
}

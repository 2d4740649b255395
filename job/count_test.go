package job

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// The progress total counts what the source turns into inputs: not blank
// lines, not comments, not the CSV header, not rows of delimiters only.
func TestCountInputsSkipsWhatTheSourceSkips(t *testing.T) {
	dir := t.TempDir()
	lines := filepath.Join(dir, "urls.txt")
	writeFile(t, lines, "# my urls\nhttp://a/1\n\n  \nhttp://a/2\n# done\nhttp://a/3")
	csv := filepath.Join(dir, "urls.csv")
	writeFile(t, csv, "id,url\n1,http://a/1\n,,\n\n2,http://a/2\n")
	for _, tc := range []struct {
		kind SourceKind
		spec SourceSpec
		want int64
	}{
		{builtinSources()["lines"], SourceSpec{Path: lines}, 3},
		{builtinSources()["csv"], SourceSpec{Path: csv}, 2},
	} {
		got, err := tc.kind.Count(context.Background(), tc.spec)
		if err != nil || got != tc.want {
			t.Errorf("count %s = %d, %v; want %d", tc.spec.Path, got, err, tc.want)
		}
	}
}

// A count stops when its context is done, however large the input.
func TestCountInputsStopsWhenCancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "urls.txt")
	writeFile(t, path, strings.Repeat("http://a/1\n", 3*countCheckEvery))
	ctx, cancel := context.WithCancel(context.Background())
	if n, err := countInputs(ctx, path, true, false); err != nil || n != 3*countCheckEvery {
		t.Fatalf("count = %d, %v; want %d", n, err, 3*countCheckEvery)
	}
	cancel()
	if n, err := countInputs(ctx, path, true, false); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled count = %d, %v; want context.Canceled", n, err)
	}
}

package job

import (
	"path/filepath"
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
		got, err := tc.kind.Count(tc.spec)
		if err != nil || got != tc.want {
			t.Errorf("count %s = %d, %v; want %d", tc.spec.Path, got, err, tc.want)
		}
	}
}

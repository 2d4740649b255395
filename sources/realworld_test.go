package sources

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/sluicehq/sluice/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/realworld")

// corpusModes are the ways TestRealWorldCorpus reads each file: they must
// all give the golden output.
var corpusModes = []struct {
	name string
	cfg  CSVConfig
}{
	{"line by line", CSVConfig{lineByLine: true}},
	{"one parser", CSVConfig{Parsers: 1}},
	{"default parsers", CSVConfig{}},
	{"3 parsers, 16-byte blocks", CSVConfig{Parsers: 3, blockSize: 16}},
}

// TestRealWorldCorpus reads each file of testdata/realworld (CSV and TSV
// files with the zero config, ".txt" files as lines) and compares what
// the source reports (format, items, warnings, failures with their
// dead-letter keys, fatal error) with the ".golden" file next to it.
// Run with -update to rewrite the golden files, then read the diff.
func TestRealWorldCorpus(t *testing.T) {
	paths, err := filepath.Glob("testdata/realworld/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range paths {
		if strings.HasSuffix(path, ".golden") {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden"
			var first string
			for i, m := range corpusModes {
				got := readCorpusFile(t, path, m.cfg)
				if i == 0 {
					first = got
				} else if got != first {
					t.Fatalf("%s reads differently from %s:\n%s\nwant\n%s", m.name, corpusModes[0].name, got, first)
				}
				if strings.HasSuffix(path, ".txt") {
					break // a lines source has no parsers
				}
			}
			if *update {
				if err := os.WriteFile(golden, []byte(first), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if first != string(want) {
				t.Fatalf("output differs from %s:\n--- got\n%s--- want\n%s", golden, first, want)
			}
		})
	}
	if n < 15 {
		t.Fatalf("only %d corpus files", n)
	}
}

// readCorpusFile runs the source over path and describes what it
// reported, one line per event.
func readCorpusFile(t *testing.T, path string, cfg CSVConfig) string {
	t.Helper()
	var b strings.Builder
	var warnings []Warning
	cfg.Warnings = func(w Warning) { warnings = append(warnings, w) }
	cfg.Format = func(f CSVFormat) { fmt.Fprintf(&b, "format: %s\n", f) }
	items, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		if strings.HasSuffix(path, ".txt") {
			return LinesFile(p, "src", path, LinesConfig{})
		}
		return CSVFile(p, "src", path, cfg)
	})
	for _, it := range items {
		fmt.Fprintf(&b, "item %d key=%q url=%q values=%q\n", it.Line, it.Key, it.URL, it.Values)
	}
	for _, w := range warnings {
		fmt.Fprintf(&b, "warning %d: %s\n", w.Line, w)
	}
	for _, f := range fails {
		br, ok := f.Input.(BadRow)
		if !ok || br.Line != failLine(f) || br.Key != fmt.Sprintf("line:%d", br.Line) {
			t.Errorf("failure input %#v does not match its error %v", f.Input, f.Err)
		}
		fmt.Fprintf(&b, "failure %d key=%q: %v\n", br.Line, br.Key, f.Err)
	}
	if err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	return b.String()
}

// utf16LE encodes s as UTF-16LE without a byte order mark.
func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

package sources

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

func TestLinesSource(t *testing.T) {
	in := "\uFEFF# seed list\r\n" +
		"https://a.example/\r\n" +
		"\r\n" +
		"   https://b.example/x   \n" +
		"  # indented comment\n" +
		"javascript:alert(1)\n" +
		"https://c.example/" + strings.Repeat("x", 100) + "\n" +
		"https://d.example/" // no final newline
	got, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return Lines(p, "lines", strings.NewReader(in), LinesConfig{MaxLineBytes: 64})
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Item{
		{Key: "2", URL: "https://a.example/", Line: 2},
		{Key: "4", URL: "https://b.example/x", Line: 4},
		{Key: "8", URL: "https://d.example/", Line: 8},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if len(fails) != 2 {
		t.Fatalf("failures %v, want 2", fails)
	}
	if !errors.Is(fails[0].Err, ErrInvalidURL) || failLine(fails[0]) != 6 ||
		fails[0].Err.Error() != `sources: line 6: invalid url "javascript:alert(1)": scheme "javascript" is not allowed` {
		t.Errorf("failure 0: %v", fails[0].Err)
	}
	if !errors.Is(fails[1].Err, ErrRowTooLong) || failLine(fails[1]) != 7 ||
		fails[1].Err.Error() != "sources: line 7: row too long: line over 64 bytes" {
		t.Errorf("failure 1: %v", fails[1].Err)
	}
}

func TestLinesFileStdin(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = old; r.Close() })
	go func() {
		w.WriteString("https://a.example/\nhttps://b.example/\n")
		w.Close()
	}()
	got, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return LinesFile(p, "stdin", "-", LinesConfig{})
	})
	if err != nil || len(fails) != 0 || len(got) != 2 || got[1].URL != "https://b.example/" {
		t.Fatalf("err %v fails %v items %+v", err, fails, got)
	}
}

func TestLinesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "urls.txt")
	if err := os.WriteFile(path, []byte("https://a.example/\nftp://x/\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return LinesFile(p, "lines", path, LinesConfig{})
	})
	if err != nil || len(got) != 1 || len(fails) != 1 {
		t.Fatalf("err %v items %v fails %v", err, got, fails)
	}
	if want := "sources: " + path + `: line 2: invalid url "ftp://x/": scheme "ftp" is not allowed`; fails[0].Err.Error() != want {
		t.Fatalf("got %q want %q", fails[0].Err, want)
	}
}

func TestCountLines(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		content string
		want    int64
	}{{"", 0}, {"a", 1}, {"a\n", 1}, {"a\nb", 2}, {"a\n\nb\n", 3}, {strings.Repeat("x\n", 200000), 200000}} {
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if n, err := CountLines(path); err != nil || n != tt.want {
			t.Errorf("CountLines(%q...) = %d, %v; want %d", tt.content[:min(len(tt.content), 10)], n, err, tt.want)
		}
	}
	gz := filepath.Join(dir, "f.gz")
	writeGzip(t, gz, "a\nb\nc\n")
	if n, err := CountLines(gz); err != nil || n != 3 {
		t.Errorf("gz: %d %v", n, err)
	}
	if _, err := CountLines("-"); err == nil {
		t.Error("CountLines(-) did not fail")
	}
	if _, err := CountLines(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

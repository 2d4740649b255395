package sources

import (
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

func csvItems(t *testing.T, in string, cfg CSVConfig) ([]Item, []pipeline.Failure, error) {
	t.Helper()
	return runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return CSV(p, "csv", strings.NewReader(in), cfg)
	})
}

func TestCSVSourceEndToEnd(t *testing.T) {
	in := "\uFEFFid,URL,name\r\n" + // BOM, CRLF, header case differs
		"a1,https://a.example/,\"Smith, J\"\r\n" +
		"\r\n" + // blank: skipped
		"a2,mailto:x@example.com,bad scheme\r\n" + // line 4: invalid url
		"a3,https://c.example/,\"two\r\nlines\"\r\n" + // lines 5-6
		"a4,https://d.example/\r\n" + // line 7: ragged, kept with a warning
		"a5,https://e.example/,\"oops\r\n" + // line 8: unterminated, resync at 9
		"a6,https://f.example/,ok\r\n" // line 9
	got, fails, err := csvItems(t, in, CSVConfig{KeyColumn: ColumnNamed("id")})
	if err != nil {
		t.Fatal(err)
	}
	cols := []string{"id", "URL", "name"}
	want := []Item{
		{Key: "a1", URL: "https://a.example/", Line: 2, Columns: cols, Values: []string{"a1", "https://a.example/", "Smith, J"}},
		{Key: "a3", URL: "https://c.example/", Line: 5, Columns: cols, Values: []string{"a3", "https://c.example/", "two\nlines"}},
		{Key: "a4", URL: "https://d.example/", Line: 7, Columns: cols, Values: []string{"a4", "https://d.example/"}},
		{Key: "a6", URL: "https://f.example/", Line: 9, Columns: cols, Values: []string{"a6", "https://f.example/", "ok"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("items:\n got %+v\nwant %+v", got, want)
	}
	wantFails := []struct {
		line     int
		sentinel error
		raw, msg string
	}{
		{4, ErrInvalidURL, "a2,mailto:x@example.com,bad scheme", `sources: line 4: invalid url "mailto:x@example.com": scheme "mailto" is not allowed`},
		{8, ErrUnterminatedQuote, `a5,https://e.example/,"oops`, "sources: line 8: quoted field not closed before end of input (opened at column 23)"},
	}
	if len(fails) != len(wantFails) {
		t.Fatalf("got %d failures %v, want %d", len(fails), fails, len(wantFails))
	}
	for i, w := range wantFails {
		f := fails[i]
		re, ok := asRowError(f.Err)
		if !ok || re.Line != w.line || re.Raw != w.raw || !errors.Is(f.Err, w.sentinel) || f.Err.Error() != w.msg {
			t.Errorf("failure %d = %+v (%v); want line %d raw %q msg %q", i, f, f.Err, w.line, w.raw, w.msg)
		}
		if f.Stage != "csv" || f.Input != (BadRow{Key: fmt.Sprintf("line:%d", w.line), Line: w.line, Raw: w.raw}) || !pipeline.IsSkip(f.Err) {
			t.Errorf("failure %d: stage %q input %q skip %v", i, f.Stage, f.Input, pipeline.IsSkip(f.Err))
		}
	}
}

func TestCSVSourceDefaultsAndKeys(t *testing.T) {
	got, fails, err := csvItems(t, "url\nhttps://a.example/\n\nhttps://b.example/\n", CSVConfig{})
	if err != nil || len(fails) != 0 {
		t.Fatal(err, fails)
	}
	if len(got) != 2 || got[0].Key != "2" || got[1].Key != "4" || got[1].Line != 4 {
		t.Fatalf("got %+v; want keys = line numbers 2 and 4", got)
	}
}

func TestCSVSourceOptions(t *testing.T) {
	tests := []struct {
		name string
		in   string
		cfg  CSVConfig
		urls []string
		cols []string
	}{
		{"semicolon", "name;link\nx;https://a.example/a,b\n", CSVConfig{Comma: ';', URLColumn: ColumnNamed(" LINK ")}, []string{"https://a.example/a,b"}, []string{"name", "link"}},
		{"tab", "link\tn\nhttps://a.example/\t1\n", CSVConfig{Comma: '\t', URLColumn: ColumnAt(0)}, []string{"https://a.example/"}, []string{"link", "n"}},
		{"no header", "x,https://a.example/\ny,https://b.example/\n", CSVConfig{NoHeader: true, URLColumn: ColumnAt(1)}, []string{"https://a.example/", "https://b.example/"}, []string{"0", "1"}},
		{"file allowed", "url\nfile:///tmp/x\n", CSVConfig{AllowFileURLs: true}, []string{"file:///tmp/x"}, []string{"url"}},
		{"url trimmed", "url,n\n  https://a.example/  ,1\n", CSVConfig{}, []string{"https://a.example/"}, []string{"url", "n"}},
		{"empty input", "", CSVConfig{}, nil, nil},
		{"header only", "url\n", CSVConfig{}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fails, err := csvItems(t, tt.in, tt.cfg)
			if err != nil || len(fails) != 0 {
				t.Fatal(err, fails)
			}
			var urls []string
			for _, it := range got {
				urls = append(urls, it.URL)
				if !reflect.DeepEqual(it.Columns, tt.cols) {
					t.Errorf("columns %q, want %q", it.Columns, tt.cols)
				}
			}
			if !reflect.DeepEqual(urls, tt.urls) {
				t.Fatalf("urls %q, want %q", urls, tt.urls)
			}
		})
	}
}

func TestCSVSourceFatal(t *testing.T) {
	tests := []struct {
		name, in string
		cfg      CSVConfig
		want     string
	}{
		{"no url column", "a,b\n1,2\n", CSVConfig{}, `sources: csv input: url column: no column "url" in header ["a" "b"]`},
		{"index out of range", "a,b\n", CSVConfig{URLColumn: ColumnAt(5)}, "sources: csv input: url column: column #5 out of range: rows have 2 columns"},
		{"no key column", "url\n", CSVConfig{KeyColumn: ColumnNamed("id")}, `sources: csv input: key column: no column "id" in header ["url"]`},
		{"name without header", "https://a.example/\n", CSVConfig{NoHeader: true, URLColumn: ColumnNamed("url")}, `sources: csv input: url column: column "url" picked by name, but the input has no header`},
		{"no urls without header", "a,b\n", CSVConfig{NoHeader: true}, `sources: csv input: url column: no column holds http(s) urls in the first rows`},
		{"bad header", "url,\"x\n", CSVConfig{}, `sources: csv input: header: line 1: quoted field not closed before end of input (opened at column 5)`},
		{"undecodable", "url\nhttps://a.example/\x00\n", CSVConfig{}, `sources: csv input: encoding: byte 22 is NUL: not a text file`},
		{"unknown encoding", "url\n", CSVConfig{Encoding: "klingon"}, `sources: csv input: encoding: encoding "klingon": htmlindex: invalid encoding name`},
		{"bad delimiter", "url\n", CSVConfig{Comma: '"'}, `sources: csv: delimiter '"' not supported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := csvItems(t, tt.in, tt.cfg)
			if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
				t.Fatalf("err = %v; want it to end with %q", err, tt.want)
			}
		})
	}
}

func TestCSVSourceEmptyKey(t *testing.T) {
	_, fails, err := csvItems(t, "id,url\n,https://a.example/\n", CSVConfig{KeyColumn: ColumnNamed("id")})
	if err != nil || len(fails) != 1 || !errors.Is(fails[0].Err, ErrEmptyKey) || failLine(fails[0]) != 2 {
		t.Fatalf("err %v fails %v; want one ErrEmptyKey at line 2", err, fails)
	}
	if got := fails[0].Err.Error(); got != `sources: line 2: empty key in column "id"` {
		t.Fatalf("message %q", got)
	}
}

func TestCSVFile(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(plain, []byte("url\nhttps://a.example/\nnope\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(dir, "in.csv.gz")
	writeGzip(t, gz, "url\nhttps://a.example/\nnope\n")
	for _, path := range []string{plain, gz} {
		got, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
			return CSVFile(p, "csv", path, CSVConfig{})
		})
		if err != nil || len(got) != 1 || len(fails) != 1 {
			t.Fatalf("%s: err %v items %v fails %v", path, err, got, fails)
		}
		want := "sources: " + path + `: line 3: invalid url "nope": missing scheme (want http:// or https://)`
		if fails[0].Err.Error() != want {
			t.Fatalf("got %q, want %q", fails[0].Err, want)
		}
	}
}

func TestCSVFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.csv")
	p := pipeline.New()
	s := CSVFile(p, "csv", path, CSVConfig{}) // nothing is opened yet
	pipeline.Sink(p, "sink", s, pipeline.WriterFunc[Item](nil))
	err := p.Run(t.Context())
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v; want a not-exist error naming %s", err, path)
	}
}

func writeGzip(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(zw.Close(), f.Close()); err != nil {
		t.Fatal(err)
	}
}

func TestCSVSourceQuoteErrors(t *testing.T) {
	in := "url,n\n" +
		"https://a.example/,x\"y\n" + // line 2: bare quote
		"\"https://b.example/\"z,1\n" + // line 3: text after closing quote
		"https://c.example/," + strings.Repeat("x", 80) + "\n" + // line 4: too long
		"https://d.example/,ok\n"
	got, fails, err := csvItems(t, in, CSVConfig{MaxRowBytes: 64})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].URL != "https://d.example/" || got[0].Line != 5 {
		t.Fatalf("items %+v", got)
	}
	want := []string{
		`sources: line 2: bare " in unquoted field (column 21)`,
		`sources: line 3: extraneous or missing " in quoted field (column 21)`,
		`sources: line 4: row too long: line over 64 bytes`,
	}
	var msgs []string
	for _, f := range fails {
		msgs = append(msgs, f.Err.Error())
	}
	if !reflect.DeepEqual(msgs, want) {
		t.Fatalf("failures\n got %q\nwant %q", msgs, want)
	}
}

// TestCSVEncodingConfigured: a named encoding is used as it is, without
// detection (Windows-1250 is not what detection would pick).
func TestCSVEncodingConfigured(t *testing.T) {
	var format CSVFormat
	got, fails, err := csvItems(t, "name;url\n\x8Cl\xB9ski;https://a.example/\n", CSVConfig{
		Encoding: "windows-1250",
		Format:   func(f CSVFormat) { format = f },
	})
	if err != nil || len(fails) != 0 || len(got) != 1 {
		t.Fatal(err, fails, got)
	}
	if name, _ := got[0].Field("name"); name != "Śląski" || format.Encoding != "windows-1250" || format.Comma != ';' || !format.Sniffed {
		t.Fatalf("name %q, format %+v", name, format)
	}
}

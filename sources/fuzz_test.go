package sources

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

var fuzzCommas = []byte{',', ';', '\t', '|'}

func addCSVSeeds(f *testing.F) {
	for _, s := range []string{
		"url,name\nhttps://a.example/,x\n",
		"\uFEFFurl\r\nhttps://a.example/\r\n\r\n",
		"a,\"b\nc\",d\ne,f\n",
		"a,\"b\nc,d\n",
		"a,b\"c\n\"x\"y\n",
		"\"\"\"\",\"\"\n,\n",
		"u;v\n\"1;2\";3\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
}

// FuzzCSVScanner checks the scanner's accounting on arbitrary bytes:
// records start on strictly increasing lines, every non-blank line is
// either the start of a record or failure or inside a parsed record, and
// on input encoding/csv accepts, both read the same records.
func FuzzCSVScanner(f *testing.F) {
	addCSVSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, c uint8) {
		comma := fuzzCommas[int(c)%len(fuzzCommas)]
		s := newCSVScanner(bytes.NewReader(data), comma, 64)
		covered := map[int]bool{}
		prev := 0
		var records [][]string
		clean := true
		for {
			fields, line, err := s.scan()
			if errors.Is(err, io.EOF) {
				break
			}
			re, isRow := asRowError(err)
			if err != nil && !isRow {
				t.Fatalf("unexpected error %v", err)
			}
			if isRow {
				line, clean = re.Line, false
			}
			if line <= prev {
				t.Fatalf("record at line %d after line %d", line, prev)
			}
			prev = line
			end := line
			if !isRow {
				end = s.last.num()
				records = append(records, fields)
			}
			for l := line; l <= end; l++ {
				covered[l] = true
			}
		}
		lines := bytes.Split(bytes.TrimPrefix(data, utf8BOM), []byte{'\n'})
		checkCovered(t, lines, covered)
		if clean {
			compareWithEncodingCSV(t, data, comma, lines, records)
		}
	})
}

// checkCovered fails when a non-blank line is not in covered.
func checkCovered(t *testing.T, lines [][]byte, covered map[int]bool) {
	for i, l := range lines {
		if i == len(lines)-1 && len(l) == 0 {
			break
		}
		if !isBlank(trimEOL(l)) && !covered[i+1] {
			t.Fatalf("line %d %q was neither read nor reported", i+1, l)
		}
	}
}

func compareWithEncodingCSV(t *testing.T, data []byte, comma byte, lines [][]byte, got [][]string) {
	for _, l := range lines {
		if l = trimEOL(l); len(l) > 0 && isBlank(l) {
			return // encoding/csv reads white-space-only lines as records; sluice skips them
		}
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	r.Comma, r.FieldsPerRecord = rune(comma), -1
	want, err := r.ReadAll()
	if err != nil {
		return
	}
	if len(want) == 0 {
		want = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("records differ from encoding/csv:\n got %q\nwant %q", got, want)
	}
}

// FuzzCSVSource runs the CSV source over arbitrary bytes in a real
// pipeline: it never panics, and every row that entered the source left
// it as an item or as a failure.
func FuzzCSVSource(f *testing.F) {
	addCSVSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, c uint8) {
		cfg := CSVConfig{Comma: rune(fuzzCommas[int(c)%len(fuzzCommas)]), URLColumn: ColumnAt(0), MaxRowBytes: 64}
		if c&0x10 != 0 { // sniff the delimiter, find the URL column
			cfg.Comma, cfg.URLColumn = 0, Column{}
		}
		var failures int
		p := pipeline.New(pipeline.OnFailure(func(_ context.Context, f pipeline.Failure) error {
			if _, ok := asRowError(f.Err); !ok {
				t.Errorf("failure without a RowError: %v", f.Err)
			}
			failures++
			return nil
		}))
		var items int
		pipeline.Sink(p, "count", CSV(p, "csv", bytes.NewReader(data), cfg), pipeline.WriterFunc[Item](func(context.Context, Item) error {
			items++
			return nil
		}))
		if err := p.Run(context.Background()); err != nil {
			if !strings.Contains(err.Error(), "header") && !strings.Contains(err.Error(), "column") && !strings.Contains(err.Error(), "encoding") {
				t.Fatalf("fatal error on bad input: %v", err)
			}
			return
		}
		st := p.Stats()[0]
		if st.In != st.Out+st.Failed || st.Out != int64(items) || st.Failed != int64(failures) {
			t.Fatalf("stats %+v, items %d, failures %d", st, items, failures)
		}
	})
}

// FuzzValidateURL checks that whatever ValidateURL accepts, net/url parses
// into an absolute URL with a host, and that the fast path agrees with the
// full check.
func FuzzValidateURL(f *testing.F) {
	for _, s := range []string{"https://a.example/x?y=%20#z", " http://a.b:80 ", "mailto:x", "http://[::1]/", "HTTP://A/%zz", "file:///x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := ValidateURL(raw, true)
		if err != nil {
			if !errors.Is(err, ErrInvalidURL) {
				t.Fatalf("error %v does not match ErrInvalidURL", err)
			}
			return
		}
		u, perr := url.Parse(got)
		if perr != nil || strings.ContainsAny(got, " \t\r\n") {
			t.Fatalf("accepted %q, but url.Parse: %v", got, perr)
		}
		if u.Scheme != "file" && u.Hostname() == "" {
			t.Fatalf("accepted %q without a host", got)
		}
		if plainHTTP(raw) {
			if slow, err := validateURL(raw, false); err != nil || slow != got {
				t.Fatalf("fast path accepted %q, full check: %q, %v", raw, slow, err)
			}
		}
	})
}

// FuzzSitemap decodes arbitrary bytes as a sitemap: it must not panic, and
// it reports entries only from a urlset or a sitemap index.
func FuzzSitemap(f *testing.F) {
	f.Add([]byte(urlset("https://a.example/1")))
	f.Add([]byte(sitemapIndex("https://a.example/s.xml")))
	f.Add(gzipBytes(f, urlset("https://a.example/1")))
	f.Add([]byte("<urlset><url><loc>x</loc></url><url>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var urls, children, last int
		line := func(l int) {
			if l < 1 || l < last {
				t.Fatalf("entry at line %d after line %d", l, last)
			}
			last = l
		}
		_ = decodeSitemap(bytes.NewReader(data), 1<<16, sitemapVisitor{
			url:   func(_ sitemapURL, l int) error { urls++; line(l); return nil },
			child: func(_ string, l int) error { children++; line(l); return nil },
		})
		if urls > 0 && children > 0 {
			t.Fatalf("one document gave %d <url> and %d <sitemap> entries: it is a urlset or an index, not both", urls, children)
		}
	})
}

// FuzzJSONLObject decodes arbitrary bytes as one JSON Lines object: it
// must not panic, and what it accepts encoding/json accepts too.
func FuzzJSONLObject(f *testing.F) {
	for _, s := range []string{`{"url":"https://a.example/","n":[1,{"x":null}]}`, `{"a":1} x`, `{"a":`, `[]`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cols, vals, err := decodeObject(data)
		if err != nil {
			return
		}
		var m map[string]any
		if jerr := json.Unmarshal(data, &m); jerr != nil || len(cols) != len(vals) {
			t.Fatalf("decodeObject accepted %q (%q), encoding/json: %v", data, cols, jerr)
		}
	})
}

// FuzzPlainHTTPReference checks that plainHTTP accepts exactly what the
// byte-at-a-time plainHTTPReference accepts.
func FuzzPlainHTTPReference(f *testing.F) {
	for _, s := range plainHTTPCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := plainHTTP(s), plainHTTPReference(s); got != want {
			t.Fatalf("plainHTTP(%q) = %v, reference %v", s, got, want)
		}
	})
}

// FuzzCSVRows mixes arbitrary junk lines (each fuzz line, NULs removed)
// with valid rows it writes itself, after a header, and reads the file
// with 1 and 3 parsers. A valid row is never lost: it comes out as an
// item at its own line with its URL, or inside a multi-line record that
// an arbitrary line opened above it. No failure or warning names a valid
// row's line or a line outside the file, and every failure's raw text
// starts with the physical line it names. A third read sniffs the
// delimiter, which the junk may sway: then only the line numbers are
// checked.
func FuzzCSVRows(f *testing.F) {
	for _, s := range []string{
		"", "x", "\"open", ",,", " \t ", "a,\"b\nc\"", "\"\"\"\nx\"y", "https://j.example/,\"q", "a|b|c\n\"",
		"https://j.example:99999/", "\"x\"\"\n\n\"", "\xff\xfe", "\t\"\t\"",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, junk []byte, c uint8) {
		comma := fuzzCommas[int(c)%len(fuzzCommas)]
		data, valid := mixRows(junk, comma)
		for _, parsers := range []int{1, 3} {
			cfg := CSVConfig{Comma: rune(comma), Encoding: "utf-8", Parsers: parsers, blockSize: 1 + int(c>>2)%32}
			out := runFuzzRows(t, data, cfg)
			checkRows(t, data, valid, out, true)
		}
		out := runFuzzRows(t, data, CSVConfig{Encoding: "utf-8", Parsers: 2, blockSize: 1 + int(c>>2)%32})
		if out.err == nil || !strings.Contains(out.err.Error(), "column") {
			checkRows(t, data, valid, out, false)
		}
	})
}

// mixRows writes a header, then each line of junk followed by a valid
// row, and returns the file and the valid rows' URLs by line.
func mixRows(junk []byte, comma byte) ([]byte, map[int]string) {
	junk = bytes.ReplaceAll(junk, []byte{0}, []byte{'0'})
	var b bytes.Buffer
	fmt.Fprintf(&b, "url%cn\n", comma)
	valid := map[int]string{}
	line := 2
	for i, j := range bytes.Split(junk, []byte{'\n'}) {
		b.Write(j)
		b.WriteByte('\n')
		u := fmt.Sprintf("https://v.example/%d", i)
		fmt.Fprintf(&b, "%s%c%d\n", u, comma, i)
		valid[line+1] = u
		line += 2
	}
	return b.Bytes(), valid
}

// fuzzRows is what a source reported, with warnings as line numbers.
type fuzzRows struct {
	items    []Item
	fails    []*RowError
	warnings []int
	err      error
}

func runFuzzRows(t *testing.T, data []byte, cfg CSVConfig) fuzzRows {
	var out fuzzRows
	cfg.Warnings = func(w Warning) { out.warnings = append(out.warnings, w.Line) }
	items, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return CSV(p, "csv", bytes.NewReader(data), cfg)
	})
	out.items, out.err = items, err
	for _, f := range fails {
		re, ok := asRowError(f.Err)
		if !ok {
			t.Fatalf("failure without a RowError: %v", f.Err)
		}
		out.fails = append(out.fails, re)
	}
	return out
}

// checkRows checks what a source read from data; strict says it was read
// with the delimiter data was written with, so valid rows must be items.
func checkRows(t *testing.T, data []byte, valid map[int]string, out fuzzRows, strict bool) {
	t.Helper()
	if out.err != nil {
		t.Fatalf("fatal error: %v", out.err)
	}
	lines := bytes.Split(data, []byte{'\n'})
	nLines := len(lines) - 1 // data ends in '\n'
	covered := map[int]bool{}
	for _, it := range out.items {
		if u, ok := valid[it.Line]; ok && strict && it.URL != u {
			t.Fatalf("item at line %d has url %q, want %q", it.Line, it.URL, u)
		}
		if it.Line < 2 || it.Line > nLines {
			t.Fatalf("item at line %d, outside the data rows 2-%d", it.Line, nLines)
		}
		span := strings.Count(strings.Join(it.Values, ""), "\n")
		for l := it.Line; l <= it.Line+span; l++ {
			covered[l] = true
		}
	}
	for l, u := range valid {
		if strict && !covered[l] {
			t.Fatalf("valid row at line %d (%s) lost", l, u)
		}
	}
	for _, re := range out.fails {
		if _, ok := valid[re.Line]; ok && strict || re.Line < 2 || re.Line > nLines {
			t.Fatalf("failure at line %d, a valid row or outside the data: %v", re.Line, re)
		}
		if first := string(trimEOL(lines[re.Line-1])); !strings.HasPrefix(re.Raw, first) {
			t.Fatalf("failure at line %d has raw %q, but the line is %q", re.Line, re.Raw, first)
		}
	}
	for _, l := range out.warnings {
		if _, ok := valid[l]; ok && strict || l < 2 || l > nLines {
			t.Fatalf("warning at line %d, a valid row or outside the data", l)
		}
	}
}

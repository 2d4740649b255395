package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

// csvOutcome is everything a CSV source run produced, in a form two runs
// can be compared by.
type csvOutcome struct {
	Items    []Item
	Fails    []string // each failure's stage, input and message
	Warnings []string // each warning, and the format as the first
	Err      string   // Run's error
}

func runCSV(t *testing.T, r io.Reader, cfg CSVConfig) csvOutcome {
	t.Helper()
	var out csvOutcome
	cfg.Warnings = func(w Warning) { out.Warnings = append(out.Warnings, fmt.Sprintf("%s %q", w, w.Raw)) }
	cfg.Format = func(f CSVFormat) { out.Warnings = append(out.Warnings, "format "+f.String()) }
	items, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return CSV(p, "csv", r, cfg)
	})
	out.Items = items
	for _, f := range fails {
		out.Fails = append(out.Fails, fmt.Sprintf("%s %q %v", f.Stage, f.Input, f.Err))
	}
	if err != nil {
		out.Err = err.Error()
	}
	return out
}

// checkParallelMatches reads data sequentially and in parallel with the
// given block size and fails unless both give the same items, failures
// and error.
func checkParallelMatches(t *testing.T, data []byte, cfg CSVConfig, blockSize int) {
	t.Helper()
	seq := cfg
	seq.lineByLine = true
	want := runCSV(t, bytes.NewReader(data), seq)
	for _, parsers := range []int{1, 2, 3} {
		par := cfg
		par.Parsers, par.blockSize = parsers, blockSize
		got := runCSV(t, bytes.NewReader(data), par)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%d parsers, block size %d, config %+v: parallel read differs from sequential\n got %s\nwant %s",
				parsers, blockSize, cfg, describe(got), describe(want))
		}
	}
}

func describe(o csvOutcome) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d items, %d failures, %d warnings, error %q", len(o.Items), len(o.Fails), len(o.Warnings), o.Err)
	for i, it := range o.Items {
		if i == 8 {
			b.WriteString("\n  ...")
			break
		}
		fmt.Fprintf(&b, "\n  item line %d key %q url %q values %q", it.Line, it.Key, it.URL, it.Values)
	}
	for i, f := range o.Fails {
		if i == 8 {
			b.WriteString("\n  ...")
			break
		}
		fmt.Fprintf(&b, "\n  failure %s", f)
	}
	for i, w := range o.Warnings {
		if i == 8 {
			b.WriteString("\n  ...")
			break
		}
		fmt.Fprintf(&b, "\n  warning %s", w)
	}
	return b.String()
}

// parallelCases are inputs that cross block boundaries in every way the
// parallel source must handle: quoted fields with newlines, quoting bad
// enough to fool the splitter's quote count, records longer than a block,
// byte order marks and CRLF, blank lines before the header.
func parallelCases(t *testing.T) map[string][]byte {
	var gen bytes.Buffer
	if err := genCSV(&gen, 3000); err != nil {
		t.Fatal(err)
	}
	var multi strings.Builder
	multi.WriteString("id,url,note\r\n")
	for i := range 400 {
		switch i % 7 {
		case 0:
			fmt.Fprintf(&multi, "%d,https://a.example/%d,\"two\nlines, and \"\"quotes\"\"\"\r\n", i, i)
		case 3:
			fmt.Fprintf(&multi, "%d,https://a.example/%d,\"%s\"\n", i, i, strings.Repeat("long,", 40))
		case 5:
			fmt.Fprintf(&multi, "\n  \n%d,javascript:alert(%d),bad url\n", i, i)
		default:
			fmt.Fprintf(&multi, "%d,https://a.example/%d,plain\n", i, i)
		}
	}
	var fooled strings.Builder
	fooled.WriteString("id,url,note\n")
	for i := range 300 {
		switch i % 11 {
		case 2:
			fmt.Fprintf(&fooled, "%d,https://b.example/%d,a bare \" quote\n", i, i)
		case 6:
			fmt.Fprintf(&fooled, "%d,https://b.example/%d,\"open and never closed\n", i, i)
		case 9:
			fmt.Fprintf(&fooled, "%d,https://b.example/%d,\"closed\"early\n", i, i)
		default:
			fmt.Fprintf(&fooled, "%d,https://b.example/%d,fine\n", i, i)
		}
	}
	return map[string][]byte{
		"generated":        gen.Bytes(),
		"multi-line":       []byte(multi.String()),
		"fooled-quotes":    []byte(fooled.String()),
		"bom-crlf":         []byte("\uFEFFurl,n\r\nhttps://c.example/1,1\r\nhttps://c.example/2,2\r\n"),
		"blank-first":      []byte("\n\n \t\n\nurl\nhttps://d.example/\n"),
		"no-final-eol":     []byte("url\nhttps://e.example/1\nhttps://e.example/2"),
		"unterminated":     []byte("url,n\nhttps://f.example/1,\"x\nhttps://f.example/2,y\nhttps://f.example/3,z\n"),
		"header-only":      []byte("url\n"),
		"empty":            nil,
		"wrong-counts":     []byte("url,a,b\nhttps://g.example/1,1\nhttps://g.example/2,1,2,3\nhttps://g.example/3,1,2\n"),
		"quoted-header":    []byte("\"u\nrl\",x\nhttps://h.example/,1\n"),
		"header-too-long":  []byte(strings.Repeat("h", 200) + "\nhttps://i.example/\n"),
		"huge-header":      []byte(strings.Repeat("x", 700) + ",url\nhttps://k.example/,1\n"),
		"huge-line":        []byte("url\nhttps://j.example/1\nhttps://j.example/" + strings.Repeat("x", 700) + "\nhttps://j.example/3\n"),
		"ragged-empty":     []byte("id,url,n\n1,https://l.example/1\n,,\n\n2,https://l.example/2,x,y\n3\n \t \n4, https://l.example/4 ,z\n"),
		"semicolon-excel":  []byte("Name;Preis;Link\r\nA;1,50;https://m.example/a\r\n\"B;b\";2,00;https://m.example/b\r\n"),
		"tsv-quotes":       []byte("url\tt\nhttps://n.example/1\t5\" screen\nhttps://n.example/2\t\"open\nhttps://n.example/3\tx\"\"y\n"),
		"url-list":         []byte("https://o.example/a,b\n\nhttps://o.example/c\n  https://o.example/d \n"),
		"mid-unterminated": []byte("url,t\nhttps://p.example/1,\"a\nhttps://p.example/2,b\nhttps://p.example/3,\"c\"\nhttps://p.example/4,d\n"),
		"windows-1252":     []byte("Nom;Lien\r\nFran\xe7ois;https://q.example/f\r\nRen\xe9e;https://q.example/r\r\n"),
		"utf-16le":         append([]byte{0xFF, 0xFE}, utf16LE("url,n\nhttps://r.example/1,\u00e9\n,,\nhttps://r.example/2,x,y\n")...),
	}
}

// TestCSVParallelMatchesSequential: for every case, block size and
// config, the parallel source gives exactly what the sequential one does.
func TestCSVParallelMatchesSequential(t *testing.T) {
	configs := []CSVConfig{
		{},
		{URLColumn: ColumnAt(1), KeyColumn: ColumnNamed("id")},
		{NoHeader: true, URLColumn: ColumnAt(1)},
		{URLColumn: ColumnAt(0), MaxRowBytes: 100},
		{Comma: ','},
		{Comma: '\t'},
		{Comma: '\t', QuotedTabs: true},
		{NoHeader: true},
	}
	for name, data := range parallelCases(t) {
		t.Run(name, func(t *testing.T) {
			for _, cfg := range configs {
				for _, bs := range []int{1, 7, 64, 1000, 0} {
					checkParallelMatches(t, data, cfg, bs)
				}
			}
		})
	}
}

// FuzzCSVParallel checks on arbitrary input that the parallel source,
// with small blocks, gives exactly what the sequential one does.
func FuzzCSVParallel(f *testing.F) {
	addCSVSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, c uint8) {
		cfg := CSVConfig{
			Comma:       rune(fuzzCommas[int(c)%len(fuzzCommas)]),
			URLColumn:   ColumnAt(int(c>>2) % 2),
			NoHeader:    c&0x10 != 0,
			MaxRowBytes: []int{0, 16, 64}[int(c>>5)%3],
		}
		if c&0x0c == 0x0c { // sniff the delimiter, find the URL column
			cfg.Comma, cfg.URLColumn = 0, Column{}
		}
		checkParallelMatches(t, data, cfg, 1+int(c>>6)*9)
	})
}

// TestCSVParallelReadError: a read error is fatal after the rows before
// it are emitted, as in a sequential read. (The fatal error cancels the
// run, so the sink may not get them all; the source's count says what it
// sent.)
func TestCSVParallelReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	var head bytes.Buffer
	if err := genCSV(&head, 500); err != nil {
		t.Fatal(err)
	}
	open := append(bytes.Clone(head.Bytes()), "9,https://x.example/,\"never closed\n"...)
	for _, tc := range []struct {
		parsers int
		data    []byte
	}{{1, head.Bytes()}, {2, head.Bytes()}, {2, open}} {
		parsers := tc.parsers
		p := pipeline.New()
		in := io.MultiReader(bytes.NewReader(tc.data), iotest.ErrReader(boom))
		pipeline.Sink(p, "sink", CSV(p, "csv", in, CSVConfig{Parsers: parsers, blockSize: 512}), pipeline.WriterFunc[Item](func(context.Context, Item) error { return nil }))
		err := p.Run(t.Context())
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "read") {
			t.Fatalf("%d parsers: error %v, want the read error", parsers, err)
		}
		if st := p.Stats()[0]; st.Emitted != 500 {
			t.Fatalf("%d parsers: source emitted %d items before the error, want 500", parsers, st.Emitted)
		}
	}
}

// TestCSVParallelSlowWriter: rows written to a pipe reach the sink while
// the writer is still writing; the splitter cuts a block at each short
// read instead of waiting for a full one.
func TestCSVParallelSlowWriter(t *testing.T) {
	pr, pw := io.Pipe()
	p := pipeline.New()
	got := make(chan Item, 16)
	pipeline.Sink(p, "sink", CSV(p, "csv", pr, CSVConfig{Parsers: 2}), pipeline.WriterFunc[Item](func(_ context.Context, it Item) error {
		got <- it
		return nil
	}))
	done := make(chan error, 1)
	go func() { done <- p.Run(t.Context()) }()
	if _, err := io.WriteString(pw, "url\nhttps://slow.example/1\nhttps://slow.example/2\n"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		select {
		case it := <-got:
			if want := fmt.Sprintf("https://slow.example/%d", i); it.URL != want {
				t.Fatalf("item %d is %q, want %q", i, it.URL, want)
			}
		case <-time.After(10 * time.Second): // a bound on a hang, not a timing check
			t.Fatalf("row %d written but not delivered while the writer is open", i)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// endlessCSV is a CSV input that never ends.
type endlessCSV struct{ n int }

func (r *endlessCSV) Read(p []byte) (int, error) {
	if r.n == 0 {
		r.n++
		return copy(p, "url\n"), nil
	}
	line := fmt.Sprintf("https://endless.example/%d\n", r.n)
	if len(p) < len(line) {
		return 0, nil
	}
	r.n++
	return copy(p, line), nil
}

// TestCSVParallelStop: a parallel source reading an endless input stops
// when the pipeline is stopped, and its goroutines end with it (goleak
// checks at the end of the package's tests).
func TestCSVParallelStop(t *testing.T) {
	var p *pipeline.Pipeline
	p = pipeline.New()
	n := 0
	pipeline.Sink(p, "sink", CSV(p, "csv", &endlessCSV{}, CSVConfig{Parsers: 3, blockSize: 256}), pipeline.WriterFunc[Item](func(context.Context, Item) error {
		if n++; n == 5000 {
			p.Stop()
		}
		return nil
	}))
	runUntilStopped(t, p)
	if n < 5000 {
		t.Fatalf("sink saw %d items before the stop, want at least 5000", n)
	}
}

// TestCSVParsersConfig: a negative Parsers is a fatal config error.
func TestCSVParsersConfig(t *testing.T) {
	out := runCSV(t, strings.NewReader("url\nhttps://a.example/\n"), CSVConfig{Parsers: -1})
	if !strings.Contains(out.Err, "Parsers is -1") {
		t.Fatalf("error %q, want one naming Parsers", out.Err)
	}
}

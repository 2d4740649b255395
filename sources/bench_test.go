package sources

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/url"
	"strconv"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

// benchRows is the size of the generated benchmark file.
const benchRows = 1_000_000

// genCSV writes a header and n rows shaped like a typical URL list: an id,
// a URL, a name (every 10th quoted with an embedded comma).
func genCSV(w io.Writer, n int) error {
	if _, err := io.WriteString(w, "id,url,name\n"); err != nil {
		return err
	}
	buf := make([]byte, 0, 128)
	for i := range n {
		buf = strconv.AppendInt(buf[:0], int64(i), 10)
		buf = append(buf, ",https://shop.example.com/products/item-"...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		if i%10 == 0 {
			buf = append(buf, `,"Item, number `...)
			buf = strconv.AppendInt(buf, int64(i), 10)
			buf = append(buf, "\"\n"...)
		} else {
			buf = append(buf, ",Item number "...)
			buf = strconv.AppendInt(buf, int64(i), 10)
			buf = append(buf, '\n')
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

func benchData(b *testing.B) []byte {
	var buf bytes.Buffer
	if err := genCSV(&buf, benchRows); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkCSV compares, on the same in-memory file, plain encoding/csv
// reading every record (the baseline), the sluice scanner alone, and the
// whole sluice CSV source (scan, URL validation, Item, pipeline hop) into a
// no-op sink: with its default parsers (one per CPU) and with one parser
// on the source's own goroutine. engine-hop-only sends as many ready-made
// Items through a source and a no-op sink, without reading anything.
// plain-go-equivalent is the same job written by hand: encoding/csv,
// url.Parse with a scheme and host check, an Item per row sent over a
// buffered channel to a consumer goroutine.
//
// Besides wall time it reports the CPU time the process used per run
// (cpu-ns/op, all goroutines, GC included) and rows per CPU second, since
// the parallel source uses more than one core.
func BenchmarkCSV(b *testing.B) {
	data := benchData(b)
	for _, bm := range []struct {
		name string
		read func(b *testing.B, data []byte) int
	}{
		{"encoding-csv", readEncodingCSV},
		{"sluice-scanner", readScanner},
		{"sluice-source", func(b *testing.B, data []byte) int { return readSource(b, data, 0) }},
		{"sluice-source-1-parser", func(b *testing.B, data []byte) int { return readSource(b, data, 1) }},
		{"engine-hop-only", hopOnly},
		{"plain-go-equivalent", plainGo},
	} {
		b.Run(bm.name, func(b *testing.B) {
			rows := 0
			cpu0 := cpuTime(b)
			for b.Loop() {
				rows = bm.read(b, data)
			}
			cpu := cpuTime(b) - cpu0
			b.SetBytes(int64(len(data)))
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(rows)*float64(b.N)/cpu.Seconds(), "rows/cpu-s")
		})
	}
}

// readEncodingCSV counts the records of data with encoding/csv, header
// included.
func readEncodingCSV(b *testing.B, data []byte) int {
	r := csv.NewReader(bytes.NewReader(data))
	rows := 0
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			b.Fatal(err)
		}
		rows++
	}
}

// readScanner counts the records of data with the sluice scanner.
func readScanner(b *testing.B, data []byte) int {
	s := newCSVScanner(bytes.NewReader(data), ',', 0)
	rows := 0
	for {
		_, _, err := s.scan()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			b.Fatal(err)
		}
		rows++
	}
}

// readSource runs the CSV source with the given number of parsers (0: the
// default) into a counting sink and returns the rows read, header
// included.
func readSource(b *testing.B, data []byte, parsers int) int {
	rows := 1 // the header, which encoding/csv counts as a row
	p := pipeline.New()
	items := CSV(p, "csv", bytes.NewReader(data), CSVConfig{Parsers: parsers})
	pipeline.Sink(p, "discard", items, pipeline.WriterFunc[Item](func(context.Context, Item) error {
		rows++
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	return rows
}

// hopOnly emits benchRows+1 ready-made Items into a no-op sink.
func hopOnly(b *testing.B, _ []byte) int {
	it := Item{Key: "1", URL: "https://shop.example.com/products/item-1"}
	rows := 0
	p := pipeline.New()
	items := pipeline.Source(p, "items", func(_ context.Context, e *pipeline.Emitter[Item]) error {
		for range benchRows + 1 {
			if err := e.Emit(it); err != nil {
				return err
			}
		}
		return nil
	})
	pipeline.Sink(p, "discard", items, pipeline.WriterFunc[Item](func(context.Context, Item) error {
		rows++
		return nil
	}))
	if err := p.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	return rows
}

// plainGo reads data the way hand-written Go would do the sluice source's
// job, and returns the rows read, header included.
func plainGo(b *testing.B, data []byte) int {
	items := make(chan Item, pipeline.DefaultBuffer)
	done := make(chan int)
	go func() {
		n := 0
		for range items {
			n++
		}
		done <- n
	}()
	r := csv.NewReader(bytes.NewReader(data))
	header, err := r.Read()
	if err != nil {
		b.Fatal(err)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		u, err := url.Parse(rec[1])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		line, _ := r.FieldPos(0)
		items <- Item{Key: strconv.Itoa(line), URL: rec[1], Line: line, Columns: header, Values: rec}
	}
	close(items)
	return <-done + 1
}

// benchURLs is a mix shaped like real URL columns: mostly https product
// pages with digits in the path, some with query strings, some with a
// port, a few with escapes. Every one is valid, so each goes through the
// fast path when it can and through net/url when it cannot.
func benchURLs() []string {
	urls := make([]string, 0, 1000)
	for i := range 1000 {
		n := strconv.Itoa(100000 + i*7919)
		var u string
		switch {
		case i%20 == 0:
			u = "http://api.example.com:8080/v1/items/" + n
		case i%20 == 1:
			u = "https://www.example.org/search?q=item+" + n + "&page=2&sort=price"
		case i%20 == 2:
			u = "https://shop.example.com/products/item-" + n + "?utm_source=newsletter&utm_medium=email"
		case i%20 == 3:
			u = "https://cdn.example.net/img/Product%20Photo%20" + n + ".jpg"
		case i%20 == 4:
			u = "https://blog.example.co.uk/2024/05/how-we-ship-" + n + "-parcels"
		default:
			u = "https://shop.example.com/products/item-" + n
		}
		urls = append(urls, u)
	}
	return urls
}

// BenchmarkValidateURL measures ValidateURL per URL over benchURLs, the
// per-row cost the CSV source pays for URL validation.
func BenchmarkValidateURL(b *testing.B) {
	urls := benchURLs()
	i := 0
	for b.Loop() {
		if _, err := ValidateURL(urls[i], false); err != nil {
			b.Fatal(err)
		}
		i++
		if i == len(urls) {
			i = 0
		}
	}
}

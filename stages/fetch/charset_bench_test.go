package fetch

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// benchPage is a ~12 KB HTML page in the shape of a real one: a head
// with a stylesheet and a script, then paragraphs of text.
func benchPage(meta string) string {
	var b strings.Builder
	b.WriteString("<!doctype html><html><head>" + meta + "<title>Bench page</title>\n<style>")
	b.WriteString(strings.Repeat(".nav a { color: #333; padding: 4px 8px }\n", 20))
	b.WriteString("</style><script>")
	b.WriteString(strings.Repeat("window.dataLayer = window.dataLayer || [];\n", 20))
	b.WriteString("</script></head><body>")
	for range 40 {
		b.WriteString("<p>Crème brûlée costs 12,50 € at the café; the naïve façade is déjà vu.</p>\n")
		b.WriteString("<p>Plain ASCII text about pipelines, fetching and scraping at scale.</p>\n")
	}
	b.WriteString("</body></html>")
	return b.String()
}

// BenchmarkToUTF8 measures charset handling of one page per op for the
// common cases, after the floor of any of them (utf8.Valid alone): UTF-8 declared in the header (the hot path), UTF-8
// declared only in an early <meta>, undeclared UTF-8, and a declared
// and undeclared windows-1252 and Shift_JIS pages (which content
// detection reads).
func BenchmarkToUTF8(b *testing.B) {
	utf8Page := benchPage("")
	metaPage := benchPage(`<meta charset="utf-8">`)
	cp1252, _ := charmap.Windows1252.NewEncoder().String(utf8Page)
	ja, _, _ := strings.Cut(textJA, "\n")
	sjis, err := japanese.ShiftJIS.NewEncoder().String(strings.ReplaceAll(utf8Page,
		"Crème brûlée costs 12,50 € at the café; the naïve façade is déjà vu.", ja))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name, raw, ct string
	}{
		{"baseline-utf8.Valid", utf8Page, "text/html; charset=utf-8"}, // the floor
		{"utf8-header", utf8Page, "text/html; charset=utf-8"},
		{"utf8-meta", metaPage, "text/html"},
		{"utf8-undeclared", utf8Page, "text/html"},
		{"cp1252-header", cp1252, "text/html; charset=windows-1252"},
		{"cp1252-undeclared", cp1252, "text/html"},
		{"sjis-undeclared", sjis, "text/html"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			decode := benchDecode
			if bc.name == "baseline-utf8.Valid" {
				decode = func(raw []byte, _, _ string) { utf8.Valid(raw) }
			}
			raw := []byte(bc.raw)
			mt := mediaType(bc.ct, raw)
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				decode(raw, bc.ct, mt)
			}
			// CPU time is steadier than wall time on a shared machine.
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

func benchDecode(raw []byte, ct, mt string) { _ = toUTF8(raw, ct, mt) }

package fetch

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// FuzzToUTF8: charset detection and conversion never panic, text
// always comes out as valid UTF-8, and the decision is well formed: a
// known source, a confidence in 0..100 (100 when declared), and valid
// UTF-8 with nothing declared kept as it is.
func FuzzToUTF8(f *testing.F) {
	f.Add([]byte("caf\xe9"), "text/html")
	f.Add([]byte("\xEF\xBB\xBFhi"), "text/plain; charset=latin1")
	f.Add([]byte(`<meta charset="shift_jis">\x82\xa0`), "text/html")
	f.Add([]byte(`<meta http-equiv="content-type" content="text/html;charset=utf-16">`), "")
	f.Add([]byte("\xFE\xFF\x00a\xd8"), "text/html; charset=")
	f.Add([]byte("<!-->"+strings.Repeat("<script>x</script>", 80)+`<meta content='charset="koi8-r"' http-equiv=content-type>\xf0`), "text/html")
	f.Add([]byte("<head><title><meta charset=gbk></title><meta/charset=gbk\xb1"), "text/html")
	f.Add([]byte("caf\xc3"), "text/plain") // UTF-8 cut inside a character
	for _, p := range charsetCorpus {
		if raw, err := os.ReadFile(corpusPath(p.file)); err == nil {
			f.Add(raw, p.contentType)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte, ct string) {
		mt := mediaType(ct, raw)
		d := toUTF8(raw, ct, mt)
		if !utf8.Valid(d.body) {
			t.Fatalf("toUTF8(%q, %q) as %s gave invalid UTF-8", raw, ct, d.charset)
		}
		checkDecision(t, raw, d)
	})
}

func checkDecision(t *testing.T, raw []byte, d decoded) {
	t.Helper()
	switch {
	case d.charset == "":
		t.Fatalf("no charset (source %q)", d.source)
	case d.confidence < 0 || d.confidence > 100:
		t.Fatalf("confidence %d", d.confidence)
	case d.source.Declared() && d.confidence != 100:
		t.Fatalf("declared (%s) with confidence %d", d.source, d.confidence)
	case d.source == CharsetDefault && !validUTF8(raw):
		t.Fatalf("default UTF-8 for bytes that are not UTF-8")
	case d.source == CharsetDefault && utf8.Valid(raw) && !bytes.Equal(d.body, raw):
		t.Fatalf("valid UTF-8 changed")
	case !d.source.Declared() && d.source != CharsetDefault && validUTF8(raw):
		t.Fatalf("valid UTF-8 went to %s", d.source)
	case d.source == CharsetDetected && d.confidence < minDetectConfidence,
		d.source == CharsetFallback && d.confidence != 0:
		t.Fatalf("%s with confidence %d", d.source, d.confidence)
	case !d.source.Declared() && d.source != CharsetDefault && d.source != CharsetDetected &&
		d.source != CharsetFallback:
		t.Fatalf("unknown source %q", d.source)
	}
}

// FuzzDecode: content decoding of arbitrary bytes never panics and never
// returns more than the limit.
func FuzzDecode(f *testing.F) {
	var pool sync.Pool
	for _, enc := range []string{"gzip", "deflate", "br", "zstd", "identity"} {
		f.Add(enc, []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"))
		f.Add(enc, []byte("\x78\x9c\x4b\x04\x00"))
		f.Add(enc, []byte("\x28\xb5\x2f\xfd\x00\x58\x01\x00\x00"))
	}
	f.Fuzz(func(t *testing.T, enc string, data []byte) {
		const limit = 1 << 16
		body, err := decode(enc, &limitedReader{r: bytesReader(data), left: 1 << 16}, limit, &pool, &bodyPool{})
		if err == nil && len(*body) > limit {
			t.Fatalf("decoded %d bytes past the %d limit", len(*body), limit)
		}
	})
}

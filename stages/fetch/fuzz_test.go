package fetch

import (
	"sync"
	"testing"
	"unicode/utf8"
)

// FuzzToUTF8: charset detection and conversion never panic, and text
// always comes out as valid UTF-8.
func FuzzToUTF8(f *testing.F) {
	f.Add([]byte("caf\xe9"), "text/html")
	f.Add([]byte("\xEF\xBB\xBFhi"), "text/plain; charset=latin1")
	f.Add([]byte(`<meta charset="shift_jis">\x82\xa0`), "text/html")
	f.Add([]byte(`<meta http-equiv="content-type" content="text/html;charset=utf-16">`), "")
	f.Add([]byte("\xFE\xFF\x00a\xd8"), "text/html; charset=")
	f.Fuzz(func(t *testing.T, raw []byte, ct string) {
		mt := mediaType(ct, raw)
		body, cs := toUTF8(raw, ct, mt)
		if !utf8.Valid(body) {
			t.Fatalf("toUTF8(%q, %q) as %s gave invalid UTF-8", raw, ct, cs)
		}
	})
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
		body, err := decode(enc, &limitedReader{r: bytesReader(data), left: 1 << 16}, limit, &pool)
		if err == nil && len(body) > limit {
			t.Fatalf("decoded %d bytes past the %d limit", len(body), limit)
		}
	})
}

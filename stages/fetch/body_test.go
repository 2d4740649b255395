package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"github.com/sluicehq/sluice/testsite"
)

const text = "Crème brûlée — 12,50 € " // repeated into a compressible body

func compress(t *testing.T, enc string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch enc {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w = zlib.NewWriter(&buf)
	case "raw-deflate":
		w, _ = flate.NewWriter(&buf, flate.DefaultCompression)
	case "br":
		w = brotli.NewWriter(&buf)
	case "zstd":
		w, _ = zstd.NewWriter(&buf)
	}
	_, _ = w.Write(data)
	_ = w.Close()
	return buf.Bytes()
}

func encodedServer(t *testing.T, enc string, body []byte) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if enc != "compress" && !strings.Contains(r.Header.Get("Accept-Encoding"), strings.TrimPrefix(enc, "raw-")) {
			t.Errorf("Accept-Encoding %q lacks %s", r.Header.Get("Accept-Encoding"), enc)
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Encoding", strings.TrimPrefix(enc, "raw-"))
		_, _ = w.Write(body)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestContentEncodings(t *testing.T) {
	plain := []byte(strings.Repeat(text, 2000))
	for _, enc := range []string{"gzip", "deflate", "raw-deflate", "br", "zstd"} {
		ts := encodedServer(t, enc, compress(t, enc, plain))
		f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
		resp := mustFetch(t, f, FromURL(ts.URL))
		if !bytes.Equal(resp.Body, plain) {
			t.Errorf("%s: body of %d bytes differs from the original %d", enc, len(resp.Body), len(plain))
		}
	}
}

func TestDecompressionBombs(t *testing.T) {
	zeros := make([]byte, 2<<20)
	for _, enc := range []string{"gzip", "deflate", "br", "zstd"} {
		ts := encodedServer(t, enc, compress(t, enc, zeros))
		f, _ := newTestFetcher(t, Config{IgnoreRobots: true, MaxDecodedSize: 256 << 10})
		e := mustFail(t, f, FromURL(ts.URL))
		if !errors.Is(e, ErrBodyTooLarge) || e.Attempts() != 1 {
			t.Errorf("%s: %v after %d attempts, want ErrBodyTooLarge at once", enc, e, e.Attempts())
		}
	}
}

func TestGzipBombFromTestserver(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3, BombBytes: 8 << 20})
	f, _ := newTestFetcher(t, Config{MaxBodySize: 1 << 20}) // decoded limit: 4 MiB
	e := mustFail(t, f, FromURL(s.PageURL(1)+"?fault=gzip-bomb"))
	if !errors.Is(e, ErrBodyTooLarge) || !strings.Contains(e.Error(), "after gzip decoding") {
		t.Errorf("got %v, want ErrBodyTooLarge after decoding", e)
	}
	if n := s.Requests(testsite.PagePath(1)); n != 1 {
		t.Errorf("%d requests, want 1 (no retry)", n)
	}
}

func TestCorruptEncodingIsPerItem(t *testing.T) {
	ts := encodedServer(t, "gzip", []byte("this is not gzip at all"))
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	if e := mustFail(t, f, FromURL(ts.URL)); !errors.Is(e, ErrContentEncoding) || e.Attempts() != 1 {
		t.Errorf("got %v, want ErrContentEncoding at once", e)
	}
	ts2 := encodedServer(t, "compress", []byte("x"))
	if e := mustFail(t, f, FromURL(ts2.URL)); !errors.Is(e, ErrContentEncoding) {
		t.Errorf("unknown coding: %v, want ErrContentEncoding", e)
	}
}

func TestOversizeChunkedBody(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3, OversizeBytes: 4 << 20})
	f, _ := newTestFetcher(t, Config{MaxBodySize: 1 << 20})
	e := mustFail(t, f, FromURL(s.PageURL(1)+"?fault=oversize"))
	if !errors.Is(e, ErrBodyTooLarge) || e.Attempts() != 1 {
		t.Errorf("got %v after %d attempts, want ErrBodyTooLarge at once", e, e.Attempts())
	}
}

func TestOversizeByContentLength(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2097152")
		_, _ = w.Write(make([]byte, 2<<20))
	}))
	defer ts.Close()
	f, _ := newTestFetcher(t, Config{MaxBodySize: 1 << 20, IgnoreRobots: true})
	e := mustFail(t, f, FromURL(ts.URL))
	if !errors.Is(e, ErrBodyTooLarge) || !strings.Contains(e.Error(), "Content-Length") {
		t.Errorf("got %v, want ErrBodyTooLarge from the Content-Length", e)
	}
}

func TestSlowBodyArrivesWhole(t *testing.T) {
	s := startSite(t, testsite.Config{Pages: 3, SlowInterval: 100_000})
	f, _ := newTestFetcher(t, Config{})
	slow := mustFetch(t, f, FromURL(s.PageURL(1)+"?fault=slow"))
	whole := mustFetch(t, f, FromURL(s.PageURL(1)))
	if !bytes.Equal(slow.Body, whole.Body) {
		t.Errorf("slow body: %d bytes, the page has %d", len(slow.Body), len(whole.Body))
	}
}

func TestBinaryBodyLeftAlone(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(png)
	}))
	defer ts.Close()
	f, _ := newTestFetcher(t, Config{IgnoreRobots: true})
	resp := mustFetch(t, f, FromURL(ts.URL))
	if !bytes.Equal(resp.Body, png) || resp.Charset != "" || resp.ContentType != "image/png" {
		t.Errorf("binary body changed: %q charset %q type %q", resp.Body, resp.Charset, resp.ContentType)
	}
}

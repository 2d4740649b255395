package fetch

import (
	"bytes"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var updateCharsetCorpus = flag.Bool("update-charset-corpus", false,
	"rewrite testdata/charset from charsetCorpus")

// corpusPage is one page of testdata/charset: the UTF-8 text it holds,
// how it is encoded and declared, and what decoding must find.
type corpusPage struct {
	file        string
	enc         encoding.Encoding // nil: UTF-8
	contentType string            // served as
	head        string            // markup at the top of <head>, before the padding
	lateHead    string            // markup after ~3 KB of styles and scripts
	text        string            // the page's text, which decoding must give back
	charset     string
	src         CharsetSource
	minConf     int // least CharsetConfidence accepted
}

// charsetCorpus lists the pages of testdata/charset. The bytes there are
// generated from it (go test -run TestCharsetCorpusFiles
// -update-charset-corpus), and TestCharsetCorpusFiles checks that they
// still are.
var charsetCorpus = []corpusPage{
	{file: "late-meta-1251.html", enc: charmap.Windows1251, contentType: "text/html",
		lateHead: `<meta charset="windows-1251">`, text: textRU, charset: "windows-1251", src: CharsetMetaLate, minConf: 100},
	{file: "late-http-equiv-8859-2.html", enc: charmap.ISO8859_2, contentType: "text/html",
		lateHead: `<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-2">`,
		text:     textCS, charset: "iso-8859-2", src: CharsetMetaLate, minConf: 100},
	{file: "early-meta-koi8r.html", enc: charmap.KOI8R, contentType: "text/html",
		head: `<meta charset="koi8-r">`, text: textRU, charset: "koi8-r", src: CharsetMeta, minConf: 100},
	{file: "ru-1251-none.html", enc: charmap.Windows1251, contentType: "text/html",
		text: textRU, charset: "windows-1251", src: CharsetDetected, minConf: 30},
	{file: "ru-koi8r-none.html", enc: charmap.KOI8R, contentType: "text/html",
		text: textRU, charset: "koi8-r", src: CharsetDetected, minConf: 30},
	{file: "ja-eucjp-none.html", enc: japanese.EUCJP, contentType: "text/html",
		text: textJA, charset: "euc-jp", src: CharsetDetected, minConf: 30},
	{file: "ja-sjis-none.html", enc: japanese.ShiftJIS, contentType: "text/html",
		text: textJA, charset: "shift_jis", src: CharsetDetected, minConf: 30},
	{file: "zh-gbk-none.html", enc: simplifiedchinese.GBK, contentType: "text/html",
		text: textZH, charset: "gb18030", src: CharsetDetected, minConf: 30},
	{file: "ko-euckr-none.html", enc: korean.EUCKR, contentType: "text/html",
		text: textKO, charset: "euc-kr", src: CharsetDetected, minConf: 30},
	{file: "fr-1252-none.html", enc: charmap.Windows1252, contentType: "text/html",
		text: textFR, charset: "windows-1252", src: CharsetDetected, minConf: 15},
	{file: "de-1252-none.html", enc: charmap.Windows1252, contentType: "text/html",
		text: textDE, charset: "windows-1252", src: CharsetDetected, minConf: 15},
	{file: "ru-1251-none.txt", enc: charmap.Windows1251, contentType: "text/plain",
		text: textRU, charset: "windows-1251", src: CharsetDetected, minConf: 30},
	{file: "utf8-none.html", contentType: "text/html",
		text: textRU + textJA + textFR, charset: "utf-8", src: CharsetDefault, minConf: 100},
	{file: "conflict-header-wins.html", enc: charmap.Windows1252, contentType: "text/html; charset=windows-1252",
		head: `<meta charset="shift_jis">`, text: textFR, charset: "windows-1252", src: CharsetHeader, minConf: 100},
}

// page renders p as UTF-8: a head padded with 3 KB of styles and
// scripts, as real pages are, then the text.
func (p corpusPage) page() string {
	if strings.HasSuffix(p.file, ".txt") {
		return p.text + "\n"
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head>" + p.head + "\n<style>\n")
	b.WriteString(strings.Repeat("body > nav ul li a:hover { color: #0af; text-decoration: underline }\n", 22))
	b.WriteString("</style>\n<script>\n")
	b.WriteString(strings.Repeat("  window.dataLayer.push({'event': 'view', 'ts': Date.now()});\n", 26))
	b.WriteString("</script>\n" + p.lateHead + "\n<link rel=\"stylesheet\" href=\"/site.css\">\n</head>\n<body>\n")
	for para := range strings.SplitSeq(p.text, "\n") {
		b.WriteString("<p class=\"text\">" + para + "</p>\n")
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// encoded is the page's bytes as served.
func (p corpusPage) encoded(t *testing.T) []byte {
	if p.enc == nil {
		return []byte(p.page())
	}
	b, err := p.enc.NewEncoder().Bytes([]byte(p.page()))
	if err != nil {
		t.Fatalf("%s: encode: %v", p.file, err)
	}
	return b
}

func corpusPath(file string) string { return filepath.Join("testdata", "charset", file) }

// TestCharsetCorpusFiles checks that testdata/charset is what the
// corpus table generates (or rewrites it, with -update-charset-corpus).
func TestCharsetCorpusFiles(t *testing.T) {
	for _, p := range charsetCorpus {
		want := p.encoded(t)
		if *updateCharsetCorpus {
			if err := os.WriteFile(corpusPath(p.file), want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(corpusPath(p.file))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale or missing (%v): run with -update-charset-corpus", p.file, err)
		}
		if p.enc != nil && utf8.Valid(got) {
			t.Errorf("%s: a legacy-encoded page is valid UTF-8, so it tests nothing", p.file)
		}
	}
}

// TestCharsetCorpus decodes every corpus page directly.
func TestCharsetCorpus(t *testing.T) {
	for _, p := range charsetCorpus {
		t.Run(p.file, func(t *testing.T) {
			raw, err := os.ReadFile(corpusPath(p.file))
			if err != nil {
				t.Fatal(err)
			}
			d := toUTF8(raw, p.contentType, mediaType(p.contentType, raw))
			checkCorpusDecode(t, p, d.body, d.charset, d.source, d.confidence)
		})
	}
}

// TestCharsetCorpusFetched fetches every corpus page from an httptest
// server and checks the Response.
func TestCharsetCorpusFetched(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range charsetCorpus {
			if r.URL.Path == "/"+p.file {
				w.Header().Set("Content-Type", p.contentType)
				http.ServeFile(w, r, corpusPath(p.file))
				return
			}
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	f, _ := newTestFetcher(t, Config{})
	for _, p := range charsetCorpus {
		t.Run(p.file, func(t *testing.T) {
			resp := mustFetch(t, f, FromURL(srv.URL+"/"+p.file))
			checkCorpusDecode(t, p, resp.Body, resp.Charset, resp.CharsetSource, resp.CharsetConfidence)
		})
	}
}

func checkCorpusDecode(t *testing.T, p corpusPage, body []byte, cs string, src CharsetSource, conf int) {
	t.Helper()
	if cs != p.charset || src != p.src {
		t.Errorf("decoded as %q from %q, want %q from %q", cs, src, p.charset, p.src)
	}
	if conf < p.minConf || conf > 100 {
		t.Errorf("confidence %d, want %d..100", conf, p.minConf)
	}
	if !utf8.Valid(body) {
		t.Fatal("body is not valid UTF-8")
	}
	for para := range strings.SplitSeq(p.text, "\n") {
		if !bytes.Contains(body, []byte(para)) {
			t.Errorf("body lacks %q", para)
		}
	}
}

package htmltok

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/testsite"
	"golang.org/x/net/html"
)

// tricky are inputs that reach each state and quirk of the tokenizer.
var tricky = []string{
	"", "plain", "<", "</", "<!", "<!-", "<!--", "<?", "<a", "<a ", "<a b", "<a b=", "<a b='", "</a", "</a b",
	"a<b", "a < b", "a<1", "x</>y", "x</ >y", "</3>", "<!---->", "<!-->", "<!--->", "<!-- a -- b -->",
	"<!--a--!>b", "<!--a--!-->", "<!--a--!", "<!--a--", "<!--a-", "<!--a", "<!-x", "<!>", "<!x>", "<?xml v?>",
	"<!DOCTYPE html>", "<!doctype html>", "<!DocType   html  >", "<!DOCTYPE", "<!DOCTYPE ", "<!DOC", "<!DOCX>",
	"<![CDATA[x]]>", "<div class=a id='b' title=\"c>d\">t</div>", "<p a=/>", "<br/>", "<br />", "<p a/>", "<img src=x/>",
	"<a =b>", "<a ==b>", "<a b c=d e = 'f' g>", "<A HREF=\"X\" Href=y>", "<a b=1 B=2 c=3>",
	"<a href='x&amp;y&lt&ampz'>", "<a title=\"a\r\nb\rc\">", "<a t=\"\x00\">", "<a\x00b=1>", "<A\x00>", "x\x00y",
	"a\r\nb\rc", "&amp; &lt &#x41; &#65; &notin &notit;", "<title>a<b>c</b>&amp;</title>d",
	"<textarea>a</textarea >b", "<style>a</style\tb>c", "<style>x</styles></style>", "<script>a</script>",
	"<script>if (a<b) x()</script>", "<script><!-- a</script>", "<script><!-- <script> a </script> b </script> c</script>d",
	"<script><!-- <script> a --> b </script>", "<script><!--- x --></script>", "<script><!--<script></script>--></script>",
	"<script><!-- <SCRIPT>x</SCRIPT> --></script>", "<script>a", "<script><!--", "<script><!-- <script", "<script></scr",
	"<plaintext>a</plaintext><b>", "<xmp><b></xmp>", "<iframe><p></iframe>", "<noscript><p></noscript>",
	"<noembed>x</noembed><noframes>y</noframes>", "<TITLE>x</TITLE>", "<title></title>", "<script></script>",
	"<a\n\thref\f=\r'x'>", "<a b='x>", "<a b=\"x", "<a b=x", "<a b=x/>", "<a/b/c>", "<a / b>", "<div//>",
	strings.Repeat("<i a=1 ", 5) + ">", "<p " + strings.Repeat("x=1 ", 40) + "X=2 y=3>",
	"<p " + strings.Repeat("a", 100) + "=1 " + strings.Repeat("A", 100) + "=2>", "<p\r\n>", "</p\r\n>",
	"<script>a</script x>b", "<script>a</script/>b", "<textarea>&amp;</textarea>", "<title>\x00</title>", "<style>\x00</style>",
	"<!--\x00-->", "<!DOCTYPE \x00>", "<?\x00>",
	// character references in attribute values, by the attribute rules
	"<a href=\"?a=1&b=2&amp;c=3&lt=4&notit;&notin;&semi;&#x41;&#;&#x;&&amp=&ampx &nbsp&acE;&NotNestedGreaterGreater;\">",
	"<a b='&notit &noti &not &nota=1 &amp;amp; &#65 &#x110000; &#128; &#0; &#xD800; &#99999999999; &a' c=&lt;d e=&>",
	"<a b='&AMP; &Amp; &amp &AMP &copy=x &copy;=x &#X41; &#x4g &0 &1;'>", "<a b=\"&\" c=\"&&\" d='&;' e='&#'>",
}

// token is what one token shows through the accessors.
type token struct {
	typ   html.TokenType
	raw   string
	text  string
	name  string
	attrs string
	err   error
}

func (t token) String() string {
	return fmt.Sprintf("%v raw=%q text=%q name=%q attrs=%s err=%v", t.typ, t.raw, t.text, t.name, t.attrs, t.err)
}

// tokenizer is what the two tokenizers have in common.
type tokenizer interface {
	Next() html.TokenType
	Raw() []byte
	Text() []byte
	TagName() ([]byte, bool)
	TagAttr() ([]byte, []byte, bool)
	Err() error
}

// tokens reads every token of z; with textFirst it reads a tag's
// attributes without its name first (TagAttr alone), as callers may.
func tokens(z tokenizer, attrsOnly bool) []token {
	var out []token
	for i := 0; i < 100000; i++ {
		tt := z.Next()
		t := token{typ: tt, raw: string(z.Raw())}
		switch tt {
		case html.ErrorToken:
			t.err = z.Err()
			return append(out, t)
		case html.TextToken, html.CommentToken, html.DoctypeToken:
			t.text = string(z.Text())
		default:
			more := true
			if !attrsOnly {
				var name []byte
				name, more = z.TagName()
				t.name = string(name)
			}
			var b strings.Builder
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if k == nil {
					break
				}
				fmt.Fprintf(&b, "[%q=%q]", k, v)
			}
			t.attrs = b.String()
		}
		out = append(out, t)
	}
	panic("no end")
}

// checkRaw fails t when the raw accessors of a tag token disagree with
// TagName and TagAttr on in.
func checkRaw(t *testing.T, in []byte) {
	t.Helper()
	z := New(in)
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		raw := string(z.RawName())
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			if raw != "" || z.AttrCount() != 0 {
				t.Fatalf("input %q: a %v token has name %q and %d attributes", truncate(in), tt, raw, z.AttrCount())
			}
			continue
		}
		n := z.AttrCount()
		type kv struct{ k, v string }
		var fromRaw []kv
		for i := range n {
			k, v := z.RawAttr(i)
			fromRaw = append(fromRaw, kv{string(lowerName(k)), string(DecodeAttr(v))})
		}
		name, more := z.TagName()
		if string(name) != string(lowerName([]byte(raw))) || more != (n > 0) {
			t.Fatalf("input %q: RawName %q, TagName %q %v, %d attributes", truncate(in), raw, name, more, n)
		}
		for i := 0; more; i++ {
			var k, v []byte
			k, v, more = z.TagAttr()
			if i >= n || fromRaw[i] != (kv{string(k), string(v)}) {
				t.Fatalf("input %q: attribute %d: TagAttr %q=%q, raw %+v", truncate(in), i, k, v, fromRaw)
			}
		}
	}
}

// compare fails t when the two tokenizers disagree on in.
func compare(t *testing.T, in []byte) {
	t.Helper()
	checkRaw(t, in)
	orig := bytes.Clone(in)
	for _, attrsOnly := range []bool{false, true} {
		want := tokens(html.NewTokenizer(bytes.NewReader(in)), attrsOnly)
		got := tokens(New(in), attrsOnly)
		if !bytes.Equal(in, orig) {
			t.Fatalf("the input was modified")
		}
		for i := 0; i < max(len(want), len(got)); i++ {
			var w, g token
			if i < len(want) {
				w = want[i]
			}
			if i < len(got) {
				g = got[i]
			}
			if w != g {
				t.Fatalf("input %q, token %d:\n got %v\nwant %v", truncate(in), i, g, w)
			}
		}
	}
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

func TestMatchesXNetHTML(t *testing.T) {
	for _, in := range tricky {
		compare(t, []byte(in))
		// the same input after text, and cut at every byte
		compare(t, []byte("text "+in+" more"))
		for i := range len(in) {
			compare(t, []byte(in[:i]))
		}
	}
}

// TestMatchesOnRealPages compares the two on the repository's HTML test
// data and the test site's pages.
func TestMatchesOnRealPages(t *testing.T) {
	for _, pages := range pageSets(t) {
		for name, body := range pages {
			t.Run(name, func(t *testing.T) { compare(t, body) })
		}
	}
}

func pageSets(t testing.TB) []map[string][]byte {
	files := map[string][]byte{}
	for _, glob := range []string{"../../extract/testdata/*.html", "../../fetch/testdata/charset/*.html"} {
		paths, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files[filepath.Base(p)] = b
		}
	}
	if len(files) < 10 {
		t.Fatalf("found %d test pages, want the extract and charset test data", len(files))
	}
	site := map[string][]byte{}
	for id, b := range sitePages(t, 5) {
		site[fmt.Sprintf("page-%d", id)] = b
	}
	return []map[string][]byte{files, site}
}

// sitePages fetches n pages of the test site (about 30 KB each).
func sitePages(tb testing.TB, n int) [][]byte {
	tb.Helper()
	srv, err := testsite.Start(testsite.Config{Pages: n})
	if err != nil {
		tb.Fatal(err)
	}
	defer srv.Close()
	var out [][]byte
	for id := range n {
		resp, err := http.Get(srv.PageURL(id))
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			tb.Fatalf("page %d: %v %d", id, err, resp.StatusCode)
		}
		out = append(out, b)
	}
	return out
}

func TestReset(t *testing.T) {
	z := New([]byte("<a href=x>y</a>"))
	for z.Next() != html.ErrorToken {
	}
	in := []byte("<b c=d>")
	z.Reset(in)
	if tt := z.Next(); tt != html.StartTagToken {
		t.Fatalf("after Reset: %v", tt)
	}
	name, more := z.TagName()
	k, v, _ := z.TagAttr()
	if string(name) != "b" || !more || string(k) != "c" || string(v) != "d" {
		t.Errorf("after Reset: %s %v %s=%s", name, more, k, v)
	}
}

func FuzzMatchesXNetHTML(f *testing.F) {
	for _, in := range tricky {
		f.Add([]byte(in))
	}
	for _, pages := range pageSets(f) {
		for _, b := range pages {
			if len(b) < 8<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		compare(t, in)
	})
}

// BenchmarkTokenize tokenizes a test-site page (~30 KB) with each
// tokenizer, reading every token's raw bytes as the extractor does.
//
//	go test -run '^$' -bench Tokenize -count 6 ./stages/internal/htmltok
func BenchmarkTokenize(b *testing.B) {
	page := sitePages(b, 1)[0]
	b.Run("x-net-html", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			z := html.NewTokenizer(bytes.NewReader(page))
			for z.Next() != html.ErrorToken {
				_ = z.Raw()
			}
		}
	})
	b.Run("htmltok", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		var z Tokenizer
		for b.Loop() {
			z.Reset(page)
			for z.Next() != html.ErrorToken {
				_ = z.Raw()
			}
		}
	})
}

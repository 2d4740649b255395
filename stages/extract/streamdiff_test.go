package extract

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/stages/fetch"
)

// diffSpecs cover every selector form of the streaming subset and every
// kind of field the streaming path takes.
var diffSpecs = []HTMLSpec{
	{Fields: []Field{
		{Name: "type", Selector: "p"},
		{Name: "id", Selector: "#main", Take: TakeExists},
		{Name: "class", Selector: ".c1", All: true},
		{Name: "has", Selector: "[data-x]", Attr: "data-x", All: true},
		{Name: "eq", Selector: `[class="c1"]`, Take: TakeCount},
		{Name: "prefix", Selector: `a[href^="http"]`, Attr: "href"},
		{Name: "word", Selector: "[class~=c2]", All: true},
		{Name: "dash", Selector: "[lang|=en]", Attr: "lang"},
		{Name: "suffix", Selector: `img[src$=".jpg"]`, Attr: "src", All: true},
		{Name: "substr", Selector: "[href*=x]", Attr: "href", All: true},
		{Name: "neq", Selector: "li[class!=c1]", Take: TakeCount},
		{Name: "nocase", Selector: "[class=C1 i]", Take: TakeCount},
		{Name: "compound", Selector: "li.c1[data-x]", Regex: `(\d+)`, Type: TypeInt, Default: "-1"},
		{Name: "idclass", Selector: "div#main.c2"},
		{Name: "desc", Selector: "ul a", Attr: "href", All: true},
		{Name: "desc3", Selector: "div p span", All: true},
		{Name: "child", Selector: "ul > li", All: true},
		{Name: "child2", Selector: "div > .c1", Take: TakeCount},
		{Name: "first", Selector: "li:first-child", All: true},
		{Name: "firstdeep", Selector: "ul > li:first-child a", Attr: "href"},
		{Name: "root", Selector: ":root", Attr: "lang"},
		{Name: "not", Selector: "li:not(.c1)", All: true},
		{Name: "group", Selector: "h1, h2, title", All: true},
		{Name: "star", Selector: "*", Take: TakeCount},
		{Name: "starall", Selector: "body > *", All: true},
		{Name: "num", Selector: ".n", Regex: `[\d.]+`, Type: TypeFloat, All: true},
		{Name: "flag", Selector: "[data-flag]", Attr: "data-flag", Type: TypeBool, Default: "false"},
		{Name: "script", Selector: "script"},
		{Name: "textarea", Selector: "textarea, pre"},
		{Name: "whole", Selector: ""},
		{Name: "base", Selector: "base", Attr: "href"},
		{Name: "nested", Selector: "ul", All: true, Fields: []Field{
			{Name: "first", Selector: "li"},
			{Name: "self", Attr: "class"},
			{Name: "links", Selector: "a", Attr: "href", All: true},
			{Name: "inner", Selector: "li", Fields: []Field{{Name: "t", Selector: ""}, {Name: "b", Selector: "b", Take: TakeExists}}},
		}},
	}},
	{Items: "li", Fields: []Field{
		{Name: "self", Selector: ""},
		{Name: "cls", Attr: "class"},
		{Name: "a", Selector: "a", Attr: "href"},
		{Name: "deep", Selector: "ul li", Take: TakeCount},
		{Name: "spans", Selector: "span, b", All: true},
	}},
	{Items: "ul > li.c1, p", Fields: []Field{
		{Name: "x", Attr: "data-x", Required: true},
		{Name: "n", Selector: ".n", Regex: `\d+`, Type: TypeInt, Required: true},
	}},
	{Items: "div :first-child", Fields: []Field{
		{Name: "tag", Selector: "a", Take: TakeExists},
		{Name: "t", Selector: ""},
	}},
}

// diffExtractors pairs each spec's streaming extractor with its
// full-document twin.
func diffExtractors(t testing.TB) (stream, dom []*HTML) {
	for _, spec := range diffSpecs {
		s, err := NewHTML(spec)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Streams() {
			t.Fatalf("spec %+v does not stream", spec)
		}
		d, err := NewHTML(spec, ForceDOM())
		if err != nil {
			t.Fatal(err)
		}
		stream, dom = append(stream, s), append(dom, d)
	}
	return stream, dom
}

func diffResponse(body []byte) *fetch.Response {
	u, _ := url.Parse("https://shop.example.com/a/b?c=d")
	return &fetch.Response{Request: fetch.Request{URL: u.String()}, URL: u, StatusCode: 200,
		Body: body, ContentType: "text/html"}
}

// checkSame fails t when the streaming extractor gives other records,
// links or errors than the full-document one; it reports whether the
// page streamed.
func checkSame(t testing.TB, s, d *HTML, body []byte) bool {
	t.Helper()
	resp := diffResponse(body)
	out, streamed := s.streamed(resp, true)
	if !streamed {
		return false
	}
	recs, links, err := out.recs, out.links, out.err
	wrecs, wlinks, werr := d.RecordsAndLinks(resp)
	if fmt.Sprint(err) != fmt.Sprint(werr) || !reflect.DeepEqual(recs, wrecs) || !reflect.DeepEqual(links, wlinks) {
		t.Fatalf("page %q:\nstream: %v %+v %q\ndom:    %v %+v %q", body, err, recs, links, werr, wrecs, wlinks)
	}
	return true
}

// genPage returns a random page built from tags the model handles and
// some it does not, nested and misnested at random.
func genPage(rng *rand.Rand) []byte {
	tags := []string{"DIV", "Li", "div", "p", "ul", "li", "span", "a", "b", "i", "h1", "h2", "pre", "form", "br", "img",
		"script", "textarea", "title", "head", "body", "html", "x-item", "dl", "dt", "dd", "button", "em",
		"section", "base", "meta", "table", "td", "select", "hr", "noscript", "template", "svg",
		"image", "iframe", "xmp", "noframes", "style", "link", "input", "h3", "address", "nobr", "font",
		"strong", "u", "option", "optgroup", "ruby", "rt", "rp", "frameset", "plaintext", "listing", "object", "tr", "caption"}
	classes := []string{"c1", "c2", "C1", "c1 c2", "n"}
	texts := []string{"x", " 12 ", "a&amp;b", "\n", "3.5 €", "\u00a0y\u00a0", "\x00", "  ", "\r\nz", "<", "7"}
	var b strings.Builder
	if rng.IntN(3) == 0 {
		b.WriteString("<!DOCTYPE html>")
	}
	for range rng.IntN(40) {
		switch k := rng.IntN(10); {
		case k < 4:
			tag := tags[rng.IntN(len(tags))]
			fmt.Fprintf(&b, "<%s", tag)
			if rng.IntN(2) == 0 {
				fmt.Fprintf(&b, " class=%q", classes[rng.IntN(len(classes))])
			}
			if rng.IntN(4) == 0 {
				fmt.Fprintf(&b, " id=main data-x=%d", rng.IntN(9))
			}
			if rng.IntN(3) == 0 {
				fmt.Fprintf(&b, " href=%q src=p%d.jpg", []string{"../x?q=1#f", "http://e.com/x", "/abs", "::"}[rng.IntN(4)], rng.IntN(3))
			}
			if rng.IntN(8) == 0 {
				b.WriteString(" lang=en-GB data-flag=yes")
			}
			if rng.IntN(4) == 0 {
				b.WriteString(rawAttrs[rng.IntN(len(rawAttrs))])
			}
			b.WriteString([]string{">", ">", ">", "/>", " >", "\n>"}[rng.IntN(6)])
		case k < 7:
			fmt.Fprintf(&b, "</%s>", tags[rng.IntN(len(tags))])
		case k < 9:
			b.WriteString(texts[rng.IntN(len(texts))])
		default:
			b.WriteString("<!--c-->")
		}
	}
	return []byte(b.String())
}

// rawAttrs are attribute spellings that exercise the tokenizer's corners.
var rawAttrs = []string{
	` CLASS="c1"`, ` class=c1 class=c2`, ` href="a&amp;b" data-x='1'`, ` href=x&y`, " data-x=\"a\r\nb\"",
	` =x class=c2`, ` data-x`, ` data-x = "3" `, ` class="c1>c2"`, ` id=main/`, ` href='q"r'`,
	` DATA-X=Up`, " class=\"\x00c1\"", ` class=c1 ID=Main`, ` href=/p/Ä`, ` lang=EN`, ` class=""`,
}

// TestStreamingMatchesGoqueryGenerated compares the two paths, tree and
// records, on random pages.
func TestStreamingMatchesGoqueryGenerated(t *testing.T) {
	stream, dom := diffExtractors(t)
	rng := rand.New(rand.NewPCG(1, 2))
	n, streamed := 4000, 0
	if testing.Short() {
		n = 500
	}
	for range n {
		body := genPage(rng)
		if checkTree(t, string(body)) {
			streamed++
		}
		for i := range stream {
			checkSame(t, stream[i], dom[i], body)
		}
	}
	if streamed < n/4 {
		t.Errorf("only %d of %d generated pages streamed", streamed, n)
	}
	t.Logf("%d of %d generated pages streamed", streamed, n)
}

func FuzzStreamingMatchesGoquery(f *testing.F) {
	for _, s := range []string{
		`<ul id=main class="c1 c2"><li class=c1 data-x=1><a href="../x?a=1">A <b>1</b></a><li>2<span class=n>3.5</span></ul>`,
		`<html lang=en><head><base href="/shop/"><title>t</title></head><body><div id=main class=c2><p>a<p>b</div>`,
		"<pre>\n\x00x</pre><textarea>\ny</textarea><script>a<b</script>",
		"<p>a<b>b</p>c<table><td>x</table>",
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("testdata/tricky.html"); err == nil {
		f.Add(b)
	}
	stream, dom := diffExtractors(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkTree(t, string(body))
		for i := range stream {
			checkSame(t, stream[i], dom[i], body)
		}
	})
}

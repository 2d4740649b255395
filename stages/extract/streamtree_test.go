package extract

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// treeCopy is a treeSink that rebuilds the whole tree the stream
// describes, with every attribute, to compare it with html.Parse's.
type treeCopy struct {
	doc   *html.Node
	stack []*html.Node
	bad   string
}

func (c *treeCopy) keepAttr(atom.Atom, []byte) bool { return true }

func (c *treeCopy) open(n *html.Node, depth int) {
	e := &html.Node{Type: html.ElementNode, DataAtom: n.DataAtom, Data: n.Data, Attr: slices.Clone(n.Attr)}
	parent := c.doc
	if depth > 0 {
		parent = c.stack[depth-1]
	}
	if depth != len(c.stack) {
		c.bad = fmt.Sprintf("open %s at depth %d with %d open", n.Data, depth, len(c.stack))
	}
	parent.AppendChild(e)
	c.stack = append(c.stack[:min(depth, len(c.stack))], e)
}

func (c *treeCopy) close(depth int) {
	if depth != len(c.stack)-1 {
		c.bad = fmt.Sprintf("close depth %d with %d open", depth, len(c.stack))
	}
	c.stack = c.stack[:min(depth, len(c.stack))]
}

func (c *treeCopy) text(d []byte, newNode, _ bool) {
	top := c.stack[len(c.stack)-1]
	if !newNode {
		if top.LastChild == nil || top.LastChild.Type != html.TextNode {
			c.bad = "text continues a node that is not text"
			return
		}
		top.LastChild.Data += string(d)
		return
	}
	top.AppendChild(&html.Node{Type: html.TextNode, Data: string(d)})
}

// streamTree returns the stream's tree of body, or ok false when the page
// leaves the model.
func streamTree(t testing.TB, body string) (string, bool) {
	c := &treeCopy{doc: &html.Node{Type: html.DocumentNode}}
	b := treeStream{sink: c}
	if !b.run([]byte(body)) {
		return "", false
	}
	if c.bad != "" {
		t.Fatalf("%q: inconsistent events: %s", body, c.bad)
	}
	return dumpTree(c.doc), true
}

// parseTree returns html.Parse's tree of body without comments and
// doctypes, which the stream does not report; ok is false when the parse
// fails.
func parseTree(body string) (string, bool) {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return "", false
	}
	return dumpTree(doc), true
}

// dumpTree writes the element tree, attributes in order and text nodes
// one by one, skipping comments and doctypes.
func dumpTree(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.ElementNode:
				fmt.Fprintf(&b, "%*s<%s", 2*depth, "", c.Data)
				if c.Namespace != "" {
					fmt.Fprintf(&b, " ns=%s", c.Namespace)
				}
				for _, a := range c.Attr {
					fmt.Fprintf(&b, " %s:%s=%q", a.Namespace, a.Key, a.Val)
				}
				b.WriteString(">\n")
				walk(c, depth+1)
			case html.TextNode:
				fmt.Fprintf(&b, "%*s%q\n", 2*depth, "", c.Data)
			}
		}
	}
	walk(n, 0)
	return b.String()
}

// checkTree fails t when the stream accepts body but builds another tree
// than html.Parse, and returns whether it accepted.
func checkTree(t testing.TB, body string) bool {
	t.Helper()
	got, ok := streamTree(t, body)
	if !ok {
		return false
	}
	want, parsed := parseTree(body)
	if !parsed {
		t.Fatalf("%q: streamed, but html.Parse fails", body)
	}
	if got != want {
		t.Fatalf("%q: streamed tree differs\n--- stream\n%s--- html.Parse\n%s", body, got, want)
	}
	return true
}

func TestTreeStreamMatchesParse(t *testing.T) {
	for _, tc := range []struct {
		body   string
		stream bool // the page is inside the model
	}{
		{"", true},
		{"  \n", true},
		{"hello", true},
		{"<!DOCTYPE html><title>t</title><p>x", true},
		{"<html lang=en><head><meta charset=utf-8><title> a &amp; b </title><base href=/x/></head><body class=c><p>1<p>2</body></html>", true},
		{"<ul><li>a<li>b<ul><li>c</ul><li>d</ul>", true},
		{"<dl><dt>a<dd>b<dt>c<dd>d</dl>", true},
		{"<p>a<div>b</div>c</p>", true},
		{"<p><span>a<div>b", true},
		{"</p>x", true},
		{"<h1>a<h2>b</h1>c", true},
		{"<pre>\nx\n</pre><textarea>\n\ny</textarea>", true},
		{"<pre><!--c-->\nx</pre>", true},
		{"<b>bold</b><i>it<em>x</em></i><a href=x>l</a>", true},
		{"<a href=x><div>block</div></a>", true},
		{"<div><span>a</div>b", true},
		{"<span>a</div>b</span>", true},
		{"<script>if (a<b) document.write('<p>')</script><style>p{}</style>", true},
		{"<head><script>x</script><noscript><p>n</noscript></head><body>y", true},
		{"a\x00b<pre>\x00\nc</pre>", true},
		{"<br></br><img src=a><input><hr><wbr>", true},
		{"<image src=x>", true},
		{"<form><input name=q></form><form>ignored</form>", true},
		{"<div><form>a</div>b</form>c<form>d", true},
		{"<custom-el data-x=1><x-y>t</x-y></custom-el>", true},
		{"<body>a</body> <!--c--> b</html>c", true},
		{"<p>a</b>c", true},
		{"<a href=1>x</a><a href=2>y</a>", true},
		{"<b><b><b>x</b></b></b>", true},
		{"<title>a</title>text<title>b</title>", true},
		{"<!--c--><head></head>\n<!--d-->\n<body></body>", true},
		{"<html><body><html><body>x", true},
		{"<iframe><p>raw</iframe><xmp><b></xmp>", true},
		{"<caption>x<td>y<tr>z", true},
		{"<button>a</button><button>b<div>c</button>", true},
		{"<div/><span/>x", true},
		{"<a href='a' href='b' class=z class=y>x</a>", true},
		{"<p>a<b>b</p>c", false},
		{"<b>a<p>b</b>c", false},
		{"<a>1<a>2", false},
		{"<table><tr><td>x</table>", false},
		{"<svg><title>x</title></svg>", false},
		{"<template><p>x</template>", false},
		{"<select name=s><option value=1>a<option selected>b<optgroup label=g><option>c</select>d", true},
		{"<select><p>x<select>y<option>z", true},
		{"<select><option>a<input name=q>b<hr>c", true},
		{"<option>a<option>b<optgroup>c<option>d", true},
		{"<ruby>漢<rb>a<rt>b<rtc>c<rp>(<rt>d</ruby>", true},
		{"<rt>x<rp>y", true},
		{"<select><b>x<select>y", false},
		{"<body class=a><body class=b>", false},
		{"</head><link rel=x>", false},
		{"<li><b>x<li>y", false},
		{"<b><b><b><b>x", false},
		{strings.Repeat("<div>", 600), false},
	} {
		if got := checkTree(t, tc.body); got != tc.stream {
			t.Errorf("%q: streamed %v, want %v", tc.body, got, tc.stream)
		}
	}
	for name, stream := range map[string]bool{"shop.html": true, "tricky.html": false} {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if got := checkTree(t, string(body)); got != stream {
			t.Errorf("%s: streamed %v, want %v", name, got, stream)
		}
	}
}

func TestNeedsDocument(t *testing.T) {
	for _, tc := range []struct {
		body string
		want bool
	}{
		{"<p>x</p>", false},
		{"<TABLE><tr>", true},
		{"<p><svg/>", true},
		{"<tables>x", false},
		{"<template>", true},
		{"<math\n>", true},
		{"<!-- <svg> -->", true}, // a false hit: allowed, it only costs speed
		{"x <svg", false},
		{"", false},
	} {
		if got := needsDocument([]byte(tc.body)); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.body, got, tc.want)
		}
	}
}

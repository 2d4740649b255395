package extract

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/stages/fetch"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// recorder is an ElementVisitor that writes down each element: its tag,
// its parent's tag and the attributes it keeps.
type recorder struct {
	keep []string
	seen []string
}

func (r *recorder) KeepAttr(_ atom.Atom, key []byte) bool {
	for _, k := range r.keep {
		if k == string(key) {
			return true
		}
	}
	return false
}

func (r *recorder) Element(n *html.Node) {
	r.seen = append(r.seen, describe(n, r.keep))
}

// describe is an element as the recorder writes it down: tag, parent's
// tag, and the attributes named by keep, in source order.
func describe(n *html.Node, keep []string) string {
	var b strings.Builder
	b.WriteString(n.Data)
	if n.Parent != nil && n.Parent.Type == html.ElementNode {
		fmt.Fprintf(&b, "<%s", n.Parent.Data)
	}
	for _, a := range n.Attr {
		for _, k := range keep {
			if a.Key == k && a.Namespace == "" {
				fmt.Fprintf(&b, " %s=%q", a.Key, a.Val)
			}
		}
	}
	return b.String()
}

// domElements describes the parsed document's elements in document order.
func domElements(body []byte, keep []string) []string {
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		panic(err)
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			out = append(out, describe(n, keep))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// TestRecordsVisiting: on random pages, RecordsVisiting either declines
// or gives Records' records while showing the visitor exactly the parsed
// document's elements, parents and wanted attributes.
func TestRecordsVisiting(t *testing.T) {
	stream, dom := diffExtractors(t)
	keep := []string{"href", "rel", "name", "content", "class"}
	rng := rand.New(rand.NewPCG(3, 4))
	n, visited := 3000, 0
	if testing.Short() {
		n = 400
	}
	for range n {
		body := genPage(rng)
		resp := diffResponse(body)
		for i := range stream {
			v := &recorder{keep: keep}
			recs, ok, err := stream[i].RecordsVisiting(resp, v)
			if !ok {
				if recs != nil || err != nil {
					t.Fatalf("declined with records or an error: %v %v", recs, err)
				}
				continue
			}
			visited++
			wrecs, werr := dom[i].Records(resp)
			if fmt.Sprint(err) != fmt.Sprint(werr) || !reflect.DeepEqual(recs, wrecs) {
				t.Fatalf("page %q:\nvisiting: %v %+v\ndom:      %v %+v", body, err, recs, werr, wrecs)
			}
			if want := domElements(body, keep); !reflect.DeepEqual(v.seen, want) {
				t.Fatalf("page %q: elements\n got %q\nwant %q", body, v.seen, want)
			}
		}
	}
	if visited < n/2 {
		t.Errorf("only %d of %d page-spec pairs were read in one pass", visited, n*len(stream))
	}
}

// TestRecordsVisitingDeclines: a spec outside the streaming subset, a
// page the model does not cover, and a response that is not HTML are
// declined.
func TestRecordsVisitingDeclines(t *testing.T) {
	s, err := NewHTML(HTMLSpec{Fields: []Field{{Name: "t", Selector: "h1"}}})
	if err != nil {
		t.Fatal(err)
	}
	forced, err := NewHTML(HTMLSpec{Fields: []Field{{Name: "t", Selector: "h1"}}}, ForceDOM())
	if err != nil {
		t.Fatal(err)
	}
	table := diffResponse([]byte("<h1>x</h1><table><td>y</table>"))
	notHTML := diffResponse([]byte(`{"a": 1}`))
	notHTML.ContentType = "application/json"
	for name, c := range map[string]struct {
		h    *HTML
		resp *fetch.Response
	}{"DOM spec": {forced, diffResponse([]byte("<h1>x</h1>"))}, "table": {s, table}, "JSON": {s, notHTML}} {
		recs, ok, err := c.h.RecordsVisiting(c.resp, &recorder{})
		if ok || recs != nil || err != nil {
			t.Errorf("%s: ok %v, %v, %v", name, ok, recs, err)
		}
	}
	if _, ok, err := s.RecordsVisiting(diffResponse([]byte("<h1>x</h1>")), &recorder{}); !ok || err != nil {
		t.Errorf("a plain page: ok %v, %v", ok, err)
	}
}

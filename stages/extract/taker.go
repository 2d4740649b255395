package extract

import (
	"net/url"
	"regexp"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// taker is the compiled "where and what" of a field, shared by specs and
// struct tags: a selector, what to take from its matches, and a regex.
type taker struct {
	field   string // field name, for errors
	selText string
	sel     cascadia.Matcher // nil: the context element itself
	take    Take
	attr    string
	isURL   bool
	re      *regexp.Regexp
	group   int // capture group of re to use
}

// newTaker compiles the parts of a field that say where its value is.
func newTaker(field, sel string, take Take, attrName, regex string) (taker, error) {
	t := taker{field: field, selText: sel, take: take, attr: attrName}
	if t.take == "" {
		t.take = TakeText
		if attrName != "" {
			t.take = TakeAttr
		}
	}
	switch t.take {
	case TakeText, TakeHTML, TakeOuterHTML, TakeExists, TakeCount:
		if attrName != "" {
			return t, &SpecError{Field: field, Msg: "attr " + attrName + " given with take " + string(t.take)}
		}
	case TakeAttr:
		if attrName == "" {
			return t, &SpecError{Field: field, Msg: "take attr needs an attr name"}
		}
		t.isURL = isURLAttr(attrName)
	default:
		return t, &SpecError{Field: field, Msg: "unknown take " + string(t.take) + " (want text, attr, html, outer_html, exists or count)"}
	}
	m, err := compileSelector(field, sel)
	if err != nil {
		return t, err
	}
	t.sel = m
	if regex != "" {
		if t.take == TakeExists || t.take == TakeCount {
			return t, &SpecError{Field: field, Msg: "regex has no effect with take " + string(t.take)}
		}
		if t.re, err = regexp.Compile(regex); err != nil {
			return t, &SpecError{Field: field, Msg: "invalid regex", Err: err}
		}
		if t.re.NumSubexp() > 0 {
			t.group = 1
		}
	}
	return t, nil
}

// page is what a taker needs of the page besides the node.
type page struct {
	doc   *html.Node
	final *url.URL
	base  *url.URL
	based bool // base computed
}

func (p *page) resolve(ref string) string {
	if !p.based {
		p.base, p.based = baseURL(p.doc, p.final), true
	}
	return resolve(p.base, ref)
}

// value returns what t takes from the element n, and false when it is
// missing (no attribute, no regex match, or empty).
func (t *taker) value(p *page, n *html.Node) (string, bool) {
	var s string
	switch t.take {
	case TakeAttr:
		v, ok := attr(n, t.attr)
		if !ok {
			return "", false
		}
		if t.isURL {
			s = p.resolve(v)
		} else {
			s = normalizeSpace(v)
		}
	case TakeHTML:
		s = innerHTML(n)
	case TakeOuterHTML:
		s = outerHTML(n)
	default:
		s = nodeText(n)
	}
	return t.finish(s)
}

// finish applies the regex, if any, to the taken string s and reports
// whether the value is present (not blank).
func (t *taker) finish(s string) (string, bool) {
	if t.re != nil {
		m := t.re.FindStringSubmatchIndex(s)
		if m == nil || m[2*t.group] < 0 {
			return "", false
		}
		s = trimSpace(s[m[2*t.group]:m[2*t.group+1]])
	}
	return s, !isBlank(s)
}

// first returns the value of the first match under root.
func (t *taker) first(p *page, root *html.Node) (string, bool) {
	n := queryFirst(root, t.sel)
	if n == nil {
		return "", false
	}
	return t.value(p, n)
}

// each calls fn with the value of every match under root that has one.
func (t *taker) each(p *page, root *html.Node, fn func(string) bool) {
	queryEach(root, t.sel, func(n *html.Node) bool {
		if s, ok := t.value(p, n); ok {
			return fn(s)
		}
		return true
	})
}

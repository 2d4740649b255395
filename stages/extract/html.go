package extract

import (
	"bytes"
	"context"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/fetch"
	"golang.org/x/net/html"
)

// HTML extracts records from HTML pages according to an [HTMLSpec]. Build
// it with [NewHTML]; it is safe for concurrent use.
type HTML struct {
	items  cascadia.Matcher // nil: one record per page
	fields []htmlField
	stream *streamPlan // nil: every page is parsed into a document
}

// HTMLOption configures an [HTML].
type HTMLOption func(*htmlConfig)

type htmlConfig struct{ dom bool }

// ForceDOM makes the extractor parse every page into a full document, as
// for specs the streaming path cannot answer (see the package doc). The
// records are the same either way; it exists for debugging and comparison.
func ForceDOM() HTMLOption {
	return func(c *htmlConfig) { c.dom = true }
}

// htmlField is a compiled [Field].
type htmlField struct {
	taker
	name     string // name in the record (taker.field is the full path)
	typ      Type
	all      bool
	required bool
	def      any         // default or zero value of the type
	sub      []htmlField // nested fields
	fn       func(*goquery.Selection) (any, error)
}

// NewHTML compiles spec. Every selector, regex, type and default is checked
// here; an invalid selector is a [*SelectorError], anything else wrong a
// [*SpecError]. When every selector and take of the spec is in the
// streaming subset, pages are extracted from the token stream without
// building a document (see the package doc), unless [ForceDOM] is given.
func NewHTML(spec HTMLSpec, opts ...HTMLOption) (*HTML, error) {
	var c htmlConfig
	for _, o := range opts {
		o(&c)
	}
	items, err := compileSelector("items", spec.Items)
	if err != nil {
		return nil, err
	}
	fields, err := compileFields("", spec.Fields)
	if err != nil {
		return nil, err
	}
	h := &HTML{items: items, fields: fields}
	if !c.dom {
		h.stream = newStreamPlan(spec.Items, fields)
	}
	return h, nil
}

// Streams reports whether the extractor uses the streaming path: it then
// parses a full document only for pages outside the streaming model.
func (h *HTML) Streams() bool { return h.stream != nil }

// compileFields compiles a list of fields; prefix names the parent of
// nested fields in errors ("products.").
func compileFields(prefix string, fs []Field) ([]htmlField, error) {
	out := make([]htmlField, 0, len(fs))
	seen := make(map[string]bool, len(fs))
	for _, f := range fs {
		if f.Name == "" || seen[f.Name] {
			return nil, &SpecError{Field: prefix + f.Name, Msg: "field names must be non-empty and unique"}
		}
		seen[f.Name] = true
		cf, err := compileField(prefix, f)
		if err != nil {
			return nil, err
		}
		cf.name = f.Name
		out = append(out, cf)
	}
	return out, nil
}

func compileField(prefix string, f Field) (htmlField, error) {
	if len(f.Fields) > 0 {
		return compileNested(prefix, f)
	}
	if f.Func != nil {
		return compileFunc(prefix, f)
	}
	t, err := newTaker(prefix+f.Name, f.Selector, f.Take, f.Attr, f.Regex)
	if err != nil {
		return htmlField{}, err
	}
	typ, err := checkType(f.Name, f.Type)
	if err != nil {
		return htmlField{}, err
	}
	cf := htmlField{taker: t, typ: typ, all: f.All, required: f.Required}
	switch {
	case t.take == TakeExists || t.take == TakeCount:
		if f.All || f.Type != "" || f.Default != "" {
			return cf, &SpecError{Field: f.Name, Msg: "take " + string(t.take) + " has its own type; all, type and default do not apply"}
		}
	case f.Default != "":
		v, err := convert(f.Default, typ)
		if err != nil {
			return cf, &SpecError{Field: f.Name, Msg: "default does not convert to " + string(typ), Err: err}
		}
		if f.All {
			v = defaultList(v)
		}
		cf.def = v
	default:
		cf.def = zero(typ, f.All)
	}
	return cf, nil
}

// compileNested compiles a field with sub-fields.
func compileNested(prefix string, f Field) (htmlField, error) {
	path := prefix + f.Name
	if f.Take != "" || f.Attr != "" || f.Regex != "" || f.Type != "" || f.Default != "" {
		return htmlField{}, &SpecError{Field: path, Msg: "a field with sub-fields takes no take, attr, regex, type or default"}
	}
	t, err := newTaker(path, f.Selector, "", "", "")
	if err != nil {
		return htmlField{}, err
	}
	sub, err := compileFields(path+".", f.Fields)
	if err != nil {
		return htmlField{}, err
	}
	cf := htmlField{taker: t, all: f.All, required: f.Required, sub: sub}
	if f.All {
		cf.def = []any(nil)
	} else {
		cf.def = map[string]any(nil)
	}
	return cf, nil
}

// compileFunc compiles a field computed by a Go func.
func compileFunc(prefix string, f Field) (htmlField, error) {
	path := prefix + f.Name
	if f.Take != "" || f.Attr != "" || f.Regex != "" || f.Type != "" || f.Default != "" {
		return htmlField{}, &SpecError{Field: path, Msg: "a field with a func takes no take, attr, regex, type or default"}
	}
	t, err := newTaker(path, f.Selector, "", "", "")
	if err != nil {
		return htmlField{}, err
	}
	cf := htmlField{taker: t, all: f.All, required: f.Required, fn: f.Func}
	if f.All {
		cf.def = []any(nil)
	}
	return cf, nil
}

// defaultList wraps a default value in the list type of an All field.
func defaultList(v any) any {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	return []any{v}
}

// Extract is the stage function for pipeline.FlatMap: it emits the
// records of one page, all or none (see [HTML.Records]).
func (h *HTML) Extract(ctx context.Context, resp *fetch.Response, emit func(record.Record) error) error {
	recs, err := h.Records(resp)
	if err != nil {
		return err
	}
	return emitAll(ctx, recs, emit)
}

// Records returns every record of one page, in document order. Each record
// has Key resp.Request.KeyOrURL() and URL the final URL. A page that cannot
// produce all its records returns no records and a pipeline.Skip error: a
// [*ContentTypeError], a [*MissingFieldError] or a [*ConvertError].
func (h *HTML) Records(resp *fetch.Response) ([]record.Record, error) {
	if out, ok := h.streamed(resp, false); ok {
		return out.recs, out.err
	}
	p, err := parsePage(resp)
	if err != nil {
		return nil, err
	}
	return h.records(&p, resp)
}

// RecordsAndLinks is [HTML.Records] and [Links] from one parse of the page,
// for crawls that extract and follow. On error there are no links either.
func (h *HTML) RecordsAndLinks(resp *fetch.Response) ([]record.Record, []string, error) {
	if out, ok := h.streamed(resp, true); ok {
		return out.recs, out.links, out.err
	}
	p, err := parsePage(resp)
	if err != nil {
		return nil, nil, err
	}
	recs, err := h.records(&p, resp)
	if err != nil {
		return nil, nil, err
	}
	return recs, p.links(), nil
}

// parsePage checks and parses an HTML response.
func parsePage(resp *fetch.Response) (page, error) {
	if err := checkHTML(resp); err != nil {
		return page{}, pipeline.Skip(err)
	}
	doc, err := html.Parse(bytes.NewReader(resp.Body))
	if err != nil {
		return page{}, pipeline.Skip(err) // not reached with an in-memory reader
	}
	return page{doc: doc, final: resp.URL}, nil
}

func (h *HTML) records(p *page, resp *fetch.Response) ([]record.Record, error) {
	key, pageURL := resp.Request.KeyOrURL(), finalURL(resp)
	if h.items == nil {
		r, err := h.record(p, p.doc, key, pageURL, 0)
		if err != nil {
			return nil, pipeline.Skip(err)
		}
		return []record.Record{r}, nil
	}
	return h.itemRecords(p, key, pageURL)
}

func (h *HTML) itemRecords(p *page, key, pageURL string) ([]record.Record, error) {
	var stack [64]*html.Node
	nodes := stack[:0]
	for n := nextNode(p.doc, p.doc); n != nil; n = nextNode(n, p.doc) {
		if n.Type == html.ElementNode && h.items.Match(n) {
			nodes = append(nodes, n)
		}
	}
	recs := make([]record.Record, len(nodes))
	for i, n := range nodes {
		r, err := h.record(p, n, key, pageURL, i)
		if err != nil {
			return nil, pipeline.Skip(err)
		}
		recs[i] = r
	}
	return recs, nil
}

package extract

import (
	"github.com/PuerkitoBio/goquery"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/fetch"
	"golang.org/x/net/html"
)

// record builds the record of one item rooted at root.
func (h *HTML) record(p *page, root *html.Node, key, pageURL string, item int) (record.Record, error) {
	r := record.Record{Key: key, URL: pageURL, Fields: make([]record.Field, len(h.fields))}
	for i := range h.fields {
		f := &h.fields[i]
		v, err := f.extract(p, root)
		if err != nil {
			return record.Record{}, locate(err, pageURL, item)
		}
		r.Fields[i] = record.Field{Name: f.name, Value: v}
	}
	return r, nil
}

// extract returns the field's value under root.
func (f *htmlField) extract(p *page, root *html.Node) (any, error) {
	switch {
	case f.take == TakeExists:
		found := queryFirst(root, f.sel) != nil
		if !found && f.required {
			return f.missing()
		}
		return found, nil
	case f.take == TakeCount:
		n := queryCount(root, f.sel)
		if n == 0 && f.required {
			return f.missing()
		}
		return int64(n), nil
	case f.sub != nil:
		return f.extractNested(p, root)
	case f.fn != nil:
		return f.extractFunc(root)
	case f.all:
		return f.extractAll(p, root)
	}
	s, ok := f.first(p, root)
	if !ok {
		return f.missing()
	}
	return f.convert(s)
}

func (f *htmlField) extractAll(p *page, root *html.Node) (any, error) {
	var strs []string
	var vals []any
	var err error
	f.each(p, root, func(s string) bool {
		if f.typ == TypeString {
			strs = append(strs, s)
			return true
		}
		var v any
		if v, err = f.convert(s); err != nil {
			return false
		}
		vals = append(vals, v)
		return true
	})
	switch {
	case err != nil:
		return nil, err
	case strs != nil:
		return strs, nil
	case vals != nil:
		return vals, nil
	}
	return f.missing()
}

// extractNested returns the map (or, with all, the list of maps) of the
// field's sub-fields for its matches under root.
func (f *htmlField) extractNested(p *page, root *html.Node) (any, error) {
	if !f.all {
		n := queryFirst(root, f.sel)
		if n == nil {
			return f.missing()
		}
		return f.subMap(p, n)
	}
	var list []any
	var err error
	queryEach(root, f.sel, func(n *html.Node) bool {
		var m map[string]any
		if m, err = f.subMap(p, n); err != nil {
			return false
		}
		list = append(list, m)
		return true
	})
	if err != nil {
		return nil, err
	}
	if list == nil {
		return f.missing()
	}
	return list, nil
}

func (f *htmlField) subMap(p *page, n *html.Node) (map[string]any, error) {
	m := make(map[string]any, len(f.sub))
	for i := range f.sub {
		v, err := f.sub[i].extract(p, n)
		if err != nil {
			return nil, err
		}
		m[f.sub[i].name] = v
	}
	return m, nil
}

// extractFunc calls the field's func on its match, or on each match.
func (f *htmlField) extractFunc(root *html.Node) (any, error) {
	call := func(n *html.Node) (any, error) {
		v, err := f.fn(goquery.NewDocumentFromNode(n).Selection)
		if err != nil {
			return nil, &FuncError{Field: f.field, Selector: f.selText, Err: err}
		}
		return v, nil
	}
	if !f.all {
		n := queryFirst(root, f.sel)
		if n == nil {
			return f.missing()
		}
		return call(n)
	}
	var list []any
	var err error
	queryEach(root, f.sel, func(n *html.Node) bool {
		var v any
		if v, err = call(n); err == nil {
			list = append(list, v)
		}
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	if list == nil {
		return f.missing()
	}
	return list, nil
}

func (f *htmlField) missing() (any, error) {
	if f.required {
		return nil, &MissingFieldError{Field: f.field}
	}
	return f.def, nil
}

func (f *htmlField) convert(s string) (any, error) {
	v, err := convert(s, f.typ)
	if err != nil {
		return nil, &ConvertError{Field: f.field, Selector: f.selText, Value: s, Type: string(f.typ), Err: err}
	}
	return v, nil
}

// finalURL is the response's final URL as a string, falling back to the
// requested URL.
func finalURL(resp *fetch.Response) string {
	if resp.URL != nil {
		return resp.URL.String()
	}
	return resp.Request.URL
}

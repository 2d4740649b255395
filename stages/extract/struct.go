package extract

import (
	"context"
	"reflect"

	"github.com/andybalholm/cascadia"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
	"golang.org/x/net/html"
)

// Struct extracts values of the user's struct type T from HTML pages,
// following T's field tags:
//
//	type Product struct {
//		Name  string    `css:"h2"`
//		URL   string    `css:"h2 a" attr:"href"`             // resolved against <base> and the final URL
//		Price float64   `css:".price" attr:"data-amount" required:"true"`
//		Tags  []string  `css:".tag"`                         // every match
//		Date  time.Time `css:"time" attr:"datetime" layout:"2006-01-02"`
//		Seller struct {
//			Name string `css:".name"`
//		} `css:".seller"`                                       // nested: fields matched inside .seller
//		Variants []Variant `css:".variant"`                    // one Variant per match
//	}
//
// Tags: css (selector; empty means the element itself), attr, take (text,
// html, outer_html, exists, count), regex, default, required, layout (for
// time.Time, RFC 3339 when absent). Fields without a css or attr tag are
// left alone. Supported types: string, bool, integers, floats, time.Time,
// slices of those, structs and slices of structs.
//
// Build it with [NewStruct]; it is safe for concurrent use.
type Struct[T any] struct {
	items cascadia.Matcher
	plan  *structPlan
}

// StructOption configures a [Struct].
type StructOption func(*structConfig)

type structConfig struct{ items string }

// Items makes every element matched by selector one value of T, with T's
// selectors matched inside it. Without it, each page is one value.
func Items(selector string) StructOption {
	return func(c *structConfig) { c.items = selector }
}

// NewStruct compiles T's tags. A bad selector is a [*SelectorError]; a bad
// tag or an unsupported field type a [*SpecError].
func NewStruct[T any](opts ...StructOption) (*Struct[T], error) {
	var c structConfig
	for _, o := range opts {
		o(&c)
	}
	items, err := compileSelector("items", c.items)
	if err != nil {
		return nil, err
	}
	plan, err := newStructPlan(reflect.TypeFor[T](), "")
	if err != nil {
		return nil, err
	}
	return &Struct[T]{items: items, plan: plan}, nil
}

// Extract is the stage function for pipeline.FlatMap: it emits the values
// of one page, all or none (see [Struct.Values]).
func (s *Struct[T]) Extract(ctx context.Context, resp *fetch.Response, emit func(T) error) error {
	vals, err := s.Values(resp)
	if err != nil {
		return err
	}
	return emitAll(ctx, vals, emit)
}

// Values returns the values of one page, in document order. A page that
// cannot produce all of them returns none and a pipeline.Skip error: a
// [*ContentTypeError], [*MissingFieldError] or [*ConvertError].
func (s *Struct[T]) Values(resp *fetch.Response) ([]T, error) {
	p, err := parsePage(resp)
	if err != nil {
		return nil, err
	}
	var roots []*html.Node
	if s.items == nil {
		roots = []*html.Node{p.doc}
	} else {
		queryEach(p.doc, s.items, func(n *html.Node) bool { roots = append(roots, n); return true })
	}
	vals := make([]T, len(roots))
	for i, n := range roots {
		if err := s.plan.fill(&p, n, reflect.ValueOf(&vals[i]).Elem()); err != nil {
			return nil, pipeline.Skip(locate(err, finalURL(resp), i))
		}
	}
	return vals, nil
}

// locate fills in the page URL and item index of a run-time error.
func locate(err error, pageURL string, item int) error {
	switch e := err.(type) {
	case *MissingFieldError:
		e.URL, e.Item = pageURL, item
	case *ConvertError:
		e.URL = pageURL
	case *FuncError:
		e.URL = pageURL
	}
	return err
}

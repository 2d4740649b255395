package extract

import (
	"net/url"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
)

// streamPage is what the values of a streamed page need once the stream
// has ended: the URL that relative references resolve against, worked out
// (from the page's <base href>, if any) only when a value needs it.
type streamPage struct {
	final    *url.URL
	href     string // the first <base href>, when based
	based    bool
	base     *url.URL // valid once resolved
	resolved bool
}

// baseURL is the URL relative references of the page resolve against.
func (p *streamPage) baseURL() *url.URL {
	if !p.resolved {
		p.base, p.resolved = p.final, true
		if p.based {
			p.base = baseFromHref(p.href, p.final)
		}
	}
	return p.base
}

// records builds the page's records from the matches, in the order and
// with the errors of [HTML.records].
func (r *streamRun) records(final *url.URL, key, pageURL string) ([]record.Record, error) {
	p := streamPage{final: final, href: r.base, based: r.based}
	scopes := r.items
	if r.doc != nil {
		scopes = []*scope{r.doc}
	}
	recs := make([]record.Record, len(scopes))
	for i, s := range scopes {
		rec := record.Record{Key: key, URL: pageURL, Fields: make([]record.Field, len(s.fields))}
		for j := range s.fields {
			v, err := p.value(s, j)
			if err != nil {
				return nil, pipeline.Skip(locate(err, pageURL, i))
			}
			rec.Fields[j] = record.Field{Name: s.fields[j].name, Value: v}
		}
		recs[i] = rec
	}
	return recs, nil
}

// value is [htmlField.extract] over recorded matches.
func (p *streamPage) value(s *scope, i int) (any, error) {
	f, res := &s.fields[i], &s.res[i]
	switch {
	case f.take == TakeExists:
		if res.n == 0 && f.required {
			return f.missing()
		}
		return res.n > 0, nil
	case f.take == TakeCount:
		if res.n == 0 && f.required {
			return f.missing()
		}
		return int64(res.n), nil
	case f.sub != nil:
		return p.nested(f, res)
	case f.all:
		return p.all(f, res)
	}
	if len(res.ms) == 0 {
		return f.missing()
	}
	str, ok := p.take(f, &res.ms[0])
	if !ok {
		return f.missing()
	}
	return f.convert(str)
}

// all is [htmlField.extractAll] over recorded matches.
func (p *streamPage) all(f *htmlField, res *fieldMatches) (any, error) {
	var strs []string
	var vals []any
	for i := range res.ms {
		str, ok := p.take(f, &res.ms[i])
		if !ok {
			continue
		}
		if f.typ == TypeString {
			strs = append(strs, str)
			continue
		}
		v, err := f.convert(str)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	switch {
	case strs != nil:
		return strs, nil
	case vals != nil:
		return vals, nil
	}
	return f.missing()
}

// nested is [htmlField.extractNested] over recorded matches.
func (p *streamPage) nested(f *htmlField, res *fieldMatches) (any, error) {
	if !f.all {
		if len(res.ms) == 0 {
			return f.missing()
		}
		return p.subMap(res.ms[0].sub)
	}
	var list []any
	for i := range res.ms {
		m, err := p.subMap(res.ms[i].sub)
		if err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	if list == nil {
		return f.missing()
	}
	return list, nil
}

func (p *streamPage) subMap(s *scope) (map[string]any, error) {
	m := make(map[string]any, len(s.fields))
	for i := range s.fields {
		v, err := p.value(s, i)
		if err != nil {
			return nil, err
		}
		m[s.fields[i].name] = v
	}
	return m, nil
}

// take is [taker.value] over a recorded match.
func (p *streamPage) take(f *htmlField, m *match) (string, bool) {
	var s string
	switch {
	case m.cap != nil:
		s = m.cap.text()
	case !m.ok:
		return "", false
	case f.isURL:
		s = resolve(p.baseURL(), m.val)
	default:
		s = normalizeSpace(m.val)
	}
	return f.finish(s)
}

package extract

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/tidwall/gjson"
)

// JSONSpec declares what to extract from a JSON response, in Go or YAML:
//
//	items: data.products        # gjson path; "@this" for a top-level array
//	fields:
//	  - {name: id, path: id, type: int, required: true}
//	  - {name: name, path: title}
//	  - {name: price, path: price.amount, type: float}
//	  - {name: tags, path: "tags.#.name"}   # a []any
type JSONSpec struct {
	// Items is a gjson path (https://github.com/tidwall/gjson#path-syntax)
	// to the array whose elements become one record each; an object there
	// is one record. Empty means the whole document is one record. A path
	// that matches nothing is a per-page failure (the page is not the
	// expected shape); an empty array is zero records.
	Items string `yaml:"items"`
	// Fields are the record's fields, in order. Empty means every member of
	// each item object, in document order (a non-object item becomes one
	// field named "value").
	Fields []JSONField `yaml:"fields"`
}

// JSONField declares one field of a [JSONSpec].
type JSONField struct {
	// Name is the field's name in the record; required and unique.
	Name string `yaml:"name"`
	// Path is a gjson path inside the item; empty means Name.
	Path string `yaml:"path"`
	// Type converts the value: string (a JSON string's text, or the raw
	// JSON of anything else), int, float or bool (from the JSON type or a
	// string holding one). Empty keeps the JSON type: string, int64 for
	// integer literals, float64, bool, []any, map[string]any, nil.
	Type Type `yaml:"type"`
	// Default is used when the value is missing or null, converted to Type
	// at construction.
	Default string `yaml:"default"`
	// Required makes a missing or null value a per-page failure.
	Required bool `yaml:"required"`
}

// JSON extracts records from JSON responses according to a [JSONSpec].
// Build it with [NewJSON]; it is safe for concurrent use.
type JSON struct {
	items  string
	fields []jsonField
}

type jsonField struct {
	name, path string
	typ        Type // "" keeps the JSON type
	required   bool
	def        any
}

// NewJSON checks and compiles spec; errors are [*SpecError] values.
func NewJSON(spec JSONSpec) (*JSON, error) {
	j := &JSON{items: spec.Items, fields: make([]jsonField, 0, len(spec.Fields))}
	seen := make(map[string]bool, len(spec.Fields))
	for _, f := range spec.Fields {
		if f.Name == "" || seen[f.Name] {
			return nil, &SpecError{Field: f.Name, Msg: "field names must be non-empty and unique"}
		}
		seen[f.Name] = true
		jf := jsonField{name: f.Name, path: f.Path, typ: f.Type, required: f.Required}
		if jf.path == "" {
			jf.path = f.Name
		}
		if f.Type != "" {
			if _, err := checkType(f.Name, f.Type); err != nil {
				return nil, err
			}
			jf.def = zero(f.Type, false)
		}
		if f.Default != "" {
			v, err := convert(f.Default, defaultType(f.Type))
			if err != nil {
				return nil, &SpecError{Field: f.Name, Msg: "default does not convert to " + string(defaultType(f.Type)), Err: err}
			}
			jf.def = v
		}
		j.fields = append(j.fields, jf)
	}
	return j, nil
}

func defaultType(t Type) Type {
	if t == "" {
		return TypeString
	}
	return t
}

// Extract is the stage function for pipeline.FlatMap: it emits the
// records of one response, all or none (see [JSON.Records]).
func (j *JSON) Extract(ctx context.Context, resp *fetch.Response, emit func(record.Record) error) error {
	recs, err := j.Records(resp)
	if err != nil {
		return err
	}
	return emitAll(ctx, recs, emit)
}

// Records returns the records of one response. A response that cannot
// produce all of them returns none and a pipeline.Skip error: a
// [*JSONSyntaxError] with the byte offset, a [*ContentTypeError], a
// [*MissingFieldError] or a [*ConvertError].
func (j *JSON) Records(resp *fetch.Response) ([]record.Record, error) {
	items, err := jsonItems(resp, j.items)
	if err != nil {
		return nil, err
	}
	key, pageURL := resp.Request.KeyOrURL(), finalURL(resp)
	recs := make([]record.Record, len(items))
	for i, it := range items {
		r := record.Record{Key: key, URL: pageURL}
		if err := j.fill(&r, it); err != nil {
			return nil, pipeline.Skip(locate(err, pageURL, i))
		}
		recs[i] = r
	}
	return recs, nil
}

// jsonItems validates the body and returns the items at path.
func jsonItems(resp *fetch.Response, path string) ([]gjson.Result, error) {
	if err := checkJSON(resp); err != nil {
		return nil, pipeline.Skip(err)
	}
	if !gjson.ValidBytes(resp.Body) {
		return nil, pipeline.Skip(syntaxError(resp))
	}
	if path == "" {
		return []gjson.Result{gjson.ParseBytes(resp.Body)}, nil
	}
	res := gjson.GetBytes(resp.Body, path)
	switch {
	case !res.Exists():
		return nil, pipeline.Skip(&MissingFieldError{Field: "items", Path: path, URL: finalURL(resp)})
	case res.IsArray():
		return res.Array(), nil
	}
	return []gjson.Result{res}, nil
}

// syntaxError locates the error in a body gjson found invalid, using
// encoding/json, which reports offsets.
func syntaxError(resp *fetch.Response) error {
	var raw json.RawMessage
	err := json.Unmarshal(resp.Body, &raw)
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return &JSONSyntaxError{URL: finalURL(resp), Offset: se.Offset, Err: err}
	case err != nil:
		return &JSONSyntaxError{URL: finalURL(resp), Offset: -1, Err: err}
	}
	return &JSONSyntaxError{URL: finalURL(resp), Offset: -1, Err: errors.New("extract: invalid json")}
}

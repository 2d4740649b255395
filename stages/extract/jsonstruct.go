package extract

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/tidwall/gjson"
)

// JSONStruct decodes the items of JSON responses into the user's type T
// with encoding/json (so T's json tags apply). Build it with
// [NewJSONStruct]; it is safe for concurrent use.
type JSONStruct[T any] struct {
	items string
}

// NewJSONStruct returns a decoder of the items at the gjson path items
// (see [JSONSpec.Items]; empty means the whole document is one value). T
// must be a type encoding/json can decode into.
func NewJSONStruct[T any](items string) (*JSONStruct[T], error) {
	switch k := reflect.TypeFor[T]().Kind(); k {
	case reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		return nil, &SpecError{Field: "items", Msg: "cannot decode json into a " + k.String()}
	}
	return &JSONStruct[T]{items: items}, nil
}

// Extract is the stage function for pipeline.FlatMap: it emits the values
// of one response, all or none (see [JSONStruct.Values]).
func (s *JSONStruct[T]) Extract(ctx context.Context, resp *fetch.Response, emit func(T) error) error {
	vals, err := s.Values(resp)
	if err != nil {
		return err
	}
	return emitAll(ctx, vals, emit)
}

// Values decodes the items of one response. A response that cannot produce
// all of them returns none and a pipeline.Skip error: a [*JSONSyntaxError],
// [*ContentTypeError], [*MissingFieldError] or [*DecodeError].
//
// The items array is decoded in one json.Unmarshal call straight from the
// body; only when that fails are the items decoded one by one, to name the
// item that does not fit.
func (s *JSONStruct[T]) Values(resp *fetch.Response) ([]T, error) {
	raw, isArray, err := itemsRaw(resp, s.items)
	if err != nil {
		return nil, err
	}
	if !isArray {
		vals := make([]T, 1)
		if err := json.Unmarshal(raw, &vals[0]); err != nil {
			return nil, pipeline.Skip(&DecodeError{URL: finalURL(resp), Offset: decodeOffset(err, 0), Err: err})
		}
		return vals, nil
	}
	var vals []T
	if err := json.Unmarshal(raw, &vals); err != nil {
		return nil, s.locateDecodeError(resp, err)
	}
	if vals == nil {
		vals = []T{}
	}
	return vals, nil
}

// itemsRaw validates the body and returns the raw JSON at path (the whole
// body when path is empty), sliced from the body when gjson knows where it
// is, and whether it is an array of items.
func itemsRaw(resp *fetch.Response, path string) ([]byte, bool, error) {
	if err := checkJSON(resp); err != nil {
		return nil, false, pipeline.Skip(err)
	}
	if !gjson.ValidBytes(resp.Body) {
		return nil, false, pipeline.Skip(syntaxError(resp))
	}
	if path == "" {
		return resp.Body, false, nil
	}
	res := gjson.GetBytes(resp.Body, path)
	if !res.Exists() {
		return nil, false, pipeline.Skip(&MissingFieldError{Field: "items", Path: path, URL: finalURL(resp)})
	}
	raw := []byte(res.Raw)
	if i := res.Index; i > 0 && i+len(res.Raw) <= len(resp.Body) {
		raw = resp.Body[i : i+len(res.Raw)]
	}
	return raw, res.IsArray(), nil
}

// locateDecodeError decodes the items one by one to find the one that
// failed, with its offset in the body.
func (s *JSONStruct[T]) locateDecodeError(resp *fetch.Response, whole error) error {
	items, err := jsonItems(resp, s.items)
	if err != nil {
		return err
	}
	for i, it := range items {
		var v T
		if err := json.Unmarshal([]byte(it.Raw), &v); err != nil {
			return pipeline.Skip(&DecodeError{URL: finalURL(resp), Item: i, Offset: decodeOffset(err, it.Index), Err: err})
		}
	}
	return pipeline.Skip(&DecodeError{URL: finalURL(resp), Item: -1, Offset: -1, Err: whole})
}

// decodeOffset turns the offset of a decode error inside an item into an
// offset in the body, when both are known; -1 otherwise.
func decodeOffset(err error, itemIndex int) int64 {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && itemIndex >= 0 {
		return int64(itemIndex) + te.Offset
	}
	return -1
}

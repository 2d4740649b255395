package extract

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
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
	for _, v := range vals {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(v); err != nil {
			return err
		}
	}
	return nil
}

// Values decodes the items of one response. A response that cannot produce
// all of them returns none and a pipeline.Skip error: a [*JSONSyntaxError],
// [*ContentTypeError], [*MissingFieldError] or [*DecodeError].
func (s *JSONStruct[T]) Values(resp *fetch.Response) ([]T, error) {
	items, err := jsonItems(resp, s.items)
	if err != nil {
		return nil, err
	}
	vals := make([]T, len(items))
	for i, it := range items {
		if err := json.Unmarshal([]byte(it.Raw), &vals[i]); err != nil {
			return nil, pipeline.Skip(&DecodeError{URL: finalURL(resp), Item: i, Offset: decodeOffset(err, it.Index), Err: err})
		}
	}
	return vals, nil
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

package extract

import (
	"errors"
	"strconv"

	"github.com/sluicehq/sluice/record"
	"github.com/tidwall/gjson"
)

// fill sets the fields of r from the item.
func (j *JSON) fill(r *record.Record, item gjson.Result) error {
	if len(j.fields) == 0 {
		return allMembers(r, item)
	}
	r.Fields = make([]record.Field, len(j.fields))
	for i := range j.fields {
		f := &j.fields[i]
		v, err := f.value(item.Get(f.path))
		if err != nil {
			return err
		}
		r.Fields[i] = record.Field{Name: f.name, Value: v}
	}
	return nil
}

// allMembers makes every member of an object item a field.
func allMembers(r *record.Record, item gjson.Result) error {
	if !item.IsObject() {
		r.Fields = []record.Field{{Name: "value", Value: natural(item)}}
		return nil
	}
	item.ForEach(func(k, v gjson.Result) bool {
		r.Set(k.String(), natural(v))
		return true
	})
	return nil
}

func (f *jsonField) value(res gjson.Result) (any, error) {
	if !res.Exists() || res.Type == gjson.Null {
		if f.required {
			return nil, &MissingFieldError{Field: f.name}
		}
		return f.def, nil
	}
	v, err := f.typed(res)
	if err != nil {
		return nil, &ConvertError{Field: f.name, Selector: f.path, Value: res.Raw, Type: string(f.typ), Err: err}
	}
	return v, nil
}

var errNotScalar = errors.New("extract: not a scalar")

// typed converts a present, non-null value to the field's type.
func (f *jsonField) typed(res gjson.Result) (any, error) {
	switch f.typ {
	case "":
		return natural(res), nil
	case TypeString:
		if res.Type == gjson.String {
			return res.Str, nil
		}
		return res.Raw, nil
	}
	switch res.Type {
	case gjson.String:
		return convert(res.Str, f.typ)
	case gjson.Number, gjson.True, gjson.False:
		if f.typ == TypeBool && res.Type == gjson.Number {
			return nil, errNotScalar
		}
		return convert(res.Raw, f.typ)
	}
	return nil, errNotScalar
}

// natural converts a JSON value to its Go counterpart: string, int64 (for
// integer literals that fit), float64, bool, []any, map[string]any or nil.
func natural(res gjson.Result) any {
	switch res.Type {
	case gjson.String:
		return res.Str
	case gjson.Number:
		if n, err := strconv.ParseInt(res.Raw, 10, 64); err == nil {
			return n
		}
		return res.Num
	case gjson.True:
		return true
	case gjson.False:
		return false
	case gjson.JSON:
		return naturalComposite(res)
	}
	return nil
}

func naturalComposite(res gjson.Result) any {
	if res.IsArray() {
		arr := res.Array()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = natural(e)
		}
		return out
	}
	m := make(map[string]any)
	res.ForEach(func(k, v gjson.Result) bool {
		m[k.String()] = natural(v)
		return true
	})
	return m
}

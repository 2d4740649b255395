package extract

import (
	"reflect"
	"strconv"
	"time"
)

// fieldKind is how a struct field is filled.
type fieldKind int

const (
	kindScalar      fieldKind = iota // one value converted from the first match
	kindSlice                        // []scalar from every match
	kindStruct                       // a nested struct scoped to the first match
	kindStructSlice                  // []struct, one per match
	kindExists                       // bool: whether anything matches
	kindCount                        // int: how many match
)

// structPlan is the compiled form of a struct type's tags.
type structPlan struct {
	fields []structField
}

// structField is one tagged field of a struct.
type structField struct {
	taker
	index    int
	kind     fieldKind
	required bool
	set      setter        // converts a string into a scalar (or slice element)
	elem     reflect.Type  // element type of slices
	def      reflect.Value // default, valid when given
	sub      *structPlan   // nested struct plan
}

var timeType = reflect.TypeFor[time.Time]()

// newStructPlan compiles the tags of struct type t; prefix is the Go path
// of the parent field for error messages.
func newStructPlan(t reflect.Type, prefix string) (*structPlan, error) {
	if t.Kind() != reflect.Struct {
		return nil, &SpecError{Field: prefix, Msg: "type " + t.String() + " is not a struct"}
	}
	pl := &structPlan{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		css, hasCSS := sf.Tag.Lookup("css")
		attrName, hasAttr := sf.Tag.Lookup("attr")
		if !hasCSS && !hasAttr {
			continue
		}
		path := prefix + sf.Name
		if !sf.IsExported() {
			return nil, &SpecError{Field: path, Msg: "css tag on an unexported field"}
		}
		f, err := newStructField(sf, path, css, attrName)
		if err != nil {
			return nil, err
		}
		f.index = i
		pl.fields = append(pl.fields, f)
	}
	return pl, nil
}

func newStructField(sf reflect.StructField, path, css, attrName string) (structField, error) {
	tag := sf.Tag
	t, err := newTaker(path, css, Take(tag.Get("take")), attrName, tag.Get("regex"))
	if err != nil {
		return structField{}, err
	}
	f := structField{taker: t}
	if r, ok := tag.Lookup("required"); ok {
		if f.required, err = strconv.ParseBool(r); err != nil {
			return f, &SpecError{Field: path, Msg: "required tag is not a bool", Err: err}
		}
	}
	if err := f.classify(sf.Type, path, tag.Get("layout")); err != nil {
		return f, err
	}
	if d, ok := tag.Lookup("default"); ok {
		if f.kind != kindScalar {
			return f, &SpecError{Field: path, Msg: "default applies only to single values"}
		}
		f.def = reflect.New(sf.Type).Elem()
		if err := f.set(f.def, d); err != nil {
			return f, &SpecError{Field: path, Msg: "default does not convert to " + sf.Type.String(), Err: err}
		}
	}
	return f, nil
}

// classify sets the field's kind (and setter or sub-plan) from its type.
func (f *structField) classify(t reflect.Type, path, layout string) error {
	switch f.take {
	case TakeExists:
		if t.Kind() != reflect.Bool {
			return &SpecError{Field: path, Msg: "take exists needs a bool field"}
		}
		f.kind = kindExists
		return nil
	case TakeCount:
		if !isInt(t.Kind()) && !isUint(t.Kind()) {
			return &SpecError{Field: path, Msg: "take count needs an integer field"}
		}
		f.kind = kindCount
		return nil
	}
	var err error
	switch {
	case t.Kind() == reflect.Struct && t != timeType:
		f.kind = kindStruct
		err = f.nested(t, path)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct && t.Elem() != timeType:
		f.kind, f.elem, err = kindStructSlice, t.Elem(), f.nested(t.Elem(), path)
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		f.kind, f.elem = kindSlice, t.Elem()
		f.set, err = newSetter(t.Elem(), path, layout)
	default:
		f.kind = kindScalar
		f.set, err = newSetter(t, path, layout)
	}
	return err
}

// nested compiles the plan of a nested struct field, which is a scope: it
// takes nothing itself.
func (f *structField) nested(t reflect.Type, path string) error {
	if f.take != TakeText || f.re != nil {
		return &SpecError{Field: path, Msg: "a nested struct field takes no attr, take or regex"}
	}
	sub, err := newStructPlan(t, path+".")
	f.sub = sub
	return err
}

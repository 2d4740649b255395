package extract

import (
	"reflect"

	"golang.org/x/net/html"
)

// fill fills the struct v from the element root.
func (pl *structPlan) fill(p *page, root *html.Node, v reflect.Value) error {
	for i := range pl.fields {
		f := &pl.fields[i]
		if err := f.fill(p, root, v.Field(f.index)); err != nil {
			return err
		}
	}
	return nil
}

func (f *structField) fill(p *page, root *html.Node, dst reflect.Value) error {
	switch f.kind {
	case kindExists:
		found := queryFirst(root, f.sel) != nil
		if !found && f.required {
			return f.missing(dst)
		}
		dst.SetBool(found)
	case kindCount:
		n := queryCount(root, f.sel)
		if n == 0 && f.required {
			return f.missing(dst)
		}
		if isInt(dst.Kind()) {
			dst.SetInt(int64(n))
		} else {
			dst.SetUint(uint64(n))
		}
	case kindStruct:
		n := queryFirst(root, f.sel)
		if n == nil {
			return f.missing(dst)
		}
		return f.sub.fill(p, n, dst)
	case kindStructSlice:
		return f.fillStructs(p, root, dst)
	case kindSlice:
		return f.fillSlice(p, root, dst)
	default:
		s, ok := f.first(p, root)
		if !ok {
			return f.missing(dst)
		}
		if err := f.set(dst, s); err != nil {
			return f.convertError(s, dst.Type(), err)
		}
	}
	return nil
}

func (f *structField) fillStructs(p *page, root *html.Node, dst reflect.Value) error {
	var err error
	queryEach(root, f.sel, func(n *html.Node) bool {
		dst.Set(reflect.Append(dst, reflect.Zero(f.elem)))
		err = f.sub.fill(p, n, dst.Index(dst.Len()-1))
		return err == nil
	})
	if err == nil && dst.Len() == 0 {
		return f.missing(dst)
	}
	return err
}

func (f *structField) fillSlice(p *page, root *html.Node, dst reflect.Value) error {
	var err error
	f.each(p, root, func(s string) bool {
		e := reflect.New(f.elem).Elem()
		if err = f.set(e, s); err != nil {
			err = f.convertError(s, f.elem, err)
			return false
		}
		dst.Set(reflect.Append(dst, e))
		return true
	})
	if err == nil && dst.Len() == 0 {
		return f.missing(dst)
	}
	return err
}

func (f *structField) missing(dst reflect.Value) error {
	if f.required {
		return &MissingFieldError{Field: f.field}
	}
	if f.def.IsValid() {
		dst.Set(f.def)
	}
	return nil
}

func (f *structField) convertError(s string, t reflect.Type, err error) error {
	return &ConvertError{Field: f.field, Selector: f.selText, Value: s, Type: t.String(), Err: err}
}

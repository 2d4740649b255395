package sinks

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/sluicehq/sluice/record"
)

// row is the sink-neutral form of one item: named, normalized values and
// the item's key. Every sink writes rows; the generic sinks convert T to
// row once, so one conversion serves all the sinks of a Committer.
type row struct {
	key string
	// in is the key of the input (the Batch) the row came from, set by a
	// Committer, so a row a sink rejects fails its whole input.
	in   string
	cols []string // shared between rows of a struct type; do not modify
	vals []any
	// keyCol is the index of the key column in cols, or -1.
	keyCol int
}

// converter turns a T into a row. It is built once per sink (the reflect
// work for struct types is done then, not per item).
type converter[T any] struct {
	isRecord bool
	isPtr    bool // T is *record.Record or *S
	meta     *structMeta
	cols     []string // the last record's columns (see recordRow)
	// keyName names a record's key column; "" means "key".
	keyName string
}

// withKeyName names the key column of records name ("" keeps "key"); it
// does not apply to structs, whose key column is their key field's.
func (c *converter[T]) withKeyName(name string) {
	if c.isRecord {
		c.keyName = name
	}
}

func newConverter[T any]() (converter[T], error) {
	t := reflect.TypeFor[T]()
	var c converter[T]
	if t.Kind() == reflect.Pointer {
		c.isPtr = true
		t = t.Elem()
	}
	if t == reflect.TypeFor[record.Record]() {
		c.isRecord = true
		return c, nil
	}
	if t.Kind() != reflect.Struct {
		return c, fmt.Errorf("sinks: unsupported item type %s: want record.Record or a struct", reflect.TypeFor[T]())
	}
	m, err := newStructMeta(t)
	if err != nil {
		return c, err
	}
	c.meta = m
	return c, nil
}

// errNilItem is returned for a nil *T item.
var errNilItem = errors.New("sinks: nil item")

// convert fills r from v, normalizing every value.
func (c *converter[T]) convert(v *T, r *row) error {
	if c.isRecord {
		rec, err := c.record(v)
		if err != nil {
			return err
		}
		return recordRow(rec, r, &c.cols, c.keyName)
	}
	rv := reflect.ValueOf(v).Elem()
	if c.isPtr {
		if rv.IsNil() {
			return errNilItem
		}
		rv = rv.Elem()
	}
	return c.meta.row(rv, r)
}

func (c *converter[T]) record(v *T) (*record.Record, error) {
	if c.isPtr {
		p := any(*v).(*record.Record)
		if p == nil {
			return nil, errNilItem
		}
		return p, nil
	}
	return any(v).(*record.Record), nil
}

// keyColumn names the key column: "key" for records, the struct's key
// field's column, or "" when the struct has none.
func (c *converter[T]) keyColumn() string {
	switch {
	case c.isRecord && c.keyName != "":
		return c.keyName
	case c.isRecord:
		return "key"
	case c.meta.keyCol >= 0:
		return c.meta.cols[c.meta.keyCol]
	}
	return ""
}

// columns returns the static columns of a struct T, or nil for records.
func (c *converter[T]) columns() []string {
	if c.meta == nil {
		return nil
	}
	return c.meta.cols
}

// recordRow lays a Record out as columns key (named keyName when set),
// url, then its fields. A field named "key" or "url" (any case) sets that
// column instead of adding one. cache holds the previous record's column
// slice, reused when the names are the same, so rows of one record shape
// share a slice.
func recordRow(rec *record.Record, r *row, cache *[]string, keyName string) error {
	if keyName == "" {
		keyName = "key"
	}
	r.vals = make([]any, 2, 2+len(rec.Fields))
	r.vals[0], r.vals[1] = rec.Key, rec.URL
	r.keyCol = 0
	cols := *cache
	same := len(cols) >= 2 && cols[0] == keyName
	for _, f := range rec.Fields {
		if f.Name == "" {
			return &ValueError{Column: "", Err: errors.New("empty field name")}
		}
		v, err := normalize(f.Value)
		if err != nil {
			return &ValueError{Column: f.Name, Err: err}
		}
		switch {
		case strings.EqualFold(f.Name, "key"):
			r.vals[0] = v
		case strings.EqualFold(f.Name, "url"):
			r.vals[1] = v
		default:
			same = same && len(r.vals) < len(cols) && cols[len(r.vals)] == f.Name
			r.vals = append(r.vals, v)
		}
	}
	if !same || len(cols) != len(r.vals) {
		cols = make([]string, 2, len(r.vals))
		cols[0], cols[1] = keyName, "url"
		for _, f := range rec.Fields {
			if !strings.EqualFold(f.Name, "key") && !strings.EqualFold(f.Name, "url") {
				cols = append(cols, f.Name)
			}
		}
		*cache = cols
	}
	r.cols = cols
	r.key = keyString(r.vals[0])
	return nil
}

// keyString renders a key column value as the row key.
func keyString(v any) string {
	switch k := v.(type) {
	case nil:
		return ""
	case string:
		return k
	default:
		return fmt.Sprint(k)
	}
}

// setKey sets the row's key (and key column, when it has one).
func (r *row) setKey(key string) {
	r.key = key
	if r.keyCol >= 0 {
		r.vals[r.keyCol] = key
	}
}

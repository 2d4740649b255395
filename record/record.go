// Package record defines Record, the dynamic row that sluice's extractors
// produce and every sink can write: ordered, named, typed fields plus the
// URL the fields came from and the key of the input they belong to.
//
// Go users who prefer their own types can skip Record entirely: the
// extractors also decode into user structs, and the sinks accept structs.
package record

// Field is one named value of a Record.
type Field struct {
	Name  string
	Value any // string, int64, float64, bool, time.Time, []string, []any, map[string]any or nil
}

// Record is an ordered list of named fields plus its provenance.
// The zero value is an empty record ready to use.
type Record struct {
	// Key is the stable key of the input item the record came from (a URL or
	// a CSV column); sinks upsert by it and resume skips it.
	Key string
	// URL is the final URL of the page or API response the fields came from.
	URL string
	// Fields are the extracted values, in declaration order.
	Fields []Field
}

// Get returns the value of the named field and whether it is present.
func (r *Record) Get(name string) (any, bool) {
	for i := range r.Fields {
		if r.Fields[i].Name == name {
			return r.Fields[i].Value, true
		}
	}
	return nil, false
}

// Set sets the named field, replacing its value in place if it exists and
// appending it otherwise, so field order is first-set order.
func (r *Record) Set(name string, v any) {
	for i := range r.Fields {
		if r.Fields[i].Name == name {
			r.Fields[i].Value = v
			return
		}
	}
	r.Fields = append(r.Fields, Field{Name: name, Value: v})
}

// Names returns the field names in order.
func (r *Record) Names() []string {
	names := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		names[i] = f.Name
	}
	return names
}

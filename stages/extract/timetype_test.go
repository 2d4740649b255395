package extract_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sluicehq/sluice/stages/extract"
)

func TestFieldTypeTime(t *testing.T) {
	page := []byte(`<html><body>
<time datetime="2024-03-05T10:30:00+01:00">March 5</time>
<span class="d">05/03/2024</span><span class="day">2024-03-06</span>
<span class="ts">1700000000.5</span><span class="bad">soon</span></body></html>`)
	cet := time.FixedZone("", 3600)
	tests := []struct {
		name  string
		field extract.Field
		want  any
	}{
		{"rfc3339", extract.Field{Selector: "time", Attr: "datetime", Type: extract.TypeTime}, time.Date(2024, 3, 5, 10, 30, 0, 0, cet)},
		{"layout", extract.Field{Selector: ".d", Type: "time:02/01/2006"}, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)},
		{"named", extract.Field{Selector: ".day", Type: "time:date"}, time.Date(2024, 3, 6, 0, 0, 0, 0, time.UTC)},
		{"unix", extract.Field{Selector: ".ts", Type: "time:unix"}, time.Unix(1700000000, 5e8).UTC()},
		{"missing is nil", extract.Field{Selector: ".none", Type: extract.TypeTime}, nil},
		{"default", extract.Field{Selector: ".none", Type: "time:date", Default: "2000-01-01"}, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.field.Name = "t"
			for _, dom := range []bool{false, true} {
				var opts []extract.HTMLOption
				if dom {
					opts = append(opts, extract.ForceDOM())
				}
				h, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{tc.field}}, opts...)
				if err != nil {
					t.Fatal(err)
				}
				recs, err := h.Records(response(t, "http://x/", "text/html", page))
				if err != nil {
					t.Fatal(err)
				}
				got := recs[0].Fields[0].Value
				gt, ok1 := got.(time.Time)
				wt, ok2 := tc.want.(time.Time)
				if ok1 != ok2 || (ok1 && !gt.Equal(wt)) || (!ok1 && got != tc.want) {
					t.Errorf("dom=%v: value %#v, want %#v", dom, got, tc.want)
				}
			}
		})
	}
}

func TestFieldTypeTimeErrors(t *testing.T) {
	_, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{{Name: "t", Selector: "p", Type: "time:YYYY-MM-DD"}}})
	var se *extract.SpecError
	if !errors.As(err, &se) {
		t.Fatalf("layout without reference elements: err %v, want *SpecError", err)
	}
	h, err := extract.NewHTML(extract.HTMLSpec{Fields: []extract.Field{{Name: "t", Selector: ".bad", Type: extract.TypeTime}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Records(response(t, "http://x/", "text/html", []byte(`<p class="bad">soon</p>`)))
	var ce *extract.ConvertError
	if !errors.As(err, &ce) || ce.Type != "time" {
		t.Fatalf("unparsable time: err %v, want *ConvertError of type time", err)
	}
}

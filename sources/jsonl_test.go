package sources

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

type jsonRow struct {
	URL string `json:"url"`
	N   int    `json:"n"`
}

func TestJSONLSource(t *testing.T) {
	in := "{\"url\":\"https://a.example/\",\"n\":1}\r\n" +
		"\n" +
		"{\"url\":\"https://b.example/\",\"n\":\"two\"}\n" + // line 3: wrong type
		"{\"url\": \"https://c.example/\"\n" + // line 4: truncated
		"{\"url\":\"https://d.example/\",\"n\":4} trailing\n" + // line 5: trailing data
		"{\"url\":\"https://e.example/\",\"n\":5}"
	got, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[jsonRow] {
		return JSONL[jsonRow](p, "jsonl", strings.NewReader(in), JSONLConfig{})
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []jsonRow{{"https://a.example/", 1}, {"https://e.example/", 5}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v want %+v", got, want)
	}
	wantFails := []struct {
		line int
		msg  string
	}{
		{3, "sources: line 3: invalid json: json: cannot unmarshal string into Go struct field jsonRow.n of type int"},
		{4, "sources: line 4: invalid json: unexpected end of JSON input"},
		{5, "sources: line 5: invalid json: invalid character 't' after top-level value"},
	}
	if len(fails) != len(wantFails) {
		t.Fatalf("failures %v", fails)
	}
	for i, w := range wantFails {
		f := fails[i]
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		if failLine(f) != w.line || !errors.Is(f.Err, ErrBadJSON) || f.Err.Error() != w.msg || !(errors.As(f.Err, &se) || errors.As(f.Err, &te)) {
			t.Errorf("failure %d: %v; want line %d %q", i, f.Err, w.line, w.msg)
		}
	}
}

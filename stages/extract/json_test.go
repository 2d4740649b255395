package extract_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/testsite"
)

func mustJSON(t testing.TB, spec extract.JSONSpec) *extract.JSON {
	t.Helper()
	j, err := extract.NewJSON(spec)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestJSONOnTestSiteAPI(t *testing.T) {
	srv, fetcher := site(t, 45)
	j := mustJSON(t, extract.JSONSpec{Items: "items", Fields: []extract.JSONField{
		{Name: "id", Type: extract.TypeInt, Required: true},
		{Name: "name"},
		{Name: "price", Type: extract.TypeFloat},
		{Name: "path", Path: "url"},
		{Name: "stock", Type: extract.TypeInt, Default: "-1"},
	}})
	resp := mustGet(t, fetcher, srv.URL()+"/api/products?page=3")
	recs, err := j.Records(resp)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 { // ids 40..44
		t.Fatalf("%d records", len(recs))
	}
	for i, r := range recs {
		id := 40 + i
		want := []any{int64(id), nil, nil, testsite.PagePath(id), int64(-1)}
		for k, name := range []string{"id", "name", "price", "path", "stock"} {
			v, _ := r.Get(name)
			if want[k] != nil && v != want[k] {
				t.Errorf("record %d: %s = %#v, want %#v", i, name, v, want[k])
			}
		}
		if name, _ := r.Get("name"); name == "" || !strings.Contains(name.(string), "n°"+strconv.Itoa(id)) {
			t.Errorf("record %d: name %v", i, name)
		}
		if p, _ := r.Get("price"); p.(float64) < 1 {
			t.Errorf("record %d: price %v", i, p)
		}
	}

	type apiItem struct {
		ID    int    `json:"id"`
		Name  string `json:"name"`
		Price string `json:"price"`
		URL   string `json:"url"`
	}
	js, err := extract.NewJSONStruct[apiItem]("items")
	if err != nil {
		t.Fatal(err)
	}
	vals, err := js.Values(resp)
	if err != nil || len(vals) != 5 || vals[0].ID != 40 || vals[4].URL != "/products/44" {
		t.Fatalf("%v %+v", err, vals)
	}
}

const apiURL = "https://api.example.com/v1/things"

func TestJSONNaturalTypesAndAllMembers(t *testing.T) {
	body := `{"data":[{"a":"x","n":3,"f":2.5,"big":1e3,"b":true,"z":null,"arr":[1,"two",{"k":false}],"obj":{"q":1}},{"a":"é\u00e9"}]}`
	recs, err := mustJSON(t, extract.JSONSpec{Items: "data"}).Records(response(t, apiURL, "application/json", []byte(body)))
	if err != nil || len(recs) != 2 {
		t.Fatal(err, len(recs))
	}
	want := []string{"a", "n", "f", "big", "b", "z", "arr", "obj"}
	if !reflect.DeepEqual(recs[0].Names(), want) {
		t.Errorf("names %v", recs[0].Names())
	}
	for name, w := range map[string]any{"a": "x", "n": int64(3), "f": 2.5, "big": 1000.0, "b": true, "z": nil,
		"arr": []any{int64(1), "two", map[string]any{"k": false}}, "obj": map[string]any{"q": int64(1)}} {
		if v, _ := recs[0].Get(name); !reflect.DeepEqual(v, w) {
			t.Errorf("%s = %#v, want %#v", name, v, w)
		}
	}
	if v, _ := recs[1].Get("a"); v != "éé" {
		t.Errorf("unicode escape: %q", v)
	}
}

func TestJSONTypedConversions(t *testing.T) {
	body := `{"id":"42","price":"9.99","ok":"yes","n":7,"s":{"x":1},"missing_ok":null}`
	recs, err := mustJSON(t, extract.JSONSpec{Fields: []extract.JSONField{
		{Name: "id", Type: extract.TypeInt},
		{Name: "price", Type: extract.TypeFloat},
		{Name: "ok", Type: extract.TypeBool},
		{Name: "n", Type: extract.TypeString},
		{Name: "s", Type: extract.TypeString},
		{Name: "missing_ok", Type: extract.TypeBool, Default: "true"},
		{Name: "absent"},
	}}).Records(response(t, apiURL, "", []byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]any{"id": int64(42), "price": 9.99, "ok": true, "n": "7", "s": `{"x":1}`,
		"missing_ok": true, "absent": nil} {
		if v, _ := recs[0].Get(name); v != w {
			t.Errorf("%s = %#v, want %#v", name, v, w)
		}
	}
}

func TestJSONFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		spec   extract.JSONSpec
		ct     string
		body   string
		target any
		check  func(error) bool
	}{
		"malformed": {body: `{"a": [1, 2,, 3]}`, check: func(err error) bool {
			var se *extract.JSONSyntaxError
			return errors.As(err, &se) && se.Offset == 13 && se.URL == apiURL
		}},
		"truncated": {body: `{"a": [1, 2`, check: func(err error) bool {
			var se *extract.JSONSyntaxError
			return errors.As(err, &se) && se.Offset == 11
		}},
		"content type": {ct: "text/html", body: `{}`, check: func(err error) bool {
			var ce *extract.ContentTypeError
			return errors.As(err, &ce)
		}},
		"no items": {spec: extract.JSONSpec{Items: "data"}, body: `{"error":"rate limited"}`, check: func(err error) bool {
			var me *extract.MissingFieldError
			return errors.As(err, &me) && me.Field == "items" && me.Path == "data" &&
				strings.Contains(err.Error(), `extract: items path "data" found nothing in `)
		}},
		"required": {spec: extract.JSONSpec{Items: "@this", Fields: []extract.JSONField{{Name: "id", Required: true}}},
			body: `[{"id":1},{"id":null}]`, check: func(err error) bool {
				var me *extract.MissingFieldError
				return errors.As(err, &me) && me.Field == "id" && me.Item == 1
			}},
		"convert": {spec: extract.JSONSpec{Fields: []extract.JSONField{{Name: "n", Path: "a.b", Type: extract.TypeInt}}},
			body: `{"a":{"b":1.5}}`, check: func(err error) bool {
				var ce *extract.ConvertError
				return errors.As(err, &ce) && ce.Field == "n" && ce.Selector == "a.b" && ce.Value == "1.5"
			}},
	} {
		ct := tc.ct
		if ct == "" {
			ct = "application/json"
		}
		_, err := mustJSON(t, tc.spec).Records(response(t, apiURL, ct, []byte(tc.body)))
		if !pipeline.IsSkip(err) || !tc.check(err) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestJSONStructDecodeError(t *testing.T) {
	type thing struct {
		ID int `json:"id"`
	}
	js, err := extract.NewJSONStruct[thing]("items")
	if err != nil {
		t.Fatal(err)
	}
	body := `{"items":[{"id":1},{"id":"two"}]}`
	_, err = js.Values(response(t, apiURL, "application/json", []byte(body)))
	var de *extract.DecodeError
	if !pipeline.IsSkip(err) || !errors.As(err, &de) || de.Item != 1 || de.Offset < 20 || de.Offset > int64(len(body)) {
		t.Fatalf("err = %v", err)
	}
	if _, err := extract.NewJSONStruct[chan int](""); err == nil {
		t.Error("chan accepted")
	}
}

func TestJSONSpecErrors(t *testing.T) {
	for name, spec := range map[string]extract.JSONSpec{
		"dup":     {Fields: []extract.JSONField{{Name: "a"}, {Name: "a"}}},
		"type":    {Fields: []extract.JSONField{{Name: "a", Type: "date"}}},
		"default": {Fields: []extract.JSONField{{Name: "a", Type: extract.TypeFloat, Default: "cheap"}}},
	} {
		if _, err := extract.NewJSON(spec); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

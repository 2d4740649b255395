package extract_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/extract"
)

type trickyProduct struct {
	ID      string   `css:"" attr:"data-id"`
	Name    string   `css:"h2 a"`
	URL     string   `css:"h2 a" attr:"href"`
	Amount  float32  `css:".price" attr:"data-amount"`
	Euros   int      `css:".price" regex:"^(\\d+)," default:"-1"`
	Tags    []string `css:".tag"`
	SoldOut bool     `css:".sold-out" take:"exists"`
	NTags   uint8    `css:".tag" take:"count"`
	Ignored string
}

type trickyPage struct {
	Title    string          `css:"title"`
	Lead     string          `css:"p.lead" take:"html"`
	Products []trickyProduct `css:"li.product"`
	First    struct {
		Name string `css:"h2"`
	} `css:"li.product"`
	Cells []string `css:"td"`
}

func TestStructNestedAndSlices(t *testing.T) {
	s, err := extract.NewStruct[trickyPage]()
	if err != nil {
		t.Fatal(err)
	}
	vals, err := s.Values(response(t, trickyURL, "text/html", fixture(t, "tricky.html")))
	if err != nil || len(vals) != 1 {
		t.Fatal(err, len(vals))
	}
	p := vals[0]
	if p.Title != "Kaffee & Kuchen — Übersicht" || p.First.Name != "Espresso" ||
		!reflect.DeepEqual(p.Cells, []string{"cell one", "cell two"}) ||
		!strings.HasPrefix(p.Lead, "Heiße Getränke, <b>frisch</b>") {
		t.Errorf("page = %+v", p)
	}
	want := []trickyProduct{
		{ID: "p1", Name: "Espresso", URL: "https://shop.example.com/shop/v2/kaffee/espresso?x=1&y=2#top",
			Amount: 2.5, Euros: 2, Tags: []string{"heiß", "stark"}, NTags: 2},
		{ID: "p2", Name: "Latte Macchiato", URL: "https://shop.example.com/abs/path/latte",
			Amount: 3.9, Euros: 3, Tags: []string{"mild"}, NTags: 1},
		{ID: "p3", Name: "Grüner Tee 🍵", URL: "https://other.example.net/tee", Euros: -1, SoldOut: true},
	}
	if !reflect.DeepEqual(p.Products, want) {
		t.Errorf("products =\n%+v\nwant\n%+v", p.Products, want)
	}
}

func TestStructItemsOption(t *testing.T) {
	s, err := extract.NewStruct[trickyProduct](extract.Items("li.product"))
	if err != nil {
		t.Fatal(err)
	}
	vals, err := s.Values(response(t, trickyURL, "", fixture(t, "tricky.html")))
	if err != nil || len(vals) != 3 || vals[1].Name != "Latte Macchiato" {
		t.Fatalf("%v %+v", err, vals)
	}
}

func TestStructTimeAndConvertError(t *testing.T) {
	type post struct {
		At   time.Time `css:"time" attr:"datetime" layout:"2006-01-02"`
		Vote int       `css:".votes"`
	}
	s, err := extract.NewStruct[post]()
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`<time datetime="2024-02-29">leap day</time><span class=votes>12</span>`)
	vals, err := s.Values(response(t, "http://x.test/", "text/html", body))
	if err != nil || !vals[0].At.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) || vals[0].Vote != 12 {
		t.Fatalf("%v %+v", err, vals)
	}
	body = []byte(`<time datetime="2024-02-29">x</time><span class=votes>twelve</span>`)
	_, err = s.Values(response(t, "http://x.test/", "text/html", body))
	var ce *extract.ConvertError
	if !pipeline.IsSkip(err) || !errors.As(err, &ce) || ce.Field != "Vote" || ce.Selector != ".votes" || ce.Value != "twelve" {
		t.Fatalf("err = %v", err)
	}
}

func TestStructRequired(t *testing.T) {
	type item struct {
		Name  string `css:"h2"`
		Price string `css:".price" required:"true"`
	}
	s, err := extract.NewStruct[item](extract.Items("li.product"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Values(response(t, trickyURL, "text/html", fixture(t, "tricky.html")))
	var me *extract.MissingFieldError
	if !pipeline.IsSkip(err) || !errors.As(err, &me) || me.Field != "Price" || me.Item != 2 || me.URL != trickyURL {
		t.Fatalf("err = %v", err)
	}
}

func TestStructConstructionErrors(t *testing.T) {
	type badSel struct {
		A string `css:"div > > p"`
	}
	type badType struct {
		A map[string]string `css:"p"`
	}
	type badDefault struct {
		A int `css:"p" default:"many"`
	}
	type badExists struct {
		A string `css:"p" take:"exists"`
	}
	type badLayout struct {
		A string `css:"p" layout:"2006"`
	}
	type unexported struct {
		a string `css:"p"`
	}
	_ = unexported{}.a
	for name, f := range map[string]func() error{
		"selector":   func() error { _, err := extract.NewStruct[badSel](); return err },
		"type":       func() error { _, err := extract.NewStruct[badType](); return err },
		"default":    func() error { _, err := extract.NewStruct[badDefault](); return err },
		"exists":     func() error { _, err := extract.NewStruct[badExists](); return err },
		"layout":     func() error { _, err := extract.NewStruct[badLayout](); return err },
		"unexported": func() error { _, err := extract.NewStruct[unexported](); return err },
		"notstruct":  func() error { _, err := extract.NewStruct[string](); return err },
		"items":      func() error { _, err := extract.NewStruct[trickyProduct](extract.Items("li[")); return err },
	} {
		if err := f(); err == nil || !strings.HasPrefix(err.Error(), "extract: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

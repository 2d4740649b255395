package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/testsite"
)

// tryIn runs the sluice command in-process with stdin as its input.
func tryIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, streams{In: strings.NewReader(stdin), Out: &out, Err: &errb}, os.LookupEnv)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// trySite starts a healthy test site of n pages.
func trySite(t *testing.T, n int) *testsite.Server {
	t.Helper()
	srv, err := testsite.Start(testsite.Config{Pages: n})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestTryShowsFieldsCountsAndCharset(t *testing.T) {
	srv := trySite(t, 20)
	srv.SetFault(testsite.PagePath(3), testsite.FaultShiftJISMeta, 0)
	srv.SetFault(testsite.PagePath(4), testsite.FaultCP1252Header, 0)
	fields := []string{"--field", "title=h1.title", "--field", "sample=p.sample", "--field", "price=div.price@data-amount|float",
		"--field", "n=li.item|count", "--field", "names=li.item a|all", "--field", "nope=.prize"}
	r := tryIn(t, "", append([]string{"try", srv.PageURL(3)}, fields...)...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	p := srv.Page(3)
	mustContain(t, r.stdout, "url:      "+srv.PageURL(3), "status:   200 OK",
		"charset:  shift_jis (source meta:", "confidence 100",
		`"Catalogue page 3"`, `"`+testsite.SampleText(testsite.FaultShiftJISMeta)+`"`,
		"div.price@data-amount|float  1 match", strings.TrimSuffix(strings.TrimRight(p.Amount, "0"), "."),
		"li.item|count                20 matches  20", `["`,
		".prize matches nothing; did you mean", "  .price ", "records:  1")

	r = tryIn(t, "", append([]string{"try", srv.PageURL(4)}, fields...)...)
	mustContain(t, r.stdout, "charset:  windows-1252 (source header:", `"`+testsite.SampleText(testsite.FaultCP1252Header)+`"`,
		`["`+srv.Page(4).Items[0].Name)

	redirect := srv.URL() + "/redirect?to=" + url.QueryEscape(srv.PageURL(5)) + "&n=2"
	r = tryIn(t, "", "try", redirect, "--items", "li.item", "--field", "name=a", "--field", "id=@data-id|int")
	mustContain(t, r.stdout, "url:      "+srv.PageURL(5)+" (redirected from "+redirect+")",
		"items:    li.item  20 matches", "20 matches in 20 of 20 items", `item 1: "`+srv.Page(5).Items[0].Name+`"`, "records:  20")
}

// suggested returns the first selector --find printed under the line
// describing the first hit.
func suggested(t *testing.T, out string) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "find ") {
			sc.Scan() // the element
			if sc.Scan() {
				return strings.Fields(sc.Text())[0]
			}
		}
	}
	t.Fatalf("no suggestion in:\n%s", out)
	return ""
}

func TestTryFindSuggestsSelectorsThatMatch(t *testing.T) {
	srv := trySite(t, 20)
	p := srv.Page(7)
	for _, tc := range []struct {
		text  string
		extra []string
		want  string
	}{
		{p.Amount, nil, p.Amount},                                          // div.price's own text
		{p.Items[2].Name, nil, p.Items[2].Name},                            // an item's link
		{p.Items[0].Name, []string{"--items", "li.item"}, p.Items[0].Name}, // relative to the item
	} {
		r := tryIn(t, "", append([]string{"try", srv.PageURL(7), "--find", tc.text}, tc.extra...)...)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		sel := suggested(t, r.stdout)
		r = tryIn(t, "", append([]string{"try", srv.PageURL(7), "--field", "x=" + sel}, tc.extra...)...)
		if !strings.Contains(r.stdout, tc.want) {
			t.Errorf("--find %q suggested %q, whose value is not %q:\n%s", tc.text, sel, tc.want, r.stdout)
		}
	}
}

func TestTryInteractive(t *testing.T) {
	srv := trySite(t, 20)
	in := strings.Join([]string{
		"title=h1.title",
		"h1|count",
		":find " + srv.Page(2).Amount,
		":items li.item",
		"price=.item-prise@data-amount|float",
		"div[",
		":quit",
		"never=read",
	}, "\n")
	r := tryIn(t, in, "try", srv.PageURL(2), "--interactive")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	mustContain(t, r.stdout, "try> ", `"Catalogue page 2"`, "h1|count  1 match  1", `find "`+srv.Page(2).Amount+`": `, "    div.price ", "1 match",
		"items:    li.item  20 matches", ".item-prise matches nothing; did you mean", "  .item-price ",
		"error: field \"value\": invalid CSS selector at byte 4", "  div[\n      ^")
	if strings.Contains(r.stdout, "never") {
		t.Errorf("read past :quit:\n%s", r.stdout)
	}
	if srv.Requests(testsite.PagePath(2)) != 1 {
		t.Errorf("page fetched %d times, want once", srv.Requests(testsite.PagePath(2)))
	}
}

func TestTrySavedFile(t *testing.T) {
	srv := trySite(t, 20)
	resp, err := http.Get(srv.PageURL(6) + "?fault=" + string(testsite.FaultCP1252Meta))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "page.html")
	if err := os.WriteFile(page, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	r := tryIn(t, "", "try", page, "--field", "sample=p.sample", "--field", "next=a.next@href")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	mustContain(t, r.stdout, "file:     "+page, "charset:  windows-1252 (source meta:",
		`"`+testsite.SampleText(testsite.FaultCP1252Meta)+`"`, "a.next@href  1 match")

	png := filepath.Join(dir, "logo.png")
	os.WriteFile(png, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o644)
	r = tryIn(t, "", "try", png, "--field", "t=h1")
	if r.code != 1 || r.stderr != "sluice: try: "+png+" is image/png, not HTML\n" {
		t.Errorf("not HTML: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestTryUnreachableURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	start := time.Now()
	r := tryIn(t, "", "try", "http://"+addr+"/page", "--field", "t=h1")
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "connection refused") {
		t.Errorf("exit %d, stderr %q: want 1 and one line naming the cause", r.code, r.stderr)
	}
	t.Logf("took %v (retried as a run would)", time.Since(start))
}

func TestTryInvalidSelector(t *testing.T) {
	srv := trySite(t, 5)
	r := tryIn(t, "", "try", srv.PageURL(1), "--field", "title=h1", "--field", "price=div.price[data-amount")
	want := "sluice: field \"price\": invalid CSS selector at byte 21: unexpected EOF in attribute selector\n" +
		"  div.price[data-amount\n" +
		"                       ^\n"
	if r.code != exitUsage || r.stderr != want {
		t.Errorf("exit %d, stderr\n%s\nwant exit 2 and\n%s", r.code, r.stderr, want)
	}
	if srv.Requests(testsite.PagePath(1)) != 0 {
		t.Error("fetched the page before checking the selectors")
	}
}

func TestTryJSON(t *testing.T) {
	srv := trySite(t, 40)
	r := tryIn(t, "", "try", srv.URL()+"/api/products?page=1", "--json", "--items", "items",
		"--field", "id|int", "--field", "price=price|float", "--field", "name")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	mustContain(t, r.stdout, "items:    items  20 items", "price  price  found", "records:  20")
}

// jsonLines decodes a JSONL file with numbers kept as json.Number.
func jsonLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// TestFieldFlagSyntax checks the --field wording of the parser's errors;
// the syntax itself is tested in stages/extract (TestParseField).
func TestFieldFlagSyntax(t *testing.T) {
	if f, err := htmlField("price=div.price@data-amount|float"); err != nil || !reflect.DeepEqual(f, extract.Field{Name: "price", Selector: "div.price", Attr: "data-amount", Type: "float"}) {
		t.Errorf("htmlField = %+v, %v", f, err)
	}
	if f, err := jsonField("rev=items|@reverse|int"); err != nil || f != (extract.JSONField{Name: "rev", Path: "items|@reverse", Type: "int"}) {
		t.Errorf("jsonField = %+v, %v", f, err)
	}
	for _, tc := range []struct {
		parse func(string) error
		in    string
		want  string
	}{
		{func(s string) error { _, err := htmlField(s); return err }, "x=.a|requird", `invalid --field "x=.a|requird": unknown option "requird"; did you mean "required"?`},
		{func(s string) error { _, err := htmlField(s); return err }, "h1", `invalid --field "h1": want NAME=SELECTOR[@ATTR][|OPTION...]`},
		{func(s string) error { _, err := jsonField(s); return err }, "=a", `invalid --field "=a": want NAME[=PATH][|OPTION...]`},
	} {
		if err := tc.parse(tc.in); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestScrapeFieldOptions(t *testing.T) {
	const n = 6
	srv := trySite(t, n)
	dir := siteDir(t, srv, n)
	r := sluice(t, dir, "scrape", "urls.csv", "--key-column", "id", "-o", "out.jsonl", "--quiet",
		"--field", "title=h1.title|required",
		"--field", `page=h1.title|int|re:(\d+)$`,
		"--field", "amount=div.price@data-amount|float",
		"--field", "n=li.item|count",
		"--field", "has_next=a.next|exists",
		"--field", "names=li.item a|all",
		"--field", "ids=li.item@data-id|all|int",
		"--field", `seen=h1.title|time:unix|re:(\d+)$`,
		"--field", "nav=nav|html",
		"--field", "missing=.nope|default:none")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	recs := jsonLines(t, filepath.Join(dir, "out.jsonl"))
	if len(recs) != n {
		t.Fatalf("%d records, want %d", len(recs), n)
	}
	for _, rec := range recs {
		id, err := strconv.Atoi(rec["key"].(string))
		if err != nil {
			t.Fatalf("key %v", rec["key"])
		}
		p := srv.Page(id)
		var names, ids []string
		for _, it := range p.Items {
			names = append(names, it.Name)
			ids = append(ids, strconv.Itoa(it.ID))
		}
		want := map[string]string{
			"title": p.Title, "page": strconv.Itoa(id), "amount": strings.TrimRight(strings.TrimRight(p.Amount, "0"), "."),
			"n": "20", "has_next": strconv.FormatBool(id < n-1), "names": strings.Join(names, ","),
			"ids": strings.Join(ids, ","), "seen": time.Unix(int64(id), 0).UTC().Format(time.RFC3339),
			"missing": "none",
		}
		for k, w := range want {
			if got := flat(rec[k]); got != w {
				t.Errorf("record %d: %s = %q, want %q", id, k, got, w)
			}
		}
		if _, ok := rec["page"].(json.Number); !ok {
			t.Errorf("record %d: page is %T, want a JSON number", id, rec["page"])
		}
		if nav, _ := rec["nav"].(string); !strings.HasPrefix(nav, `<a href="/">Home</a>`) {
			t.Errorf("record %d: nav = %q, want inner HTML", id, nav)
		}
	}

	r = sluice(t, dir, "scrape", "urls.csv", "--key-column", "id", "-o", "req.jsonl", "--quiet", "--max-failures", "100%", "--field", "x=.nope|required")
	if dead := deadKeys(t, filepath.Join(dir, "req.jsonl.failed.jsonl")); r.code != 0 || len(dead) != n {
		t.Errorf("required field missing everywhere: exit %d, %d dead letters, want 0 and %d\n%s", r.code, len(dead), n, r.stderr)
	}
}

// flat renders a decoded JSON value for comparison: lists joined by
// commas.
func flat(v any) string {
	if l, ok := v.([]any); ok {
		s := make([]string, len(l))
		for i, x := range l {
			s[i] = flat(x)
		}
		return strings.Join(s, ",")
	}
	return fmt.Sprint(v)
}

func TestFieldFlagScrapeInvalidSelectorCaret(t *testing.T) {
	urls := filepath.Join(t.TempDir(), "urls.txt")
	os.WriteFile(urls, []byte("http://127.0.0.1:1/\n"), 0o644)
	r := tryIn(t, "", "scrape", urls, "-o", urls+".jsonl", "--field", "t=h1", "--field", "p=ul > li:nth-child(2x)|int")
	want := "at byte 19: expected ')' but didn't find it\n  ul > li:nth-child(2x)\n                     ^\n"
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, "sluice: --field #2: invalid CSS selector") || !strings.HasSuffix(r.stderr, want) {
		t.Errorf("exit %d, stderr\n%s\nwant exit 2, ending\n%s", r.code, r.stderr, want)
	}
}

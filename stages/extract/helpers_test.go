package extract_test

import (
	"net/url"
	"os"
	"testing"

	"github.com/sluicehq/sluice/stages/fetch"
)

// response builds a fetch.Response for body as if fetched from rawURL.
func response(t testing.TB, rawURL, contentType string, body []byte) *fetch.Response {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return &fetch.Response{
		Request:     fetch.Request{URL: rawURL},
		URL:         u,
		StatusCode:  200,
		Body:        body,
		Raw:         body,
		ContentType: contentType,
		Charset:     "utf-8",
	}
}

// fixture reads testdata/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

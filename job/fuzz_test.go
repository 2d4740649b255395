package job

import (
	"errors"
	"testing"
)

// FuzzDecode: any bytes either decode to a job or fail with an *Error,
// never a panic or another error type.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(base))
	f.Add([]byte("source: {kind: csv, path: ${X}}\n"))
	f.Add([]byte("fetch:\n  timeout: 1h\n  workers: [1]\n"))
	f.Add([]byte("---\na: 1\n---\nb: 2\n"))
	f.Add([]byte("parse: {html: {fields: [{name: a, selector: 'a[', fields: [{name: b}]}]}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Decode("fuzz.yaml", data, Options{Lookup: func(string) (string, bool) { return "v", true }})
		var je *Error
		if err != nil && !errors.As(err, &je) {
			t.Fatalf("error %T: %v", err, err)
		}
	})
}

func FuzzParseMaxFailures(f *testing.F) {
	for _, s := range []string{"5%", "10", "", "0.1%", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMaxFailures(s)
		if err == nil && (m.Percent < 0 || m.Percent > 100 || m.Count < 0) {
			t.Fatalf("%q → %+v", s, m)
		}
	})
}

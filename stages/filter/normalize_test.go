package filter_test

import (
	"testing"

	"github.com/sluicehq/sluice/stages/filter"
)

func TestNormalizeURL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		opts []filter.NormalizeOption
		want string
	}{
		{"HTTP://Example.COM", nil, "http://example.com/"},
		{"http://example.com:80/a", nil, "http://example.com/a"},
		{"https://example.com:443/a", nil, "https://example.com/a"},
		{"https://example.com:8443/a", nil, "https://example.com:8443/a"},
		{"http://example.com:/a", nil, "http://example.com/a"},
		{"http://example.com/a/./b/../c", nil, "http://example.com/a/c"},
		{"http://example.com/a#frag", nil, "http://example.com/a"},
		{"http://example.com/a#frag", []filter.NormalizeOption{filter.KeepFragment()}, "http://example.com/a#frag"},
		{"http://example.com/?b=2&a=1&b=1", nil, "http://example.com/?b=2&a=1&b=1"},
		{"http://example.com/?b=2&a=1&b=1", []filter.NormalizeOption{filter.SortQuery()}, "http://example.com/?a=1&b=2&b=1"},
		{"http://example.com/?utm_source=x&id=7&utm_medium=y", []filter.NormalizeOption{filter.DropParams("utm_source", "utm_medium")}, "http://example.com/?id=7"},
		{"http://example.com/?utm_source=x", []filter.NormalizeOption{filter.DropParams("utm_source")}, "http://example.com/"},
		{"http://example.com/t%7e%41", nil, "http://example.com/t~A"},
		{"http://Bücher.example/straße", nil, "http://xn--bcher-kva.example/stra%C3%9Fe"},
		{"  https://example.com/x  ", nil, "https://example.com/x"},
		{"http://Bücher.example:8080/", nil, "http://xn--bcher-kva.example:8080/"},
		{"http://example.com/?q=a b<c>", nil, "http://example.com/?q=a%20b%3Cc%3E"},
	} {
		got, err := filter.NormalizeURL(tc.in, tc.opts...)
		if err != nil || got != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"/relative/path", "example.com/x", "http://[::1", "mailto:a@b", ""} {
		if got, err := filter.NormalizeURL(bad); err == nil {
			t.Errorf("%q: got %q, want an error", bad, got)
		}
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"HTTP://Example.COM:80/a/../b?b=1&a=2#x", "http://Bücher.example/", "https://[::1]:443/?%zz=1&&="} {
		f.Add(s)
	}
	n := filter.NewURLNormalizer(filter.SortQuery(), filter.DropParams("utm_source"))
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := n.Normalize(raw)
		if err != nil {
			return
		}
		// Normalising is idempotent.
		if again, err := n.Normalize(s); err != nil || again != s {
			t.Errorf("%q -> %q -> %q, %v", raw, s, again, err)
		}
	})
}

package crawl

import (
	"slices"
	"strings"
)

// normalize returns the dedupe key of raw: filter's normalization (see
// newNormalizer), through a fast path for the URLs that are already in
// normal form but for their fragment and query order, which are most of
// the links a crawl meets. The fast path only takes URLs on which every
// rule of the full normalization is a no-op (TestFastNormalize checks
// that the two agree).
func (c *Crawler) normalize(raw string) (string, error) {
	if c.fast {
		if key, ok := fastNormalize(raw); ok {
			return key, nil
		}
	}
	return c.norm.Normalize(raw)
}

// fastNormalize normalizes raw when it is an http(s) URL with a lower-case
// host of letters, digits, dots and hyphens, no default port, a path and
// a query of unreserved characters, '/', '=' and '&' only (no escapes,
// no dot segments, no empty query pairs): it drops the fragment, makes an
// empty path "/" and sorts the query pairs by name, stably. ok is false
// for any other URL.
func fastNormalize(raw string) (key string, ok bool) {
	rest, scheme := "", ""
	switch {
	case strings.HasPrefix(raw, "http://"):
		scheme, rest = "http://", raw[len("http://"):]
	case strings.HasPrefix(raw, "https://"):
		scheme, rest = "https://", raw[len("https://"):]
	default:
		return "", false
	}
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	hostEnd := strings.IndexAny(rest, "/?")
	if hostEnd < 0 {
		hostEnd = len(rest)
	}
	host, path, query := rest[:hostEnd], rest[hostEnd:], ""
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i+1:]
	}
	if !simpleHost(host, scheme) || !simplePath(path) || !simpleQuery(query) {
		return "", false
	}
	// raw (up to a fragment) is the key when it has a path and a sorted
	// query: most links, so most keys cost no allocation.
	if path != "" {
		if query == "" {
			return raw[:len(scheme)+hostEnd+len(path)], true
		}
		if sorted := sortQuery(query); sorted != query {
			return scheme + host + path + "?" + sorted, true
		}
		return raw[:len(scheme)+len(rest)], true
	}
	if query == "" {
		return scheme + host + "/", true
	}
	return scheme + host + "/?" + sortQuery(query), true
}

func simpleHost(host, scheme string) bool {
	name, port, hasPort := strings.Cut(host, ":")
	if name == "" || name[0] == '.' || name[0] == '-' || name[len(name)-1] == '.' {
		return false
	}
	for i := 0; i < len(name); i++ {
		if b := name[i]; !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '.' || b == '-') {
			return false
		}
	}
	if !hasPort {
		return true
	}
	if port == "" || port[0] == '0' || len(port) > 5 || scheme == "http://" && port == "80" || scheme == "https://" && port == "443" {
		return false
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	return true
}

func simplePath(path string) bool {
	for i := 0; i < len(path); i++ {
		if !unreserved(path[i]) && path[i] != '/' {
			return false
		}
	}
	for seg := range strings.SplitSeq(path, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

func simpleQuery(q string) bool {
	if q == "" {
		return true
	}
	if q[0] == '&' || q[len(q)-1] == '&' || strings.Contains(q, "&&") {
		return false
	}
	for i := 0; i < len(q); i++ {
		if b := q[i]; !unreserved(b) && b != '=' && b != '&' {
			return false
		}
	}
	return true
}

func unreserved(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '.' || b == '_' || b == '~'
}

// sortQuery sorts the pairs of a simple query by name, stably.
func sortQuery(q string) string {
	if !strings.Contains(q, "&") {
		return q
	}
	if querySorted(q) {
		return q
	}
	pairs := strings.Split(q, "&")
	name := func(p string) string { k, _, _ := strings.Cut(p, "="); return k }
	slices.SortStableFunc(pairs, func(a, b string) int { return strings.Compare(name(a), name(b)) })
	return strings.Join(pairs, "&")
}

// querySorted reports whether the pairs of a simple query are sorted by
// name, without splitting it.
func querySorted(q string) bool {
	prev, rest, more := "", q, true
	for first := true; more; first = false {
		var pair string
		pair, rest, more = strings.Cut(rest, "&")
		name, _, _ := strings.Cut(pair, "=")
		if !first && name < prev {
			return false
		}
		prev = name
	}
	return true
}

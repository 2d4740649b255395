package fetch

import (
	"net/url"
	"strings"
)

// parseSimple parses raw without url.Parse when it is an http(s) URL made
// of a lower-case scheme, a host of lower-case letters, digits, dots and
// hyphens with an optional port of digits, and a path and query of
// unreserved characters, '/', '=', '&' and ':' only — no escapes, user
// info or fragment — which are most of the URLs a crawl fetches. It
// gives the URL url.Parse would (TestParseSimple compares the two); ok
// is false for any other URL.
func parseSimple(raw string) (u *url.URL, ok bool) {
	var scheme, rest string
	switch {
	case strings.HasPrefix(raw, "http://"):
		scheme, rest = "http", raw[len("http://"):]
	case strings.HasPrefix(raw, "https://"):
		scheme, rest = "https", raw[len("https://"):]
	default:
		return nil, false
	}
	hostEnd := strings.IndexAny(rest, "/?")
	if hostEnd < 0 {
		hostEnd = len(rest)
	}
	host, path := rest[:hostEnd], rest[hostEnd:]
	if !simpleHost(host) {
		return nil, false
	}
	query, force := "", false
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i+1:]
		force = query == ""
	}
	if !simpleChars(path) || !simpleChars(query) {
		return nil, false
	}
	return &url.URL{Scheme: scheme, Host: host, Path: path, RawQuery: query, ForceQuery: force}, true
}

// simpleHost: a non-empty name of [a-z0-9.-], then optionally ':' and
// one or more digits.
func simpleHost(host string) bool {
	name, port, hasPort := strings.Cut(host, ":")
	if name == "" || hasPort && port == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if b := name[i]; !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '.' || b == '-') {
			return false
		}
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	return true
}

// simpleChars: unreserved characters, '/', '=', '&' and ':' only.
func simpleChars(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("-._~/=&:", b) >= 0) {
			return false
		}
	}
	return true
}

package crawl

import (
	"net/url"
	"strings"
)

// fastLink returns the dedupe key of href found on a page with base,
// without parsing either, when href is an http(s) URL or an absolute
// path (not //) made of unreserved characters, '/', '?', '=', '&' and
// '#' that fastNormalize takes, and base (for a path) is an http(s) URL
// with a host fastNormalize takes and no user info. It is the key that
// resolve and normalize give (TestFastLink checks it); ok is false for
// any other link, and for crawls with Normalize options.
func (c *Crawler) fastLink(base *url.URL, href string) (key string, ok bool) {
	if !c.fast || !simpleHref(href) {
		return "", false
	}
	switch {
	case strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://"):
		return fastNormalize(href)
	case len(href) > 0 && href[0] == '/' && (len(href) == 1 || href[1] != '/'):
		if base == nil || base.User != nil || base.Opaque != "" || (base.Scheme != "http" && base.Scheme != "https") ||
			!simpleHost(base.Host, base.Scheme+"://") {
			return "", false
		}
		return fastNormalize(base.Scheme + "://" + base.Host + href)
	}
	return "", false
}

// simpleHref reports whether href is made of unreserved characters and
// : / ? = & # only.
func simpleHref(href string) bool {
	for i := 0; i < len(href); i++ {
		if b := href[i]; !unreserved(b) && strings.IndexByte(":/?=&#", b) < 0 {
			return false
		}
	}
	return href != ""
}

// fastEntry is entry for a key fastNormalize made, and the key's host
// (with its port): both are read off the key, which has a path.
func fastEntry(key string, depth int, meta map[string]string) (Entry, string) {
	scheme, rest, _ := strings.Cut(key, "://")
	host := rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		host = rest[:i]
	}
	origin := key[:len(scheme)+len("://")+len(host)]
	return Entry{Key: key, Host: origin, URL: key, Depth: depth, Meta: meta}, host
}

package filter

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/purell"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// NormalizeOption changes what [NormalizeURL] does.
type NormalizeOption func(*normalizeConfig)

type normalizeConfig struct {
	sortQuery    bool
	keepFragment bool
	dropParams   []string
}

// SortQuery sorts the query parameters by name, stably (repeated names keep
// their order, values are not re-encoded), so ?b=1&a=2 and ?a=2&b=1 give
// one key.
func SortQuery() NormalizeOption { return func(c *normalizeConfig) { c.sortQuery = true } }

// KeepFragment keeps the #fragment, which is removed by default.
func KeepFragment() NormalizeOption { return func(c *normalizeConfig) { c.keepFragment = true } }

// DropParams removes the named query parameters (tracking parameters such
// as utm_source, for instance).
func DropParams(names ...string) NormalizeOption {
	return func(c *normalizeConfig) { c.dropParams = append(c.dropParams, names...) }
}

// URLNormalizer normalises URLs for use as keys. Build it once with
// [NewURLNormalizer]; it is safe for concurrent use.
//
// The case, port, dot-segment, escaping and IDNA rules come from
// github.com/PuerkitoBio/purell's "safe" set, applied to net/url's parse
// (the same parser the fetcher and the extractors use, so a key and the
// URL that was fetched agree). The query handling is sluice's own: purell's
// sort also sorts values and re-encodes them.
type URLNormalizer struct {
	flags purell.NormalizationFlags
	sort  bool
	drop  []string
}

// NewURLNormalizer returns a normalizer with the options applied.
func NewURLNormalizer(opts ...NormalizeOption) *URLNormalizer {
	var c normalizeConfig
	for _, o := range opts {
		o(&c)
	}
	flags := purell.FlagsSafe | purell.FlagRemoveDotSegments | purell.FlagRemoveEmptyPortSeparator
	if !c.keepFragment {
		flags |= purell.FlagRemoveFragment
	}
	return &URLNormalizer{flags: flags, sort: c.sortQuery, drop: c.dropParams}
}

// Normalize returns the normal form of the absolute URL raw: scheme and
// host lower-cased (international hosts in punycode), default ports and
// empty port separators removed, dot segments resolved, an empty path made
// "/", escapes made uniform, the fragment removed, and the query sorted or
// trimmed as configured. A URL that does not parse or is not absolute is an
// error.
func (n *URLNormalizer) Normalize(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("filter: normalize url: %w", err)
	}
	if u.Scheme == "" || u.Hostname() == "" {
		return "", fmt.Errorf("filter: normalize url %q: not an absolute url", raw)
	}
	if err := asciiHost(u); err != nil {
		return "", fmt.Errorf("filter: normalize url %q: %w", raw, err)
	}
	if u.Path == "" && u.Opaque == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" && (n.sort || len(n.drop) > 0) {
		u.RawQuery = n.query(u.RawQuery)
		u.ForceQuery = false
	}
	u.RawQuery = escapeQuery(u.RawQuery)
	s, err := purell.NormalizeURLString(u.String(), n.flags)
	if err != nil {
		return "", fmt.Errorf("filter: normalize url %q: %w", raw, err)
	}
	return s, nil
}

// query drops and sorts the parameters of a raw query, keeping each pair's
// encoding as written.
func (n *URLNormalizer) query(raw string) string {
	type pair struct{ key, raw string }
	var pairs []pair
	for _, p := range strings.Split(raw, "&") {
		if p == "" {
			continue
		}
		k, _, _ := strings.Cut(p, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if slices.Contains(n.drop, k) {
			continue
		}
		pairs = append(pairs, pair{k, p})
	}
	if n.sort {
		slices.SortStableFunc(pairs, func(a, b pair) int { return strings.Compare(a.key, b.key) })
	}
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.raw
	}
	return strings.Join(out, "&")
}

// asciiHost drops an empty port separator and converts an international
// host name to punycode itself: purell converts the host with its port,
// which garbles a port that follows a non-ASCII name.
func asciiHost(u *url.URL) error {
	host, port := u.Hostname(), u.Port()
	if !utf8.ValidString(host) {
		return errors.New("host is not valid UTF-8")
	}
	ascii := true
	for i := 0; i < len(host); i++ {
		ascii = ascii && host[i] < utf8.RuneSelf
	}
	if ascii && !strings.HasSuffix(u.Host, ":") {
		return nil
	}
	if !ascii {
		a, err := idna.ToASCII(norm.NFC.String(width.Fold.String(host)))
		if err != nil {
			return err
		}
		host = a
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	return nil
}

// escapeQuery percent-encodes the bytes a query may not hold as written
// (controls, space, quotes, angle brackets, backquote, non-ASCII), as the
// WHATWG URL standard's query set does, so a query has one spelling.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	started := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c > ' ' && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '`' {
			if started {
				b.WriteByte(c)
			}
			continue
		}
		if !started {
			started = true
			b.Grow(len(q) + 8)
			b.WriteString(q[:i])
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	if !started {
		return q
	}
	return b.String()
}

// NormalizeURL normalises one URL; see [URLNormalizer.Normalize]. To
// normalise many, build a [URLNormalizer] once.
func NormalizeURL(raw string, opts ...NormalizeOption) (string, error) {
	return NewURLNormalizer(opts...).Normalize(raw)
}

// NormalizedKey wraps a key function so that its keys, URLs, are
// normalised by n; a key that does not normalise is used as it is.
func NormalizedKey[T any](key func(T) string, n *URLNormalizer) func(T) string {
	return func(v T) string {
		k := key(v)
		if s, err := n.Normalize(k); err == nil {
			return s
		}
		return k
	}
}

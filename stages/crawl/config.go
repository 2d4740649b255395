package crawl

import (
	"fmt"
	"regexp"

	"github.com/andybalholm/cascadia"
	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/stages/filter"
)

// Config configures a [Crawler]. The zero value crawls the seeds' hosts
// to any depth, follows a[href], area[href] and link[rel=next], honours
// rel=nofollow and robots meta tags, hands every page on, and keeps its
// frontier in memory.
type Config struct {
	// Scope says which URLs are followed: "host" (default: the hosts of
	// the seeds), "domain" (their registrable domains, subdomains
	// included), "prefix" (URLs under a seed's directory) or
	// "regex:EXPR" (URLs, normalized, that EXPR matches). Seeds are
	// always fetched.
	Scope string
	// MaxDepth is the deepest link depth followed (seeds are depth 0).
	// 0 means no limit.
	MaxDepth int
	// MaxPages caps the URLs admitted to the frontier, over every run of
	// a persistent store. 0 means no limit.
	MaxPages int64
	// Follow lists the CSS selectors of the elements whose href is
	// followed. Empty means a[href], area[href] and link[rel=next].
	Follow []string
	// IgnoreNofollow follows links marked rel=nofollow too.
	IgnoreNofollow bool
	// IgnoreRobotsMeta disregards <meta name="robots"> and X-Robots-Tag:
	// by default "noindex" keeps a page from being handed on and
	// "nofollow" keeps its links from being followed ("none" is both).
	IgnoreRobotsMeta bool
	// Extract selects the pages handed on for extraction; the others are
	// only followed. A page is handed on when any rule matches it. Empty
	// means every page.
	Extract []Rule
	// Store keeps the seen-set and the queue. Nil means a new
	// [MemoryStore]; use [OpenStore] for large or resumable crawls. The
	// caller closes a store it gave.
	Store Store
	// Normalize adds options to the URL normalization that makes the
	// dedupe key (stages/filter; the fragment is always dropped and the
	// query always sorted).
	Normalize []filter.NormalizeOption
	// PerHostInFlight caps the URLs of one host being fetched at once, so
	// a slow host cannot take every fetch worker. Default 8; match the
	// fetcher's PerHostConcurrency.
	PerHostInFlight int
	// DoneWhenEmitted marks a page done in the store as soon as it is
	// handed on. Leave it off when a committer calls [Store.MarkDone]
	// once the page's records are durable; set it in pipelines without
	// one. Pages that are not handed on (followed only, duplicates,
	// failures) are always marked done by the crawl itself.
	DoneWhenEmitted bool
	// Extractor, when set, lets the link stage extract a page in the
	// same pass of the tokenizer that finds its links, instead of each
	// reading the page: for an HTML page an extract rule may select, the
	// link stage calls Extractor with a visitor of its own, and
	// Extractor extracts the page (keeping the result in
	// fetch.Response.Extracted for the stage that writes it) while
	// showing the visitor every element, as
	// [extract.HTML.RecordsVisiting] does. Extractor returns false when
	// it cannot read the page in one pass; the link stage then reads it
	// alone. Used only when the follow selectors and extract rules are
	// element-local (a type, classes, ids and attribute tests).
	Extractor func(resp *fetch.Response, v extract.ElementVisitor) bool
}

// Rule picks pages to extract. A rule with both fields needs both.
type Rule struct {
	// URL is a regular expression the page's URL must match.
	URL string
	// Has is a CSS selector the page must have a match for.
	Has string
}

type rule struct {
	url *regexp.Regexp
	has cascadia.Selector
}

func (r rule) empty() bool { return r.url == nil && r.has == nil }

var defaultFollow = []string{"a[href]", "area[href]", "link[rel~=next][href]"}

// follow is Follow, or its default.
func (cfg Config) follow() []string {
	if len(cfg.Follow) == 0 {
		return defaultFollow
	}
	return cfg.Follow
}

// compile checks cfg and compiles its expressions and selectors.
func (cfg Config) compile() (scope, []cascadia.Selector, []rule, error) {
	sc, err := parseScope(cfg.Scope)
	if err != nil {
		return nil, nil, nil, err
	}
	if cfg.MaxDepth < 0 || cfg.MaxPages < 0 || cfg.PerHostInFlight < 0 {
		return nil, nil, nil, fmt.Errorf("crawl: negative MaxDepth, MaxPages or PerHostInFlight")
	}
	follow := cfg.follow()
	sels := make([]cascadia.Selector, len(follow))
	for i, f := range follow {
		if sels[i], err = cascadia.Compile(f); err != nil {
			return nil, nil, nil, fmt.Errorf("crawl: follow selector %q: %w", f, err)
		}
	}
	rules := make([]rule, len(cfg.Extract))
	for i, r := range cfg.Extract {
		if r.URL != "" {
			if rules[i].url, err = regexp.Compile(r.URL); err != nil {
				return nil, nil, nil, fmt.Errorf("crawl: extract rule %d: url regex %q: %w", i+1, r.URL, err)
			}
		}
		if r.Has != "" {
			if rules[i].has, err = cascadia.Compile(r.Has); err != nil {
				return nil, nil, nil, fmt.Errorf("crawl: extract rule %d: selector %q: %w", i+1, r.Has, err)
			}
		}
		if rules[i].empty() {
			return nil, nil, nil, fmt.Errorf("crawl: extract rule %d is empty: set URL or Has", i+1)
		}
	}
	return sc, sels, rules, nil
}

func newNormalizer(cfg Config) *filter.URLNormalizer {
	return filter.NewURLNormalizer(append([]filter.NormalizeOption{filter.SortQuery()}, cfg.Normalize...)...)
}

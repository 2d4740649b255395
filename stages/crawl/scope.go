package crawl

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

// scope decides which discovered URLs are followed. Seeds widen it.
type scope interface {
	addSeed(u *url.URL, key string)
	allows(u *url.URL, key string) bool
}

// parseScope reads Config.Scope.
func parseScope(s string) (scope, error) {
	switch {
	case s == "" || s == "host":
		return &setScope{of: func(u *url.URL) string { return strings.ToLower(u.Host) }}, nil
	case s == "domain":
		return &setScope{of: domainOf}, nil
	case s == "prefix":
		return &prefixScope{}, nil
	case strings.HasPrefix(s, "regex:"):
		expr := strings.TrimPrefix(s, "regex:")
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("crawl: scope regex %q: %w", expr, err)
		}
		return regexScope{re}, nil
	}
	return nil, fmt.Errorf("crawl: scope %q: want host, domain, prefix or regex:EXPR", s)
}

// setScope allows URLs whose host (or domain) is a seed's.
type setScope struct {
	of  func(*url.URL) string
	mu  sync.RWMutex
	set map[string]bool
}

func (s *setScope) addSeed(u *url.URL, _ string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set == nil {
		s.set = map[string]bool{}
	}
	s.set[s.of(u)] = true
}

func (s *setScope) allows(u *url.URL, _ string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.set[s.of(u)]
}

// domainOf is the registrable domain (eTLD+1) of u's host; an IP address
// or a name with no public suffix stands for itself.
func domainOf(u *url.URL) string {
	h := strings.ToLower(u.Hostname())
	if net.ParseIP(h) != nil {
		return h
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(h); err == nil {
		return d
	}
	return h
}

// prefixScope allows URLs under the directory of a seed.
type prefixScope struct {
	mu       sync.RWMutex
	prefixes []string
}

func (s *prefixScope) addSeed(_ *url.URL, key string) {
	dir := key
	if i := strings.LastIndexByte(key, '/'); i > len("https://") {
		dir = key[:i+1]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.prefixes {
		if p == dir {
			return
		}
	}
	s.prefixes = append(s.prefixes, dir)
}

func (s *prefixScope) allows(_ *url.URL, key string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, p := range s.prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

type regexScope struct{ re *regexp.Regexp }

func (regexScope) addSeed(*url.URL, string)             {}
func (s regexScope) allows(_ *url.URL, key string) bool { return s.re.MatchString(key) }

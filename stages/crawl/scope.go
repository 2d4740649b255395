package crawl

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/net/publicsuffix"
)

// scope decides which discovered URLs are followed. Seeds widen it. A
// URL comes as its host (url.URL.Host: name and port, as found) and its
// key, so that a link needs no *url.URL.
type scope interface {
	addSeed(host, key string)
	allows(host, key string) bool
}

// parseScope reads Config.Scope.
func parseScope(s string) (scope, error) {
	switch {
	case s == "" || s == "host":
		return &setScope{of: strings.ToLower}, nil
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

// setScope allows URLs whose host (or domain) is a seed's. Links read
// the set without a lock; a seed replaces it with a copy.
type setScope struct {
	of  func(host string) string
	mu  sync.Mutex // serializes addSeed
	set atomic.Pointer[map[string]bool]
}

func (s *setScope) addSeed(host, _ string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := map[string]bool{s.of(host): true}
	if old := s.set.Load(); old != nil {
		for k := range *old {
			set[k] = true
		}
	}
	s.set.Store(&set)
}

func (s *setScope) allows(host, _ string) bool {
	set := s.set.Load()
	return set != nil && (*set)[s.of(host)]
}

// domainOf is the registrable domain (eTLD+1) of a host; an IP address
// or a name with no public suffix stands for itself.
func domainOf(host string) string {
	h := strings.ToLower((&url.URL{Host: host}).Hostname())
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

func (s *prefixScope) addSeed(_, key string) {
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

func (s *prefixScope) allows(_, key string) bool {
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

func (regexScope) addSeed(_, _ string)         {}
func (s regexScope) allows(_, key string) bool { return s.re.MatchString(key) }

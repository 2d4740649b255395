package fetch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// RobotsStore keeps hosts' robots.txt answers beyond one Fetcher, so
// that a run does not ask a host again for rules it fetched less than
// Config.RobotsTTL ago (RFC 9309 §2.4 allows a cached copy for up to 24
// hours). A Fetcher with a store looks a host up there before it fetches
// robots.txt, and puts every answer that decides the rules there: a 2xx
// with its body, or a 4xx other than 429 (no rules: all allowed). Errors,
// 429 and 5xx answers are not kept: the next run asks again.
// Implementations must be safe for concurrent use.
type RobotsStore interface {
	// LoadRobots returns the answer kept for origin (scheme://host[:port],
	// the host in lower case), if any; the Fetcher uses it only while it
	// is younger than Config.RobotsTTL.
	LoadRobots(origin string) (RobotsAnswer, bool)
	// StoreRobots keeps a for origin, replacing what was kept.
	StoreRobots(origin string, a RobotsAnswer)
}

// RobotsAnswer is a host's robots.txt answer as fetched.
type RobotsAnswer struct {
	Fetched time.Time
	Status  int
	Body    []byte // the rules, for a 2xx
}

// A RobotsFile's bounds: it keeps the most recent answers of at most
// RobotsFileMaxHosts hosts and RobotsFileMaxBytes of rules in all, so
// that a crawl of many hosts neither holds nor rewrites more (an answer
// not kept is asked for again by the next run, as without a store).
const (
	RobotsFileMaxHosts = 1000
	RobotsFileMaxBytes = 4 << 20
)

// RobotsFile is a RobotsStore in one JSON file. OpenRobotsFile reads it;
// Close writes it back (to a temporary file, then renamed over it) if
// anything was stored. Answers older than its maxAge are dropped on both
// ends; storing beyond RobotsFileMaxHosts or RobotsFileMaxBytes drops the
// oldest answers first.
type RobotsFile struct {
	path     string
	maxAge   time.Duration
	maxHosts int
	maxBytes int

	mu      sync.Mutex
	answers map[string]RobotsAnswer
	bytes   int // the Body lengths of answers
	changed bool
}

// robotsFileVersion names the file's format.
const robotsFileVersion = 1

type robotsFileData struct {
	Version int                     `json:"version"`
	Hosts   map[string]robotsRecord `json:"hosts"`
}

// robotsRecord is a RobotsAnswer in the file, its rules as text.
type robotsRecord struct {
	Fetched time.Time `json:"fetched"`
	Status  int       `json:"status"`
	Body    string    `json:"body,omitempty"`
}

// OpenRobotsFile reads the store at path; a missing file is an empty
// store, and so is one that does not parse (a cache: Close replaces it).
// maxAge is how old a kept answer may be (24h if ≤ 0). A file it cannot
// read is an error.
func OpenRobotsFile(path string, maxAge time.Duration) (*RobotsFile, error) {
	if maxAge <= 0 {
		maxAge = 24 * time.Hour
	}
	s := &RobotsFile{path: path, maxAge: maxAge, maxHosts: RobotsFileMaxHosts, maxBytes: RobotsFileMaxBytes,
		answers: map[string]RobotsAnswer{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("robots.txt store: %w", err)
	}
	var d robotsFileData
	if json.Unmarshal(b, &d) != nil || d.Version != robotsFileVersion {
		return s, nil
	}
	now := time.Now()
	for origin, r := range d.Hosts {
		if a := (RobotsAnswer{Fetched: r.Fetched, Status: r.Status, Body: []byte(r.Body)}); fresh(a, now, maxAge) {
			s.put(origin, a)
		}
	}
	s.changed = false
	return s, nil
}

// fresh reports whether a was fetched within maxAge before now (and not
// in the future: a clock set back does not make an answer live forever).
func fresh(a RobotsAnswer, now time.Time, maxAge time.Duration) bool {
	age := now.Sub(a.Fetched)
	return age >= 0 && age < maxAge
}

// LoadRobots implements RobotsStore. It returns what it holds: the
// Fetcher judges the answer's age by its own clock.
func (s *RobotsFile) LoadRobots(origin string) (RobotsAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.answers[origin]
	return a, ok
}

// StoreRobots implements RobotsStore.
func (s *RobotsFile) StoreRobots(origin string, a RobotsAnswer) {
	s.mu.Lock()
	s.put(origin, a)
	s.mu.Unlock()
}

// put keeps a for origin within the bounds, dropping the oldest answers
// (or a itself, if its rules alone are over the byte bound). Under s.mu.
func (s *RobotsFile) put(origin string, a RobotsAnswer) {
	s.changed = true
	if old, ok := s.answers[origin]; ok {
		s.bytes -= len(old.Body)
		delete(s.answers, origin)
	}
	if len(a.Body) > s.maxBytes {
		return
	}
	for len(s.answers) >= s.maxHosts || s.bytes+len(a.Body) > s.maxBytes {
		oldest := ""
		for o, b := range s.answers {
			if oldest == "" || b.Fetched.Before(s.answers[oldest].Fetched) {
				oldest = o
			}
		}
		s.bytes -= len(s.answers[oldest].Body)
		delete(s.answers, oldest)
	}
	s.answers[origin] = a
	s.bytes += len(a.Body)
}

// Len returns how many answers the store holds.
func (s *RobotsFile) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.answers)
}

// Close writes the store back if anything was stored since it was
// opened. The store stays usable; a later Close writes again.
func (s *RobotsFile) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.changed {
		return nil
	}
	now := time.Now()
	d := robotsFileData{Version: robotsFileVersion, Hosts: make(map[string]robotsRecord, len(s.answers))}
	for origin, a := range s.answers {
		if fresh(a, now, s.maxAge) {
			d.Hosts[origin] = robotsRecord{Fetched: a.Fetched, Status: a.Status, Body: string(a.Body)}
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("robots.txt store: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), filepath.Base(s.path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("robots.txt store: %w", err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("robots.txt store: %w", err)
	}
	s.changed = false
	return nil
}

package fetch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
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
	Fetched time.Time `json:"fetched"`
	Status  int       `json:"status"`
	Body    []byte    `json:"body,omitempty"` // the rules, for a 2xx
}

// RobotsFile is a RobotsStore in one JSON file. OpenRobotsFile reads it;
// Close writes it back (to a temporary file, then renamed over it) if
// anything was stored. Answers older than its maxAge are dropped on both
// ends, and it keeps at most maxHosts answers, the most recent ones.
type RobotsFile struct {
	path     string
	maxAge   time.Duration
	maxHosts int

	mu      sync.Mutex
	answers map[string]RobotsAnswer
	changed bool
}

// robotsFileVersion names the file's format.
const robotsFileVersion = 1

type robotsFileData struct {
	Version int                     `json:"version"`
	Hosts   map[string]RobotsAnswer `json:"hosts"`
}

// OpenRobotsFile reads the store at path; a missing file is an empty
// store, and so is one that does not parse (a cache: Close replaces it).
// maxAge is how old a kept answer may be (24h if ≤ 0), maxHosts how many
// it keeps (10,000 if ≤ 0). A file it cannot read is an error.
func OpenRobotsFile(path string, maxAge time.Duration, maxHosts int) (*RobotsFile, error) {
	if maxAge <= 0 {
		maxAge = 24 * time.Hour
	}
	if maxHosts <= 0 {
		maxHosts = 10_000
	}
	s := &RobotsFile{path: path, maxAge: maxAge, maxHosts: maxHosts, answers: map[string]RobotsAnswer{}}
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
	for origin, a := range d.Hosts {
		if fresh(a, now, maxAge) {
			s.answers[origin] = a
		}
	}
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
	s.answers[origin] = a
	s.changed = true
	s.mu.Unlock()
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
	origins := make([]string, 0, len(s.answers))
	for origin, a := range s.answers {
		if fresh(a, now, s.maxAge) {
			origins = append(origins, origin)
		}
	}
	if len(origins) > s.maxHosts { // the most recent ones stay
		sort.Slice(origins, func(i, j int) bool {
			return s.answers[origins[i]].Fetched.After(s.answers[origins[j]].Fetched)
		})
		origins = origins[:s.maxHosts]
	}
	d := robotsFileData{Version: robotsFileVersion, Hosts: make(map[string]RobotsAnswer, len(origins))}
	for _, origin := range origins {
		d.Hosts[origin] = s.answers[origin]
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

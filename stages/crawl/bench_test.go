package crawl_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sluicehq/sluice/stages/crawl"
	_ "modernc.org/sqlite"
)

// benchStore is the part of a store the benchmark drives.
type benchStore interface {
	Add(e crawl.Entry) (bool, error)
	Next(busy func(string) bool) (crawl.Entry, bool, error)
	MarkDone(keys ...string) error
	Close() error
}

// BenchmarkFrontierStore pushes n URLs over 100 hosts (each offered twice,
// so half the pushes are seen-set hits), pops them all round-robin and
// marks each done in batches of 100. ns/op is per URL; heap-MB is the
// live heap after the pushes.
//
//	go test -run '^$' -bench FrontierStore -benchtime 1x ./stages/crawl
func BenchmarkFrontierStore(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("bbolt/%d", n), func(b *testing.B) {
			benchStoreRun(b, n, func(dir string) (benchStore, error) {
				return crawl.OpenStore(filepath.Join(dir, "f.db"), crawl.StoreConfig{})
			})
		})
		b.Run(fmt.Sprintf("sqlite/%d", n), func(b *testing.B) {
			benchStoreRun(b, n, func(dir string) (benchStore, error) { return openSQLiteStore(filepath.Join(dir, "f.sqlite")) })
		})
	}
}

func benchStoreRun(b *testing.B, n int, open func(dir string) (benchStore, error)) {
	for b.Loop() {
		s, err := open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		for i := range 2 * n {
			id := i % n
			host := fmt.Sprintf("http://h%d.example", id%100)
			key := fmt.Sprintf("%s/p/%d?q=%d", host, id, id*7)
			if _, err := s.Add(crawl.Entry{Key: key, Host: host, URL: key, Depth: 1}); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		var done []string
		for range n {
			e, ok, err := s.Next(nil)
			if err != nil || !ok {
				b.Fatal(ok, err)
			}
			if done = append(done, e.Key); len(done) == 100 {
				if err := s.MarkDone(done...); err != nil {
					b.Fatal(err)
				}
				done = done[:0]
			}
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/url")
}

// sqliteStore is the SQLite candidate the benchmark measured against
// bbolt: the same operations, batched in transactions of 4096 changes.
type sqliteStore struct {
	db      *sql.DB
	tx      *sql.Tx
	pending int
	hosts   []string
	rr      int
}

func openSQLiteStore(path string) (*sqliteStore, error) {
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	_, err = db.Exec(`CREATE TABLE seen(key TEXT PRIMARY KEY) WITHOUT ROWID;
		CREATE TABLE queue(seq INTEGER PRIMARY KEY, host TEXT, key TEXT, url TEXT, depth INT);
		CREATE INDEX queue_host ON queue(host, seq);
		CREATE TABLE flight(key TEXT PRIMARY KEY, host TEXT, url TEXT, depth INT) WITHOUT ROWID;`)
	if err != nil {
		return nil, err
	}
	s := &sqliteStore{db: db}
	return s, s.begin()
}

func (s *sqliteStore) begin() (err error) { s.tx, err = s.db.Begin(); return err }

func (s *sqliteStore) changed() error {
	if s.pending++; s.pending < 4096 {
		return nil
	}
	return s.flush()
}

func (s *sqliteStore) flush() error {
	s.pending = 0
	if err := s.tx.Commit(); err != nil {
		return err
	}
	return s.begin()
}

func (s *sqliteStore) Add(e crawl.Entry) (bool, error) {
	r, err := s.tx.Exec(`INSERT OR IGNORE INTO seen(key) VALUES(?)`, e.Key)
	if err != nil {
		return false, err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return false, nil
	}
	if _, err := s.tx.Exec(`INSERT INTO queue(host, key, url, depth) VALUES(?,?,?,?)`, e.Host, e.Key, e.URL, e.Depth); err != nil {
		return false, err
	}
	if len(s.hosts) < 100 {
		s.hosts = append(s.hosts, e.Host) // the benchmark's hosts come round in order
	}
	return true, s.changed()
}

func (s *sqliteStore) Next(func(string) bool) (crawl.Entry, bool, error) {
	for range len(s.hosts) {
		host := s.hosts[s.rr%len(s.hosts)]
		s.rr++
		var e crawl.Entry
		var seq int64
		err := s.tx.QueryRow(`SELECT seq, key, url, depth FROM queue WHERE host = ? ORDER BY seq LIMIT 1`, host).Scan(&seq, &e.Key, &e.URL, &e.Depth)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return e, false, err
		}
		e.Host = host
		if _, err := s.tx.Exec(`DELETE FROM queue WHERE seq = ?`, seq); err != nil {
			return e, false, err
		}
		if _, err := s.tx.Exec(`INSERT INTO flight VALUES(?,?,?,?)`, e.Key, e.Host, e.URL, e.Depth); err != nil {
			return e, false, err
		}
		return e, true, s.changed()
	}
	return crawl.Entry{}, false, nil
}

func (s *sqliteStore) MarkDone(keys ...string) error {
	for _, k := range keys {
		if _, err := s.tx.Exec(`DELETE FROM flight WHERE key = ?`, k); err != nil {
			return err
		}
	}
	return s.flush()
}

func (s *sqliteStore) Close() error {
	err := s.tx.Commit()
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	return err
}

package resume

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func open(t *testing.T, path string) *Checkpoint {
	t.Helper()
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func round(t *testing.T, c *Checkpoint, keys []string, offs map[string]int64, commit bool) {
	t.Helper()
	r, err := c.Prepare(keys, offs)
	if err != nil {
		t.Fatal(err)
	}
	if commit {
		if err := c.Commit(r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCommittedKeysSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt")
	c := open(t, path)
	if c.Done("a") || c.Len() != 0 {
		t.Fatal("fresh checkpoint has done keys")
	}
	round(t, c, []string{"a", "b"}, map[string]int64{"jsonl:x": 10}, true)
	round(t, c, []string{"c"}, map[string]int64{"jsonl:x": 25}, true)
	if !c.Done("a") || !c.Done("c") || c.Done("d") {
		t.Fatal("Done wrong before reopen")
	}
	c.Close()

	c = open(t, path)
	for _, k := range []string{"a", "b", "c"} {
		if !c.Done(k) || c.Pending(k) {
			t.Errorf("key %q: done=%v pending=%v, want done", k, c.Done(k), c.Pending(k))
		}
	}
	if off, ok := c.Offset("jsonl:x"); !ok || off != 25 {
		t.Errorf("Offset = %d, %v; want 25", off, ok)
	}
	if c.Len() != 3 {
		t.Errorf("Len = %d, want 3", c.Len())
	}
}

// TestEarlierOnly: with Options.EarlierOnly, Done answers for the keys
// earlier runs committed, the keys committed since Open are counted and
// logged but not held, and the next Open sees them all.
func TestEarlierOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt")
	c := open(t, path)
	round(t, c, []string{"a", "b"}, nil, true)
	c.Close()

	c, err := OpenWith(path, Options{EarlierOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	round(t, c, []string{"c", "d"}, nil, true)
	round(t, c, []string{"e"}, nil, false)
	if !c.Done("a") || !c.Done("b") {
		t.Error("an earlier run's keys are not done")
	}
	if c.Done("c") || c.Done("d") {
		t.Error("keys committed since Open are held in memory")
	}
	if c.Done("e") || c.Len() != 4 || c.done.Len() != 2 {
		t.Errorf("done e %v, Len %d (want 4), held %d (want 2)", c.Done("e"), c.Len(), c.done.Len())
	}
	c.Close()

	c = open(t, path)
	for _, k := range []string{"a", "b", "c", "d"} {
		if !c.Done(k) {
			t.Errorf("after reopen, %q is not done", k)
		}
	}
	if !c.Pending("e") || c.Len() != 4 {
		t.Errorf("after reopen: pending e %v, Len %d", c.Pending("e"), c.Len())
	}
}

func TestPreparedButUncommittedRoundIsPending(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt")
	c := open(t, path)
	round(t, c, []string{"a"}, map[string]int64{"f": 5}, true)
	round(t, c, []string{"b", "c"}, map[string]int64{"f": 9}, false) // crash before commit
	c.Close()

	c = open(t, path)
	if !c.Done("a") || c.Done("b") || !c.Pending("b") || !c.Pending("c") || c.Pending("a") {
		t.Fatalf("after reopen: a done=%v, b done=%v pending=%v", c.Done("a"), c.Done("b"), c.Pending("b"))
	}
	if off, _ := c.Offset("f"); off != 5 {
		t.Errorf("offset = %d, want the committed 5", off)
	}
	// The replay of b commits; c is still pending, in a second crash.
	round(t, c, []string{"b"}, map[string]int64{"f": 7}, true)
	if c.Pending("b") || !c.Done("b") {
		t.Error("b still pending after its commit")
	}
	c.Close()
	c = open(t, path)
	if !c.Pending("c") || c.Pending("b") || !c.Done("b") {
		t.Errorf("second reopen: c pending=%v, b pending=%v", c.Pending("c"), c.Pending("b"))
	}
}

func TestTornLastLineIsIgnoredAndCut(t *testing.T) {
	for _, tail := range []string{"0000", "deadbeef {\"commit\":", "12345678 {\"commit\":2}\n", "\x00\x00\x00"} {
		path := filepath.Join(t.TempDir(), "ckpt")
		c := open(t, path)
		round(t, c, []string{"a"}, nil, true)
		c.Close()
		good, _ := os.ReadFile(path)
		f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString(tail)
		f.Close()

		c = open(t, path)
		if !c.Done("a") {
			t.Fatalf("tail %q: lost the committed key", tail)
		}
		round(t, c, []string{"b"}, nil, true)
		c.Close()
		c = open(t, path)
		if !c.Done("b") {
			t.Fatalf("tail %q: round after a torn tail not readable", tail)
		}
		got, _ := os.ReadFile(path)
		if string(got[:len(good)]) != string(good) {
			t.Fatalf("tail %q: good prefix changed", tail)
		}
	}
}

func TestCorruptMiddleLineIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt")
	c := open(t, path)
	round(t, c, []string{"a"}, nil, true)
	round(t, c, []string{"b"}, nil, true)
	c.Close()
	b, _ := os.ReadFile(path)
	b[len(b)/2] ^= 0x01 // flip a bit inside some middle line
	os.WriteFile(path, b, 0o644)
	_, err := Open(path)
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Path != path {
		t.Fatalf("Open = %v, want *CorruptError", err)
	}
}

func TestCommitOfWrongRound(t *testing.T) {
	c := open(t, filepath.Join(t.TempDir(), "ckpt"))
	r1, _ := c.Prepare([]string{"a"}, nil)
	if _, err := c.Prepare([]string{"b"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Commit(r1); err == nil {
		t.Fatal("Commit of a superseded round succeeded")
	}
}

func TestClosed(t *testing.T) {
	c := open(t, filepath.Join(t.TempDir(), "ckpt"))
	c.Close()
	if _, err := c.Prepare(nil, nil); !errors.Is(err, errClosed) {
		t.Fatalf("Prepare after Close = %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

func FuzzOpen(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("00000000 {}\n"))
	line, _ := encodeLine(entry{Prepare: 1, Keys: encodeHashes([]uint64{1, 2}), Offsets: map[string]int64{"a": 1}})
	f.Add(line)
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "ckpt")
		os.WriteFile(path, data, 0o644)
		c, err := Open(path)
		if err != nil {
			return
		}
		defer c.Close()
		// Whatever was read, the checkpoint must accept a round and
		// read it back.
		r, err := c.Prepare([]string{"k"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Commit(r); err != nil {
			t.Fatal(err)
		}
		c.Close()
		c2, err := Open(path)
		if err != nil {
			t.Fatalf("reopen after a good round: %v", err)
		}
		defer c2.Close()
		if !c2.Done("k") {
			t.Fatal("round lost")
		}
	})
}

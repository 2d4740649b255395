package resume

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestFingerprintRefusesAnEditedJob(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt")
	fp := Fingerprint{"input": "urls.csv", "fields": "title,price", "key column": "id", "output": "out.jsonl"}
	c := open(t, path)
	if c.Fingerprint() != nil {
		t.Fatal("a new checkpoint has a fingerprint")
	}
	must(t, c.SetFingerprint(fp))
	round(t, c, []string{"a"}, nil, true)
	c.Close()

	c = open(t, path)
	if fmt.Sprint(c.Fingerprint()) != fmt.Sprint(fp) {
		t.Fatalf("reopened fingerprint %v, want %v", c.Fingerprint(), fp)
	}
	must(t, c.SetFingerprint(fp)) // the same job resumes

	edited := Fingerprint{"input": "urls.csv", "fields": "title,price,sku", "key column": "sku", "output": "out.jsonl"}
	err := c.SetFingerprint(edited)
	var fe *FingerprintMismatchError
	if !errors.As(err, &fe) || fe.Path != path {
		t.Fatalf("SetFingerprint of an edited job = %v, want a *FingerprintMismatchError", err)
	}
	want := []FingerprintChange{{"fields", "title,price", "title,price,sku"}, {"key column", "id", "sku"}}
	if fmt.Sprint(fe.Changes) != fmt.Sprint(want) {
		t.Errorf("changes %v, want %v", fe.Changes, want)
	}
	if msg := err.Error(); !strings.Contains(msg, `key column changed from "id" to "sku"`) {
		t.Errorf("message %q does not say what changed", msg)
	}
	c.Close()
	if c = open(t, path); fmt.Sprint(c.Fingerprint()) != fmt.Sprint(fp) {
		t.Errorf("a refused fingerprint was recorded: %v", c.Fingerprint())
	}
}

// TestFingerprintOptional: a checkpoint written without a fingerprint (by
// an older version) accepts one; parts the recorded one lacks are added.
func TestFingerprintOptional(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt")
	c := open(t, path)
	round(t, c, []string{"a"}, nil, true)
	c.Close()
	c = open(t, path)
	must(t, c.SetFingerprint(Fingerprint{"input": "a.csv"}))
	must(t, c.SetFingerprint(Fingerprint{"input": "a.csv", "output": "o.jsonl"}))
	c.Close()
	c = open(t, path)
	if got := fmt.Sprint(c.Fingerprint()); got != "map[input:a.csv output:o.jsonl]" || !c.Done("a") {
		t.Errorf("fingerprint %s, done(a)=%v", got, c.Done("a"))
	}
	if err := c.SetFingerprint(Fingerprint{"output": "p.jsonl"}); err == nil {
		t.Error("a changed added part was accepted")
	}
}

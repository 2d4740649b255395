package job

import (
	"strings"
	"testing"
)

func TestParseMemory(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		err  string
	}{
		{"", DefaultMemory, ""},
		{"256MiB", 256 << 20, ""},
		{"1GiB", 1 << 30, ""},
		{"1.5 GiB", 3 << 29, ""},
		{"512M", 512 << 20, ""},
		{"100MB", 100e6, ""},
		{"2G", 2 << 30, ""},
		{"33554432", 32 << 20, ""},
		{"20000KiB", 20000 << 10, ""},
		{"1MiB", 0, "below the minimum"},
		{"lots", 0, "invalid memory"},
		{"-5GiB", 0, "invalid memory"},
	} {
		got, err := ParseMemory(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseMemory(%q) = %d, %v; want an error containing %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseMemory(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

func TestMemoryBudgetOfJob(t *testing.T) {
	j := &Job{Memory: "1GiB"}
	if j.MemoryBytes() != 1<<30 || j.BodyBudget() != 128<<20 {
		t.Fatalf("memory %d, body budget %d", j.MemoryBytes(), j.BodyBudget())
	}
	if (&Job{}).MemoryBytes() != DefaultMemory {
		t.Fatal("the zero job's memory is not the default")
	}
}

func TestDecodeMemory(t *testing.T) {
	j, err := Decode("job.yaml", []byte(base+"memory: 64MiB\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if j.MemoryBytes() != 64<<20 {
		t.Fatalf("memory %d, want 64 MiB", j.MemoryBytes())
	}
	_, err = Decode("job.yaml", []byte(base+"memory: 2MiB\n"), Options{})
	if want := `job.yaml:10:1: memory: memory "2MiB" is below the minimum of 16MiB`; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
}

package job

import "testing"

func TestMaxFailures(t *testing.T) {
	for _, tc := range []struct {
		in           string
		failed, done int64
		final        bool
		want         bool
	}{
		{"", 1000, 1000, true, false},
		{"10", 10, 20, true, false},
		{"10", 11, 20, false, true},
		{"5%", 6, 100, false, true},
		{"5%", 5, 100, false, false},
		{"5%", 3, 10, false, false}, // below the minimum sample during the run
		{"5%", 3, 10, true, true},   // but counted at the end
		{"0.5%", 1, 100, true, true},
	} {
		m, err := ParseMaxFailures(tc.in)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if got := m.Exceeded(tc.failed, tc.done, tc.final); got != tc.want {
			t.Errorf("%q Exceeded(%d, %d, %v) = %v", tc.in, tc.failed, tc.done, tc.final, got)
		}
	}
	for _, bad := range []string{"lots", "-1", "0%", "101%", "5 %%", "1e3"} {
		if _, err := ParseMaxFailures(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"workers", "user_agent", "timeout", "retries", "per_host_rate", "per_host_concurrency"}
	for in, want := range map[string]string{"wrokers": "workers", "timout": "timeout", "retry": "retries", "useragent": "user_agent", "colour": "", "per_host_rat": "per_host_rate"} {
		if got := suggest(in, keys); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

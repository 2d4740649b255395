package editdist

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"price", "prize", 1},
		{"kitten", "sitting", 3}, {"café", "cafe", 1}, {"requird", "required", 1},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"text", "html", "required", "default:VALUE"}
	for w, want := range map[string]string{"requird": "required", "tetx": "text", "zzzzzz": "", "": ""} {
		if got := Closest(w, cands); got != want {
			t.Errorf("Closest(%q) = %q, want %q", w, got, want)
		}
	}
}

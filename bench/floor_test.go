package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/testsite"
)

// bench/floor asks for every page once, kept-alive, and fails on what
// it cannot read rather than counting it as fetched.
func TestFloor(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Pages: 40})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	floor := func(urls ...string) (string, error) {
		path := filepath.Join(dir, "urls.txt")
		if err := os.WriteFile(path, []byte(strings.Join(urls, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bins.floor, "-urls", path, "-workers", "4").CombinedOutput()
		return string(out), err
	}

	var urls []string
	for id := range 40 {
		urls = append(urls, srv.PageURL(id))
	}
	if out, err := floor(urls...); err != nil {
		t.Fatalf("floor: %v\n%s", err, out)
	}
	for id := range 40 {
		if n := srv.Requests(testsite.PagePath(id)); n != 1 {
			t.Errorf("page %d asked %d times, want 1", id, n)
		}
	}
	if peak := srv.PeakConcurrency(strings.TrimPrefix(srv.URL(), "http://")); peak < 1 || peak > 4 {
		t.Errorf("%d requests in flight at once with 4 workers, want 1–4", peak)
	}

	for _, c := range []struct {
		urls []string
		want string
	}{
		{[]string{srv.PageURL(1), srv.URL() + "/no-such-page"}, `"/no-such-page": answered "HTTP/1.1 404 Not Found"`},
		{[]string{srv.PageURL(1), srv.AltURL() + testsite.PagePath(2)}, "every URL must be http:// on"},
		{[]string{"https://" + strings.TrimPrefix(srv.PageURL(1), "http://")}, "every URL must be http://"},
	} {
		out, err := floor(c.urls...)
		if err == nil || !strings.Contains(out, c.want) {
			t.Errorf("floor over %v: %v, %q; want an error saying %q", c.urls, err, out, c.want)
		}
	}
}

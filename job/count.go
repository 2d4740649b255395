package job

import (
	"bufio"
	"bytes"
	"context"
	"fmt"

	"github.com/sluicehq/sluice/sources"
)

// countCheckEvery is how many lines countInputs reads between two looks
// at its context: ~1 ms of reading.
const countCheckEvery = 1 << 14

// countInputs counts the lines of path that a source turns into inputs:
// not blank (white space only, or only CSV delimiters), and for lines
// files not a '#' comment. header drops the first counted line. The
// count is what the progress total and ETA use; a CSV field holding a
// line break makes it an estimate, and the bars end at the real count.
// It stops with ctx's error when ctx is done.
func countInputs(ctx context.Context, path string, comments, header bool) (int64, error) {
	f, err := sources.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var n int64
	for lines := 0; sc.Scan(); lines++ {
		if lines%countCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		line := bytes.TrimSpace(sc.Bytes())
		if len(bytes.Trim(line, ",;\t|")) == 0 || (comments && line[0] == '#') {
			continue
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("job: count inputs of %s: %w", path, err)
	}
	if header && n > 0 {
		n--
	}
	return n, nil
}

package job

import (
	"bufio"
	"bytes"
	"fmt"

	"github.com/sluicehq/sluice/sources"
)

// countInputs counts the lines of path that a source turns into inputs:
// not blank (white space only, or only CSV delimiters), and for lines
// files not a '#' comment. header drops the first counted line. The
// count is what the progress total and ETA use; a CSV field holding a
// line break makes it an estimate, and the bars end at the real count.
func countInputs(path string, comments, header bool) (int64, error) {
	f, err := sources.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var n int64
	for sc.Scan() {
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

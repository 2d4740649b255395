package job

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	"github.com/sluicehq/sluice/resume"
)

// inputPart names the fingerprint part that records the input file of a
// job whose inputs are keyed by line number: how many bytes it held when
// the checkpoint began, and their CRC-32C.
const inputPart = "input content"

// lineKeyed reports whether the job's inputs are keyed by their line in a
// regular file (no key column): then a key means a line, and the lines a
// checkpoint records done must stay where they were for a resume.
func (j *Job) lineKeyed() bool {
	return j.Source.KeyColumn == "" && j.Crawl == nil && j.Source.Path != "" && j.Source.Path != "-" && regularFile(j.Source.Path)
}

// checkInput keeps a resume of a line-keyed job from mixing up its
// inputs. A checkpoint's first run records the input's size and checksum
// (recordInput); a resume checks that the input still begins with those
// bytes, so lines added at its end are welcome and lines inserted,
// removed or edited above it are refused: keyed by line number, a resume
// would skip the wrong inputs and run others twice.
func (j *Job) checkInput(ckpt resume.Store) error {
	if !j.lineKeyed() {
		return nil
	}
	if was, ok := ckpt.Fingerprint()[inputPart]; ok {
		var n int64
		var sum uint32
		if _, err := fmt.Sscanf(was, "%d bytes, crc32c %08x", &n, &sum); err != nil {
			return fmt.Errorf("job: checkpoint %s: %s %q: %w", j.Checkpoint, inputPart, was, err)
		}
		size, got, err := checksum(context.Background(), j.Source.Path, n)
		if err != nil {
			return fmt.Errorf("job: %w", err)
		}
		if size < n || got != sum {
			return &UsageError{Err: fmt.Errorf("cannot resume: %s changed since the checkpoint was written, not only by lines added at its end; "+
				"its inputs are keyed by their line, so a resume would skip the wrong ones and run others twice: "+
				"pass --restart to start over, or set source.key_column to a column that names each input", j.Source.Path)}
		}
	}
	return nil
}

// recordInput records the input's size and checksum in a fresh
// checkpoint, for checkInput. A run does it beside the pipeline (the
// first request does not wait for a large input to be read); a run killed
// before it is done leaves a resume unchecked, as before this existed.
func (j *Job) recordInput(ctx context.Context, ckpt resume.Store) error {
	size, sum, err := checksum(ctx, j.Source.Path, -1)
	if err != nil {
		return fmt.Errorf("job: %w", err)
	}
	return ckpt.SetFingerprint(resume.Fingerprint{inputPart: fmt.Sprintf("%d bytes, crc32c %08x", size, sum)})
}

// checksum is the CRC-32C of the first n bytes of the file at path (all
// of it when n < 0), and how many bytes that was. It stops with ctx's
// error when ctx is done.
func checksum(ctx context.Context, path string, n int64) (int64, uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var r io.Reader = f
	if n >= 0 {
		r = io.LimitReader(f, n)
	}
	table := crc32.MakeTable(crc32.Castagnoli)
	buf := make([]byte, 1<<20)
	var size int64
	var sum uint32
	for {
		if err := ctx.Err(); err != nil {
			return size, 0, err
		}
		k, err := r.Read(buf)
		sum = crc32.Update(sum, table, buf[:k])
		size += int64(k)
		if errors.Is(err, io.EOF) {
			return size, sum, nil
		}
		if err != nil {
			return size, 0, fmt.Errorf("checksum %s: %w", path, err)
		}
	}
}

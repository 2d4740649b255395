package resume

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"
)

// The checkpoint is a text file of lines, each
//
//	<crc32c of payload, 8 hex digits> <payload>\n
//
// where the payload is JSON: first a header, then for every commit round a
// prepare line with the round's key hashes and the file sinks' offsets,
// and a commit line once the sinks have committed:
//
//	{"sluice_checkpoint":1,"hash":"fnv1a64"}
//	{"prepare":7,"offsets":{"jsonl:out.jsonl":52311},"keys":"<16 hex digits per key>"}
//	{"commit":7}
//
// and, anywhere after the header, a fingerprint line (see
// Checkpoint.SetFingerprint), which readers before it ignore:
//
//	{"fingerprint":{"input":"urls.csv","key column":"id"}}
//
// A line without its newline or with a wrong checksum at the end of the
// file is a torn write from a crash: it is ignored and cut off.

const (
	formatVersion = 1
	hashName      = "fnv1a64"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// entry is the payload of one line.
type entry struct {
	Version int              `json:"sluice_checkpoint,omitempty"`
	Hash    string           `json:"hash,omitempty"`
	Prepare uint64           `json:"prepare,omitempty"`
	Offsets map[string]int64 `json:"offsets,omitempty"`
	Keys    string           `json:"keys,omitempty"`
	Commit  uint64           `json:"commit,omitempty"`
	// Fingerprint is the job's fingerprint; the last one read wins.
	Fingerprint Fingerprint `json:"fingerprint,omitempty"`
}

// encodeLine frames an entry as one checksummed line.
func encodeLine(e entry) ([]byte, error) {
	payload, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	line := make([]byte, 0, len(payload)+10)
	line = fmt.Appendf(line, "%08x ", crc32.Checksum(payload, crcTable))
	line = append(line, payload...)
	return append(line, '\n'), nil
}

// errBadLine is a line that is torn or fails its checksum.
var errBadLine = errors.New("bad checkpoint line")

// decodeLine parses one line, including its trailing newline.
func decodeLine(line []byte) (entry, error) {
	var e entry
	if len(line) < 10 || line[len(line)-1] != '\n' || line[8] != ' ' {
		return e, errBadLine
	}
	sum, err := strconv.ParseUint(string(line[:8]), 16, 32)
	payload := line[9 : len(line)-1]
	if err != nil || uint32(sum) != crc32.Checksum(payload, crcTable) {
		return e, errBadLine
	}
	if err := json.Unmarshal(payload, &e); err != nil {
		return e, errBadLine
	}
	return e, nil
}

// encodeHashes renders hashes as 16 hex digits each.
func encodeHashes(hs []uint64) string {
	buf := make([]byte, 0, 16*len(hs))
	for _, h := range hs {
		buf = fmt.Appendf(buf, "%016x", h)
	}
	return string(buf)
}

// decodeHashes parses what encodeHashes wrote.
func decodeHashes(s string) ([]uint64, error) {
	if len(s)%16 != 0 {
		return nil, fmt.Errorf("resume: key list of %d hex digits", len(s))
	}
	hs := make([]uint64, 0, len(s)/16)
	var b [8]byte
	for i := 0; i < len(s); i += 16 {
		if _, err := hex.Decode(b[:], []byte(s[i:i+16])); err != nil {
			return nil, fmt.Errorf("resume: key list: %w", err)
		}
		var h uint64
		for _, x := range b {
			h = h<<8 | uint64(x)
		}
		hs = append(hs, h)
	}
	return hs, nil
}

package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
)

// residentOwn is how much of the process's resident memory is its own
// mapped files (the binary's code and data: RssFile and RssShmem of
// /proc/self/status), which the Go runtime's memory accounting leaves out.
func residentOwn() (int64, bool) {
	v, ok := procStatus("RssFile:", "RssShmem:")
	return v[0] + v[1], ok
}

// residentPeak is the process's peak resident memory so far (VmHWM).
func residentPeak() (int64, bool) {
	v, ok := procStatus("VmHWM:")
	return v[0], ok
}

// procStatus reads the given fields of /proc/self/status, in bytes; ok is
// false unless every one was found.
func procStatus(fields ...string) ([]int64, bool) {
	out := make([]int64, len(fields))
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return out, false
	}
	found := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Bytes()
		for i, f := range fields {
			rest, ok := bytes.CutPrefix(line, []byte(f))
			if !ok {
				continue
			}
			kb, ok := bytes.CutSuffix(bytes.TrimSpace(rest), []byte(" kB"))
			if n, err := strconv.ParseInt(string(kb), 10, 64); ok && err == nil {
				out[i] = n << 10
				found++
			}
		}
	}
	return out, found == len(fields)
}

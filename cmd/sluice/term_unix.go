//go:build unix

package main

import "golang.org/x/sys/unix"

// termWidth is the width of the terminal on fd, 0 when unknown (a pseudo
// terminal without a size, as some CI runners have).
func termWidth(fd uintptr) int {
	ws, err := unix.IoctlGetWinsize(int(fd), unix.TIOCGWINSZ)
	if err != nil {
		return 0
	}
	return int(ws.Col)
}

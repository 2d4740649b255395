//go:build !unix

package main

// termWidth assumes a usable width where it cannot ask the terminal.
func termWidth(uintptr) int { return 80 }

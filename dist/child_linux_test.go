package dist

import (
	"os/exec"
	"syscall"
)

// dieWithParent kills a worker child when the test process dies.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

package pgcluster

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal makes the kernel send the postmaster SIGQUIT (immediate
// shutdown) when the thread that started it exits; Start keeps that thread
// alive for the server's life, so in effect when this process dies.
func setParentDeathSignal(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
}

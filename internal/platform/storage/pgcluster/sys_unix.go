//go:build unix

package pgcluster

import (
	"io/fs"
	"os/exec"
	"syscall"
)

// quitSignal asks the postmaster for an immediate shutdown, as
// pg_ctl stop -m immediate does.
var quitSignal = syscall.SIGQUIT

func setCredential(cmd *exec.Cmd, c *credential) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	// No supplementary groups: the child gets exactly the user's primary group.
	cmd.SysProcAttr.Credential = &syscall.Credential{Uid: c.uid, Gid: c.gid}
}

func owner(fi fs.FileInfo) (uid, gid uint32, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return st.Uid, st.Gid, true
}

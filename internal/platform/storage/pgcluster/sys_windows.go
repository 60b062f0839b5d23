package pgcluster

import (
	"io/fs"
	"os"
	"os/exec"
)

var quitSignal = os.Kill

func setCredential(*exec.Cmd, *credential) {}

func owner(fs.FileInfo) (uid, gid uint32, ok bool) { return 0, 0, false }

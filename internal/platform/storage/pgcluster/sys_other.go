//go:build !linux

package pgcluster

import "os/exec"

// setParentDeathSignal is Linux-only; elsewhere a caller that dies without
// Stop leaves the postmaster running.
func setParentDeathSignal(*exec.Cmd) {}

package bench

import (
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"
)

// treeCPU adds the CPU time of a process's children, running or exited, to
// its own; processCPU does not.
func TestTreeCPUCountsChildren(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc") // CI runs on Linux
	}
	self := os.Getpid()
	burn := func() *exec.Cmd { // about 0.2–0.5 s of CPU in a shell loop
		return exec.Command("sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done")
	}
	own0, tree0 := processCPU(self), treeCPU(self)
	if err := burn().Run(); err != nil {
		t.Fatal(err)
	}
	own1, tree1 := processCPU(self), treeCPU(self)
	if got := (tree1 - tree0) - (own1 - own0); got < 50*time.Millisecond {
		t.Fatalf("an exited child's CPU: tree grew %v, own %v", tree1-tree0, own1-own0)
	}

	running := burn()
	if err := running.Start(); err != nil {
		t.Fatal(err)
	}
	defer running.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for treeCPU(self)-tree1-(processCPU(self)-own1) < 50*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatal("a running child's CPU is not counted")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

package bench

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPU time, read from /proc on Linux (0 elsewhere). Unlike requests per
// second it hardly depends on what else the machine is doing, and added up
// over the server, the database and the load generator it says how far a
// CPU-bound machine can go.

// clockTick is the unit of /proc/<pid>/stat's times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// procStat is what the bench reads of /proc/<pid>/stat.
type procStat struct {
	ppid int
	own  time.Duration // utime + stime
	dead time.Duration // cutime + cstime: children that have exited
}

func readStat(pid int) (procStat, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, false
	}
	// The fields after the parenthesised command name, from the 3rd (state)
	// on: ppid is the 4th of the line, utime…cstime the 14th to 17th.
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 15 {
		return procStat{}, false
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(f[i], 10, 64); return v }
	return procStat{
		ppid: int(n(1)),
		own:  time.Duration(n(11)+n(12)) * clockTick,
		dead: time.Duration(n(13)+n(14)) * clockTick,
	}, true
}

// processCPU is one process's user+system CPU time so far.
func processCPU(pid int) time.Duration {
	st, _ := readStat(pid)
	return st.own
}

// treeCPU is the CPU time so far of a process and its children, living or
// exited: a PostgreSQL postmaster and every server process it started.
func treeCPU(root int) time.Duration {
	st, ok := readStat(root)
	if !ok {
		return 0
	}
	total := st.own + st.dead
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == root {
			continue
		}
		if c, ok := readStat(pid); ok && c.ppid == root {
			total += c.own + c.dead
		}
	}
	return total
}

// selfCPU is this process's user+system CPU time so far: the load
// generator's, while a run is the only thing it does.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measured runs a timed load against c and adds the CPU time per request of
// the server, of the database's own processes (dbCPU; nil when the database
// is in the server's process) and of the load generator to the figures.
func measured(c *child, dbCPU func() time.Duration, run func() Stats) Stats {
	if dbCPU == nil {
		dbCPU = func() time.Duration { return 0 }
	}
	pid := c.cmd.Process.Pid
	sc, dc, lc := processCPU(pid), dbCPU(), selfCPU()
	s := run()
	if n := time.Duration(s.Requests); n > 0 {
		s.ServerCPU = (processCPU(pid) - sc) / n
		s.DBCPU = (dbCPU() - dc) / n
		s.LoadCPU = (selfCPU() - lc) / n
	}
	return s
}

package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// child is a server process started from this same binary.
type child struct {
	cmd  *exec.Cmd
	addr string
	log  *strings.Builder
}

// freeAddr picks a free loopback port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startChild runs this binary with args plus -listen addr and waits until
// path answers.
func startChild(ctx context.Context, readyPath string, args ...string) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	c := &child{addr: addr, log: &strings.Builder{}}
	c.cmd = exec.Command(exe, append(args, "-listen", addr)...)
	c.cmd.Stdout, c.cmd.Stderr = io.Discard, c.log
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the bench
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		res, err := http.Get("http://" + addr + readyPath)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return c, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.kill()
	return nil, fmt.Errorf("bench: %s did not become ready: %s", strings.Join(args, " "), c.log.String())
}

// kill sends SIGKILL and reaps the process.
func (c *child) kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	_ = c.cmd.Wait()
}

// stop asks for a graceful shutdown.
func (c *child) stop() {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		c.kill()
	}
}

// peakRSS is the child's peak resident memory in MB (Linux), 0 when unknown.
func (c *child) peakRSS() float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(c.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// ServeTrivial is the ceiling the bench compares Fangkong with: a handler
// that reads a JSON body and answers a small JSON document, nothing else.
func ServeTrivial(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: trivialMux(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}

func trivialMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":1,"status":"created"}` + "\n"))
	})
	return mux
}

// commitGroups reads the group committer's counters from the child's
// /metrics: transactions written and passages they carried.
func (c *child) commitGroups() (groups, rows float64) {
	res, err := http.Get("http://" + c.addr + "/metrics")
	if err != nil {
		return 0, 0
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "fangkong_passage_commit_groups_total "); ok {
			groups, _ = strconv.ParseFloat(v, 64)
		}
		if v, ok := strings.CutPrefix(line, "fangkong_passage_commit_rows_total "); ok {
			rows, _ = strconv.ParseFloat(v, 64)
		}
	}
	return groups, rows
}

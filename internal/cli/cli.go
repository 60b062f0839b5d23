// Package cli is the fangkong command line: one binary whose subcommands serve,
// load the demo, migrate, administer users and measure performance.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"fangkong/internal/platform/config"
)

// Version is set at build time with -ldflags "-X fangkong/internal/cli.Version=…".
var Version = "dev"

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, io *ioset, args []string) error
}

type ioset struct{ out, err io.Writer }

func commands() map[string]command {
	return map[string]command{
		"serve":   {"run the server", runServe},
		"demo":    {"load the Ningjin 2020-02-22 demo scenario into a fresh database, then serve", runDemo},
		"migrate": {"apply database migrations and exit", runMigrate},
		"user":    {"manage accounts: add, passwd, grant, list", runUser},
		"bench":   {"measure passage ingest, durability under SIGKILL and co-presence search", runBench},
		"org":     {"create the county in a fresh database: org init CODE NAME", runOrg},
		"version": {"print the version", func(_ context.Context, s *ioset, _ []string) error {
			fmt.Fprintln(s.out, "fangkong", Version)
			return nil
		}},
	}
}

// Main runs the command line and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	s := &ioset{out: stdout, err: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(s.out)
		return 0
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(s.err, "fangkong: unknown command %q\n\n", args[0])
		usage(s.err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd.run(ctx, s, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(s.err, "fangkong:", err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "fangkong — 防控: epidemic control and work resumption command system\n\nUsage: fangkong <command> [flags]\n\nCommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun `fangkong <command> -h` for its flags.")
}

// parseConfig binds the configuration table plus extra flags, parses args and
// finishes the config.
func parseConfig(name string, s *ioset, args []string, extra func(fs *flag.FlagSet)) (*config.Config, []string, error) {
	fs := flag.NewFlagSet("fangkong "+name, flag.ContinueOnError)
	fs.SetOutput(s.err)
	var cfg config.Config
	cfg.Bind(fs)
	if extra != nil {
		extra(fs)
	}
	// Flags may come before or after the positional words ("user add zhang
	// -db x" and "user add -db x zhang" both work), so parse again after each word.
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return &cfg, words, cfg.Finish()
}

// newLogger writes structured JSON logs to w.
func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

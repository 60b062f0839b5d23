package config

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

func parse(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	var c Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	c.Bind(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return &c, c.Finish()
}

func TestDefaults(t *testing.T) {
	c, err := parse(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.Database != filepath.Join("data", "fangkong.db") || c.Lang != "zh" || c.Zone != "Asia/Shanghai" {
		t.Errorf("defaults: %+v", c)
	}
}

func TestEnvAndFileSecrets(t *testing.T) {
	t.Setenv("FANGKONG_LISTEN", ":9999")
	f := filepath.Join(t.TempDir(), "db")
	os.WriteFile(f, []byte("postgres://u:secret@h/db\n"), 0o600)
	t.Setenv("FANGKONG_DB_FILE", f)
	c, err := parse(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":9999" || c.Database != "postgres://u:secret@h/db" {
		t.Errorf("got %+v", c)
	}
	c, _ = parse(t, "-listen", ":1")
	if c.Listen != ":1" {
		t.Error("flag must win over environment")
	}
}

func TestBadValues(t *testing.T) {
	for _, args := range [][]string{{"-lang", "fr"}, {"-tls-cert", "x"}, {"-zone", "Mars/Base"}, {"-default-date", "22/02/2020"}} {
		if _, err := parse(t, args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

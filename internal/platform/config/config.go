// Package config is Fangkong's one typed configuration table: every option
// has a flag, an environment variable, a default and a help line, and the
// resulting Config is passed explicitly (there is no global). An option whose
// environment variable ends in _FILE reads its value from that file, for secrets.
package config

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is the resolved configuration.
type Config struct {
	Listen      string // address to listen on
	DataDir     string // where the embedded database, keys and uploads live
	Database    string // SQLite path or postgres:// URL
	Lang        string // default language for visitors: zh or en
	BaseURL     string // public URL, for links in QR codes and printouts
	TLSCert     string // certificate file; with TLSKey serves HTTPS
	TLSKey      string
	Zone        string // the county's time zone
	DefaultDate string // 'YYYY-MM-DD' shown by "as of" pages when none is asked (the demo's 2020-02-22)
	LogLevel    string // debug, info, warn, error
	MaxBodyKB   int    // request body limit for forms and API calls
	DebugListen string // address of the profiling listener (net/http/pprof); empty: none
}

// option is one row of the table.
type option struct {
	name, env, def, help string
	ptr                  *string
}

func (c *Config) options() []option {
	return []option{
		{"listen", "FANGKONG_LISTEN", "127.0.0.1:8080", "address to listen on", &c.Listen},
		{"data", "FANGKONG_DATA", "data", "data directory (embedded database, keys, uploads)", &c.DataDir},
		{"db", "FANGKONG_DB", "", "database: a SQLite file path or a postgres:// URL (default: <data>/fangkong.db)", &c.Database},
		{"lang", "FANGKONG_LANG", "zh", "default language for visitors: zh or en", &c.Lang},
		{"base-url", "FANGKONG_BASE_URL", "", "public base URL, for links in QR codes and printouts", &c.BaseURL},
		{"tls-cert", "FANGKONG_TLS_CERT", "", "TLS certificate file (serve HTTPS; camera scanning needs it)", &c.TLSCert},
		{"tls-key", "FANGKONG_TLS_KEY", "", "TLS private key file", &c.TLSKey},
		{"zone", "FANGKONG_ZONE", "Asia/Shanghai", "the county's time zone", &c.Zone},
		{"default-date", "FANGKONG_DEFAULT_DATE", "", "date shown by dashboards when none is asked (YYYY-MM-DD; default today)", &c.DefaultDate},
		{"log-level", "FANGKONG_LOG_LEVEL", "info", "log level: debug, info, warn, error", &c.LogLevel},
		{"debug-listen", "FANGKONG_DEBUG_LISTEN", "", "address of a separate profiling listener (Go pprof; keep it on loopback)", &c.DebugListen},
	}
}

// Bind registers every option on fs, with defaults taken from the environment.
// Call Finish after fs.Parse.
func (c *Config) Bind(fs *flag.FlagSet) {
	for _, o := range c.options() {
		fs.StringVar(o.ptr, o.name, envOr(o.env, o.def), o.help+" [$"+o.env+"]")
	}
	c.MaxBodyKB = 1024
}

// envOr reads NAME, or the file named by NAME_FILE, or returns def.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	if f, ok := os.LookupEnv(name + "_FILE"); ok {
		if b, err := os.ReadFile(f); err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	return def
}

// Finish fills derived defaults and checks values.
func (c *Config) Finish() error {
	if c.Database == "" {
		c.Database = filepath.Join(c.DataDir, "fangkong.db")
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("config: -tls-cert and -tls-key go together")
	}
	if _, err := time.LoadLocation(c.Zone); err != nil {
		return fmt.Errorf("config: zone %q: %w", c.Zone, err)
	}
	if c.DefaultDate != "" {
		if _, err := time.Parse("2006-01-02", c.DefaultDate); err != nil {
			return fmt.Errorf("config: default-date %q is not YYYY-MM-DD", c.DefaultDate)
		}
	}
	if c.Lang != "zh" && c.Lang != "en" {
		return fmt.Errorf("config: lang must be zh or en, not %q", c.Lang)
	}
	return nil
}

// Location is the county's time zone.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Zone)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

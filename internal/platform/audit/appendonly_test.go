package audit_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// rewrites matches SQL that changes or removes audit rows: UPDATE, DELETE,
// TRUNCATE, DROP, SQLite's REPLACE and an upsert that updates on conflict.
// (ALTER TABLE … ADD COLUMN stays allowed: it changes no entry.)
var rewrites = regexp.MustCompile(`(?is)\b(?:update\s+audit_log\b|delete\s+from\s+audit_log\b|` +
	`truncate\s+(?:table\s+)?(?:only\s+)?audit_log\b|drop\s+table\s+(?:if\s+exists\s+)?audit_log\b|` +
	`replace\s+into\s+audit_log\b|` +
	`insert\s+into\s+audit_log\b[^;` + "`" + `]*?\bdo\s+update\b)`)

func TestRewriteDetector(t *testing.T) {
	bad := []string{
		"UPDATE audit_log SET actor = 'x'",
		"update  audit_log\n set after_json = ''",
		"DELETE FROM audit_log WHERE at < $1",
		"TRUNCATE audit_log", "truncate table only audit_log",
		"DROP TABLE IF EXISTS audit_log",
		"INSERT OR REPLACE INTO audit_log (id) VALUES (1)",
		"REPLACE INTO audit_log (id) VALUES (1)",
		"INSERT INTO audit_log (id, actor) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET actor = 'y'",
	}
	for _, s := range bad {
		if !rewrites.MatchString(s) {
			t.Errorf("not detected: %s", s)
		}
	}
	good := []string{
		"INSERT INTO audit_log (at, actor) VALUES ($1, $2)",
		"SELECT * FROM audit_log a WHERE a.id < $1",
		"CREATE INDEX audit_log_at ON audit_log(at)",
		"ALTER TABLE audit_log ADD COLUMN reason TEXT NOT NULL DEFAULT ''",
		"UPDATE audit_logins SET x = 1",
		"INSERT INTO audit_log (at) VALUES ($1); UPDATE cases SET version = 2 ON CONFLICT DO UPDATE",
	}
	for _, s := range good {
		if rewrites.MatchString(s) {
			t.Errorf("false alarm: %s", s)
		}
	}
}

// TestNothingRewritesTheLog is the append-only guard: no Go source, test or
// migration of the module may update, delete, truncate, drop or upsert audit
// rows. The schema carries no trigger for it (see Store for why); this test
// and the database role's grants are the guard.
func TestNothingRewritesTheLog(t *testing.T) {
	root := moduleRoot(t)
	self, _ := filepath.Abs("appendonly_test.go")
	scanned := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); (ext != ".go" && ext != ".sql") || path == self {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned++
		if m := rewrites.Find(b); m != nil {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s rewrites the append-only audit log: %q", rel, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 10 {
		t.Fatalf("scanned only %d files under %s", scanned, root)
	}
}

// moduleRoot is the directory holding go.mod, above the test's directory.
func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

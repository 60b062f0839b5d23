package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUserCommands(t *testing.T) {
	data := t.TempDir()
	db := filepath.Join(data, "f.db")
	if code, out, errs := run(t, "demo", "-db", db, "-load-only", "-password", "demo-pass-123"); code != 0 || !strings.Contains(out, "commander") {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	code, out, _ := run(t, "user", "add", "zhang", "-db", db, "-display", "张指挥")
	if code != 0 || !strings.Contains(out, "created zhang with password ") {
		t.Fatalf("add: %d %s", code, out)
	}
	if code, out, errs := run(t, "user", "grant", "zhang", "township_admin", "130528100", "-db", db); code != 0 {
		t.Fatalf("grant: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "user", "grant", "zhang", "janitor", "130528100", "-db", db); code != 1 || !strings.Contains(errs, "role") {
		t.Errorf("bad role: %d %s", code, errs)
	}
	if code, _, errs := run(t, "user", "grant", "zhang", "leader", "999999", "-db", db); code != 1 || !strings.Contains(errs, "999999") {
		t.Errorf("bad scope: %d %s", code, errs)
	}
	if code, _, errs := run(t, "user", "add", "zhang", "-db", db); code != 1 || !strings.Contains(errs, "taken") {
		t.Errorf("duplicate: %d %s", code, errs)
	}
	code, out, _ = run(t, "user", "list", "-db", db)
	if code != 0 || !strings.Contains(out, "township_admin@凤凰镇") {
		t.Errorf("list: %s", out)
	}
	if code, out, _ := run(t, "user", "passwd", "zhang", "-db", db, "-password", "a-new-password-9"); code != 0 {
		t.Errorf("passwd: %d %s", code, out)
	}
}

func TestOrgInit(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	if code, out, errs := run(t, "org", "init", "130528", "宁晋县", "Ningjin County", "-db", db); code != 0 || !strings.Contains(out, "created 130528") {
		t.Fatalf("init: %d %s %s", code, out, errs)
	}
	if code, _, _ := run(t, "org", "init", "130529", "另一县", "-db", db); code != 1 {
		t.Error("a second root must be refused")
	}
	run(t, "user", "add", "li", "-db", db, "-password", "long-password-1")
	if code, _, errs := run(t, "user", "grant", "li", "commander", "130528", "-db", db); code != 0 {
		t.Errorf("grant on the new county: %s", errs)
	}
}

func TestUsage(t *testing.T) {
	if code, out, _ := run(t); code != 0 || !strings.Contains(out, "serve") {
		t.Errorf("help: %d %s", code, out)
	}
	if code, _, errs := run(t, "launch"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown: %d %s", code, errs)
	}
	if code, out, _ := run(t, "version"); code != 0 || !strings.HasPrefix(out, "fangkong ") {
		t.Errorf("version: %s", out)
	}
	if code, _, _ := run(t, "serve", "-lang", "fr"); code != 1 {
		t.Errorf("bad config must fail: %d", code)
	}
}

package cli

import (
	"context"
	"errors"
	"fmt"

	"fangkong/internal/app"
	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
)

const orgUsage = `usage:
  fangkong org init CODE NAME [NAME_EN]   create the county (the root of the territory tree) in an empty database,
                                          e.g. fangkong org init 130528 宁晋县 "Ningjin County"
Townships and villages are then added on the /org pages, through the API, or imported from Excel.`

// runOrg bootstraps a fresh installation's territory: without a county no
// account can be granted a scope.
func runOrg(ctx context.Context, s *ioset, args []string) error {
	if len(args) == 0 || args[0] != "init" {
		return errors.New(orgUsage)
	}
	cfg, rest, err := parseConfig("org init", s, args[1:], nil)
	if err != nil {
		return err
	}
	if len(rest) < 2 || len(rest) > 3 {
		return errors.New(orgUsage)
	}
	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	n := org.Node{Code: rest[0], NameZH: rest[1]}
	if len(rest) == 3 {
		n.NameEN = rest[2]
	}
	saved, err := (&org.Store{DB: db}).Save(ctx, auth.System("cli"), n)
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(s.out, "created %s %s (id %d)\n", saved.Code, saved.NameZH, saved.ID)
	return nil
}

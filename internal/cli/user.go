package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"fangkong/internal/app"
	"fangkong/internal/org"
	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

const userUsage = `usage:
  fangkong user add NAME [-display "姓名"] [-password PW]   (no -password: a generated one, changed at first login)
  fangkong user passwd NAME [-password PW]
  fangkong user grant NAME ROLE SCOPE     SCOPE is an org code (130528100) or kind:id (checkpoint:3)
  fangkong user list
roles: commander leader township_admin village_cadre checkpoint_staff site_staff department_officer inspector enterprise_officer auditor`

func runUser(ctx context.Context, s *ioset, args []string) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	sub := args[0]
	var display, password string
	cfg, rest, err := parseConfig("user "+sub, s, args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&display, "display", "", "display name")
		fs.StringVar(&password, "password", "", "password (default: generated, must be changed at first login)")
	})
	if err != nil {
		return err
	}
	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	store := &auth.Store{DB: db, Audit: audit.Write}
	switch sub {
	case "add":
		return userAdd(ctx, s, store, rest, display, password)
	case "passwd":
		return userPasswd(ctx, s, store, rest, password)
	case "grant":
		return userGrant(ctx, s, store, db, rest)
	case "list":
		return userList(ctx, s, store)
	}
	return errors.New(userUsage)
}

func userAdd(ctx context.Context, s *ioset, store *auth.Store, rest []string, display, password string) error {
	if len(rest) != 1 {
		return errors.New(userUsage)
	}
	generated := password == ""
	if generated {
		password = auth.GeneratePassword()
	}
	_, err := store.CreateUser(ctx, auth.NewUser{Username: rest[0], DisplayName: display, Password: password,
		Lang: i18n.ZH, MustChangePassword: generated})
	if err != nil {
		return explain(err)
	}
	if generated {
		fmt.Fprintf(s.out, "created %s with password %s (to be changed at first login)\n", rest[0], password)
	} else {
		fmt.Fprintf(s.out, "created %s\n", rest[0])
	}
	return nil
}

func userPasswd(ctx context.Context, s *ioset, store *auth.Store, rest []string, password string) error {
	if len(rest) != 1 {
		return errors.New(userUsage)
	}
	generated := password == ""
	if generated {
		password = auth.GeneratePassword()
	}
	if err := store.SetPassword(ctx, rest[0], password, generated); err != nil {
		return explain(err)
	}
	if generated {
		fmt.Fprintf(s.out, "new password for %s: %s (to be changed at first login)\n", rest[0], password)
	}
	return nil
}

func userGrant(ctx context.Context, s *ioset, store *auth.Store, db *storage.DB, rest []string) error {
	if len(rest) != 3 {
		return errors.New(userUsage)
	}
	g := auth.Grant{Role: auth.Role(rest[1])}
	if kind, id, ok := strings.Cut(rest[2], ":"); ok {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return fmt.Errorf("bad scope id %q", id)
		}
		g.ScopeKind, g.ScopeID = auth.ScopeKind(kind), n
	} else {
		node, err := (&org.Store{DB: db}).ByCode(ctx, rest[2])
		if err != nil {
			return fmt.Errorf("no org node with code %s", rest[2])
		}
		g.ScopeKind, g.ScopeID = auth.ScopeNode, node.ID
	}
	if err := store.AddGrant(ctx, rest[0], g); err != nil {
		return explain(err)
	}
	fmt.Fprintf(s.out, "granted %s to %s on %s\n", g.Role, rest[0], rest[2])
	return nil
}

func userList(ctx context.Context, s *ioset, store *auth.Store) error {
	users, err := store.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tNAME\tGRANTS")
	for _, u := range users {
		var gs []string
		for _, g := range u.Grants {
			name := g.ScopeName
			if name == "" {
				name = fmt.Sprintf("%s:%d", g.ScopeKind, g.ScopeID)
			}
			gs = append(gs, string(g.Role)+"@"+name)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Username, u.DisplayName, strings.Join(gs, ", "))
	}
	return tw.Flush()
}

package demo

import (
	"context"
	"fmt"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
)

// demoAccount is one account of the banner. People are roles, not the
// officials the report names.
type demoAccount struct {
	username, display string
	role              auth.Role
	node              string // Chinese name of the org node, for a node scope
	dept              string // Chinese name of the department, for a department scope
}

// accounts are one per role the platform knows so far; modules with their own
// scopes (checkpoints, sites, enterprises) add theirs with addAccount.
var accounts = []demoAccount{
	{username: "commander", display: "指挥部值班员", role: auth.Commander, node: "宁晋县"},
	{username: "leader", display: "包联县领导", role: auth.Leader, node: "宁晋县"},
	{username: "auditor", display: "县审计员", role: auth.Auditor, node: "宁晋县"},
	{username: "admin-fenghuang", display: "凤凰镇防控办管理员", role: auth.TownshipAdmin, node: "凤凰镇"},
	{username: "cadre-dongwang", display: "东汪村防控专干", role: auth.VillageCadre, node: "东汪村"},
	{username: "inspector", display: "县督查组组员", role: auth.Inspector, node: "宁晋县"},
	{username: "dept-health", display: "县卫健局工作人员", role: auth.DepartmentOfficer, dept: "县卫生健康局"},
}

// loadAccounts creates the demo accounts with the chosen password.
func loadAccounts(ctx context.Context, sc *scenario) error {
	for _, a := range accounts {
		g := auth.Grant{Role: a.role}
		var zh, en string
		switch {
		case a.node != "":
			n, err := sc.node(a.node)
			if err != nil {
				return err
			}
			g.ScopeKind, g.ScopeID, zh, en = auth.ScopeNode, n.ID, n.NameZH, n.NameEN
		default:
			d, ok := sc.depts[a.dept]
			if !ok {
				return fmt.Errorf("no department named %s", a.dept)
			}
			g.ScopeKind, g.ScopeID, zh, en = auth.ScopeDepartment, d.ID, d.NameZH, d.NameEN
		}
		if err := sc.addAccount(ctx, a.username, a.display, g, zh, en); err != nil {
			return err
		}
	}
	return nil
}

// addAccount creates one account holding one grant, through the auth store
// (which audits both), and lists it in the banner.
func (sc *scenario) addAccount(ctx context.Context, username, display string, g auth.Grant, scopeZH, scopeEN string) error {
	users := &auth.Store{DB: sc.db, Audit: audit.Write}
	_, err := users.CreateUser(ctx, auth.NewUser{Username: username, DisplayName: display,
		Password: sc.password, Lang: i18n.ZH})
	if err != nil {
		return fmt.Errorf("account %s: %w", username, err)
	}
	if err := users.AddGrant(ctx, username, g); err != nil {
		return fmt.Errorf("grant %s: %w", username, err)
	}
	sc.sum.Accounts = append(sc.sum.Accounts, Account{Username: username, DisplayName: display,
		Role: g.Role, ScopeZH: scopeZH, ScopeEN: scopeEN})
	return nil
}

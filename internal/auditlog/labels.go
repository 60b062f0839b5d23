package auditlog

import (
	"slices"
	"strings"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/i18n"
)

// actions are the actions the filter offers; the log may hold others, which
// the API and a typed URL can still ask for.
var actions = []string{audit.ActionCreate, audit.ActionUpdate, audit.ActionDelete, audit.ActionReveal,
	audit.ActionExport, audit.ActionImport, audit.ActionLogin}

// entities are the entity names the filter suggests: every one with a
// label (auditlog.entity.* in the locales), so a module that writes a new
// entity adds its label and the filter offers it.
var entities = labelledEntities()

func labelledEntities() []string {
	const prefix = "auditlog.entity."
	var out []string
	for k := range i18n.Keys(i18n.ZH) {
		if e, ok := strings.CutPrefix(k, prefix); ok {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return out
}

// label translates code under prefix ("auditlog.action."), or shows the code
// itself when there is no translation: modules add actions and entities, and
// an auditor must still see what was written.
func label(lang i18n.Lang, prefix, code string) string {
	if code != "" && i18n.Has(prefix+code) {
		return i18n.T(lang, prefix+code)
	}
	return code
}

func actionLabel(lang i18n.Lang, a string) string { return label(lang, "auditlog.action.", a) }
func entityLabel(lang i18n.Lang, e string) string { return label(lang, "auditlog.entity.", e) }

// actorLabel names the actor; "system" (the CLI, the demo, imports run by
// the server) is translated.
func actorLabel(lang i18n.Lang, actor string) string {
	if actor == "system" {
		return i18n.T(lang, "auditlog.system")
	}
	return actor
}

// option is one choice of a select or datalist; Label is an i18n key, Raw
// text shown as is.
type option struct{ Value, Label, Raw string }

func actionOptions() []option {
	out := []option{{Value: "", Label: "common.all"}}
	for _, a := range actions {
		out = append(out, option{Value: a, Label: "auditlog.action." + a})
	}
	return out
}

func entityOptions(lang i18n.Lang) []option {
	out := make([]option, 0, len(entities))
	for _, e := range entities {
		out = append(out, option{Value: e, Raw: entityLabel(lang, e)})
	}
	return out
}

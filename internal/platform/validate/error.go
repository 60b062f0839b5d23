package validate

import "fangkong/internal/platform/i18n"

// Error is a validation failure. Key names a message in the i18n catalog
// (locales/*/validate.json) and Args fill its fmt verbs; the message is
// translated only when shown, so each user reads it in their own language.
type Error struct {
	Key  string
	Args []any
}

// Error returns the key: it is stable, greppable and what logs and tests
// compare, while people read Msg.
func (e *Error) Error() string { return e.Key }

// Msg returns the untranslated message for the form or problem+json answer.
func (e *Error) Msg() i18n.Msg { return i18n.Msg{Key: e.Key, Args: e.Args} }

func fail(key string, args ...any) *Error { return &Error{Key: key, Args: args} }

// Package validate checks and normalizes what people type into Fangkong:
// resident ID numbers, mobile numbers, vehicle plates, unified social credit
// codes, temperatures, dates, counts and free text.
//
// Every parser trims, accepts the harmless variants that real users and Excel
// sheets produce (full-width digits, lower-case letters, separators) and
// returns one canonical form, so that the same person, car or enterprise is
// stored the same way whoever typed it. Parsing a canonical form returns it
// unchanged.
//
// Every failure is a *Error carrying an i18n key under "validate." and its
// arguments, so the form or the problem+json answer can tell each user what
// is wrong in their own language. Text is never "sanitized" here: it is stored
// as typed, and escaping is the template's job.
package validate

// Package privacy masks personal data (name, ID number, phone, address) for
// lists, exports without the export permission, and anything else shown to
// someone who does not need the full value. SPEC §0: lists show personal data
// masked; the full value appears only on a detail page, and that reveal is
// audit-logged elsewhere.
//
// Masks work on runes, so Chinese text is never cut inside a character, and
// never reveal more than the documented head and tail. Input is trimmed first;
// an empty input masks to "".
package privacy

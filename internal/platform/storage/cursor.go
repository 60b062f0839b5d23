package storage

import (
	"encoding/base64"
	"strconv"
)

// IDCursor encodes the keyset-pagination cursors of one list ("rows with an id
// below this one"). Cursors are opaque to clients; the tag byte makes one
// list refuse another list's cursor.
type IDCursor byte

// Encode returns the cursor continuing below id, or "" for none.
func (c IDCursor) Encode(id int64) string {
	if id <= 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(string(rune(c)) + strconv.FormatInt(id, 10)))
}

// Decode reads a cursor of this list.
func (c IDCursor) Decode(s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != byte(c) {
		return 0, false
	}
	id, err := strconv.ParseInt(string(b[1:]), 10, 64)
	return id, err == nil && id > 0
}

package storage

import "strconv"

// Placeholders is one VALUES tuple of n parameters numbered from first:
// Placeholders(4, 3) is "($4,$5,$6)". Multi-row INSERTs are built from it.
func Placeholders(first, n int) string {
	b := make([]byte, 0, n*4+2)
	b = append(b, '(')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(first+i), 10)
	}
	return string(append(b, ')'))
}

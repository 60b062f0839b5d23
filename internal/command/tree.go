package command

import (
	"strconv"
	"strings"
)

// Org paths look like '/county/township/village/' (ids). These helpers read
// them without a query.

// segments splits a path into its node ids, as text.
func segments(path string) []string {
	t := strings.Trim(path, "/")
	if t == "" {
		return nil
	}
	return strings.Split(t, "/")
}

// lastID is the id of the node a path ends at (0 for a malformed path).
func lastID(path string) int64 {
	s := segments(path)
	if len(s) == 0 {
		return 0
	}
	id, _ := strconv.ParseInt(s[len(s)-1], 10, 64)
	return id
}

// idAt is the id at depth i of a path (0 the county, 1 a township, 2 a
// village), or 0 when the path is not that deep.
func idAt(path string, i int) int64 {
	s := segments(path)
	if i < 0 || i >= len(s) {
		return 0
	}
	id, _ := strconv.ParseInt(s[i], 10, 64)
	return id
}

// commonPath is the deepest node whose subtree holds all the given paths: the
// natural place for a dashboard covering a user's grants to start. It is ""
// when there are no paths or they share no node.
func commonPath(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	common := segments(paths[0])
	for _, p := range paths[1:] {
		s := segments(p)
		n := 0
		for n < len(common) && n < len(s) && common[n] == s[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) == 0 {
		return ""
	}
	return "/" + strings.Join(common, "/") + "/"
}

// ancestors lists the paths strictly between top and path (top included,
// path excluded), outermost first: the breadcrumb from the user's own
// dashboard down to a drill-down. Nothing when path is not below top.
func ancestors(top, path string) []string {
	if !strings.HasPrefix(path, top) || path == top {
		return nil
	}
	var out []string
	s := segments(path)
	for i := len(segments(top)); i < len(s); i++ {
		out = append(out, "/"+strings.Join(s[:i], "/")+"/")
	}
	return out
}

package checkpoint_test

import (
	"encoding/json"
	"strconv"
)

func itoa(n int64) string                { return strconv.FormatInt(n, 10) }
func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

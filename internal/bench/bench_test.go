package bench

import (
	"regexp"
	"testing"
	"time"

	"fangkong/internal/platform/validate"
)

// The load's passages must be what a capture page sends: valid ID numbers
// of many people, version-7 client ids that say which worker sent them.
func TestLoadIsValidAndDecodable(t *testing.T) {
	v7 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	people := map[string]bool{}
	asOf := time.Date(2020, 2, 22, 0, 0, 0, 0, time.UTC)
	for w := range 64 {
		for n := range 50 {
			id := clientID(7, w, n)
			if !v7.MatchString(id) {
				t.Fatalf("client id %q is not a version-7 UUID", id)
			}
			if workerOf(id) != w || personOf(id) != w*7919+n {
				t.Fatalf("%q: worker %d person %d, want %d and %d", id, workerOf(id), personOf(id), w, w*7919+n)
			}
			pid := personID(personOf(id))
			if _, err := validate.ResidentIDAt(pid, asOf); err != nil {
				t.Fatalf("person %s: %v", pid, err)
			}
			people[pid] = true
		}
	}
	if len(people) < 3000 {
		t.Errorf("only %d different people in 3,200 passages", len(people))
	}
}

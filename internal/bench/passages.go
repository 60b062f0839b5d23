package bench

import (
	"fmt"
	"math/rand/v2"
	"time"

	"fangkong/internal/platform/validate"
)

// The load: what the capture page sends, many times over.

// runTag makes each run's client ids unique.
var runTag = rand.Uint32()

// passageBody makes valid passages, worker w at checkpoint w mod n (the
// worker's account works there), each with its own client id, of one of
// benchPeople persons.
func passageBody(cps []int64) request {
	tag := runTag
	runTag++
	return func(w, n int) ([]byte, string) {
		id := clientID(tag, w, n)
		return passageJSON(id, checkpointOf(cps, w)), id
	}
}

// passageJSON is the body of the passage with client id id (which also
// picks the person passing, so a re-sent passage is the same passage).
func passageJSON(id string, cp int64) []byte {
	return fmt.Appendf(nil, `{"client_id":%q,"checkpoint_id":%d,"direction":"in","name":"张三","id_number":%q,`+
		`"plate":"京A12345","temperature":36.6,"from":"石家庄","to":"东汪村","purpose":"返乡","decision":"pass"}`,
		id, cp, personID(personOf(id)))
}

// checkpointOf is worker w's checkpoint.
func checkpointOf(cps []int64, w int) int64 {
	if len(cps) == 0 {
		return 1
	}
	return cps[w%len(cps)]
}

// clientID is a version-7 UUID (RFC 9562), as the capture page makes them:
// the first 48 bits are the Unix time in milliseconds, so passages recorded
// together sort together; run tag, worker and sequence make it unique.
func clientID(tag uint32, w, n int) string {
	ms := uint64(time.Now().UnixMilli())
	return fmt.Sprintf("%08x-%04x-7%03x-8%03x-%012x", ms>>16, ms&0xffff, tag&0xfff, w&0xfff, n)
}

// workerOf reads the worker back from a clientID.
func workerOf(id string) int {
	var w int
	if len(id) == 36 {
		fmt.Sscanf(id[20:23], "%x", &w)
	}
	return w
}

// personOf spreads a clientID's worker and sequence over the persons.
func personOf(id string) int {
	var n int
	if len(id) == 36 {
		fmt.Sscanf(id[24:], "%x", &n)
	}
	return workerOf(id)*7919 + n
}

// benchPeople is how many different persons the load's passages name: a
// passage log indexes by person, and a county's passages are of many people.
const benchPeople = 10_000

// personID is a valid ID number (GB 11643 check digit) of person k mod
// benchPeople: born on one of 100 days of 1980, sequence k/100.
func personID(k int) string {
	k %= benchPeople
	day := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, k%100)
	body := fmt.Sprintf("130528%s%03d", day.Format("20060102"), k/100)
	check, _ := validate.ResidentIDCheckDigit(body)
	return body + string(check)
}

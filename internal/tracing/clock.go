package tracing

import "time"

// nowUTC is the time a record is written.
var nowUTC = func() time.Time { return time.Now().UTC() }

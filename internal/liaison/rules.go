package liaison

import (
	"fmt"
	"net/http"
	"slices"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// MaxPhotoBytes bounds one photo: a phone's full-size JPEG fits, a video
// renamed .jpg does not.
const MaxPhotoBytes = 5 << 20

// MaxPhotos bounds the photos of one visit.
const MaxPhotos = 9

// photoTypes are the image types accepted, as content sniffing names them:
// what a phone camera or a screenshot produces and every browser shows.
var photoTypes = []string{"image/jpeg", "image/png", "image/webp"}

// CheckPhoto decides whether data is an acceptable photo, judged by its bytes
// (never by the name or the type the client claims), and returns its type.
// The error is a field error on field naming the file.
func CheckPhoto(field, name string, data []byte, limit int64) (string, error) {
	if len(data) == 0 {
		return "", errs.Field(field, "liaison.photo_empty", name)
	}
	if int64(len(data)) > limit {
		return "", errs.Field(field, "liaison.photo_too_large", name, MB(limit))
	}
	ct := http.DetectContentType(data[:min(len(data), 512)])
	if !slices.Contains(photoTypes, ct) {
		return "", errs.Field(field, "liaison.photo_bad_type", name)
	}
	return ct, nil
}

// MB writes a byte count as megabytes for messages: "5", "1.5".
func MB(n int64) string {
	s := fmt.Sprintf("%.1f", float64(n)/(1<<20))
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}

// Overlaps reports whether two periods (both days included) share a day.
func Overlaps(aFrom, aTo, bFrom, bTo storage.Date) bool {
	return !aTo.Before(bFrom.Time) && !bTo.Before(aFrom.Time)
}

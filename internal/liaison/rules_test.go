package liaison

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"testing"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

func pngBytes(t testing.TB) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckPhoto(t *testing.T) {
	webp := append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 "), make([]byte, 32)...)
	tests := []struct {
		name, file string
		data       []byte
		limit      int64
		ct, key    string
	}{
		{"png", "a.png", pngBytes(t), 1 << 20, "image/png", ""},
		{"jpeg", "a.jpg", jpegBytes(t), 1 << 20, "image/jpeg", ""},
		{"webp", "a.webp", webp, 1 << 20, "image/webp", ""},
		{"png named .jpg is judged by its bytes", "photo.jpg", pngBytes(t), 1 << 20, "image/png", ""},
		{"text named .jpg", "fake.jpg", []byte("hello, this is not an image"), 1 << 20, "", "liaison.photo_bad_type"},
		{"gif", "a.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 1 << 20, "", "liaison.photo_bad_type"},
		{"html", "x.png", []byte("<html><script>alert(1)</script>"), 1 << 20, "", "liaison.photo_bad_type"},
		{"empty", "e.jpg", nil, 1 << 20, "", "liaison.photo_empty"},
		{"one byte over", "big.jpg", append(jpegBytes(t), make([]byte, 10)...), int64(len(jpegBytes(t)) + 9), "", "liaison.photo_too_large"},
		{"exactly the limit", "ok.jpg", jpegBytes(t), int64(len(jpegBytes(t))), "image/jpeg", ""},
	}
	for _, tt := range tests {
		ct, err := CheckPhoto("photo", tt.file, tt.data, tt.limit)
		if tt.key == "" {
			if err != nil || ct != tt.ct {
				t.Errorf("%s: %q %v, want %s", tt.name, ct, err, tt.ct)
			}
			continue
		}
		e := errs.As(err)
		if err == nil || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "photo" || e.Fields[0].Msg.Key != tt.key {
			t.Errorf("%s: %v, want %s on photo", tt.name, err, tt.key)
		}
	}
}

func TestMB(t *testing.T) {
	for n, want := range map[int64]string{5 << 20: "5", 1 << 20: "1", 3 << 19: "1.5", 512 << 10: "0.5"} {
		if got := MB(n); got != want {
			t.Errorf("MB(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestOverlaps(t *testing.T) {
	d := storage.MustDate
	tests := []struct {
		a1, a2, b1, b2 string
		want           bool
	}{
		{"2020-02-01", "2020-02-29", "2020-02-10", "2020-03-10", true},
		{"2020-02-01", "2020-02-29", "2020-02-29", "2020-03-10", true}, // one shared day
		{"2020-02-01", "2020-02-29", "2020-03-01", "2020-03-10", false},
		{"2020-02-10", "2020-02-12", "2020-02-01", "2020-02-29", true},
		{"2020-03-01", "2020-03-02", "2020-02-01", "2020-02-29", false},
	}
	for _, tt := range tests {
		if got := Overlaps(d(tt.a1), d(tt.a2), d(tt.b1), d(tt.b2)); got != tt.want {
			t.Errorf("Overlaps(%s–%s, %s–%s) = %v", tt.a1, tt.a2, tt.b1, tt.b2, got)
		}
	}
}

func TestAssignmentInput(t *testing.T) {
	fields := func(err error) map[string]string {
		out := map[string]string{}
		for _, f := range errs.As(err).Fields {
			out[f.Field] = f.Msg.Key
		}
		return out
	}
	tests := []struct {
		in   AssignmentInput
		want map[string]string
	}{
		{AssignmentInput{DivisionID: 3, From: "2020-02-01", To: "2020-02-29"}, map[string]string{}},
		{AssignmentInput{From: "2020-02-01", To: "2020-02-29"}, map[string]string{"division_id": "liaison.target_required"}},
		{AssignmentInput{DivisionID: 3, EnterpriseID: 4, From: "2020-02-01", To: "2020-02-29"}, map[string]string{"enterprise_id": "liaison.one_target"}},
		{AssignmentInput{DivisionID: 3, From: "2020-02-10", To: "2020-02-01"}, map[string]string{"to": "liaison.to_before_from"}},
		{AssignmentInput{DivisionID: 3, From: "2020-02-30", To: ""}, map[string]string{"from": "validate.date_invalid", "to": "errs.required"}},
	}
	for i, tt := range tests {
		_, err := tt.in.check()
		got := fields(err)
		for f, key := range tt.want {
			if got[f] == "" || (key != "validate.date_invalid" && got[f] != key) {
				t.Errorf("%d: %s = %q, want %s (%v)", i, f, got[f], key, got)
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("%d: fields %v, want %v", i, got, tt.want)
		}
	}
}

func TestVisitInput(t *testing.T) {
	today := storage.MustDate("2020-02-22")
	if _, err := (VisitInput{DivisionID: 3, Day: "2020-02-22", Kind: "inspect"}).check(today); err != nil {
		t.Errorf("a visit today: %v", err)
	}
	_, err := VisitInput{DivisionID: 3, Day: "2020-02-23", Kind: "party"}.check(today)
	got := map[string]bool{}
	for _, f := range errs.As(err).Fields {
		got[f.Field] = true
	}
	if !got["day"] || !got["kind"] || len(got) != 2 {
		t.Errorf("a visit tomorrow of an unknown kind: %v", err)
	}
}

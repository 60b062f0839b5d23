package liaison

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 16, 8))
	for x := range 16 {
		img.Set(x, x%8, color.RGBA{R: 200, A: 255})
	}
	return img
}

// exifSegment is an APP1 EXIF segment with the orientation o and a GPS
// marker string standing for the position a phone writes.
func exifSegment(o uint16, order binary.ByteOrder) []byte {
	tiff := make([]byte, 8+2+2*12+4)
	if order == binary.LittleEndian {
		copy(tiff, "II")
	} else {
		copy(tiff, "MM")
	}
	order.PutUint16(tiff[2:], 42)
	order.PutUint32(tiff[4:], 8)
	order.PutUint16(tiff[8:], 2)
	e := tiff[10:]
	order.PutUint16(e[0:], 0x010F) // Make, ASCII, pointing nowhere useful
	order.PutUint16(e[2:], 2)
	order.PutUint16(e[12:], 0x0112)
	order.PutUint16(e[14:], 3)
	order.PutUint32(e[16:], 1)
	order.PutUint16(e[20:], o)
	payload := append(append([]byte("Exif\x00\x00"), tiff...), "GPS 37.61N 114.92E"...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

func TestStripJPEGKeepsImageAndOrientation(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(), nil); err != nil {
		t.Fatal(err)
	}
	plain := buf.Bytes()
	for _, c := range []struct {
		name  string
		order binary.ByteOrder
		o     uint16
	}{{"little-endian, rotated", binary.LittleEndian, 6}, {"big-endian, rotated", binary.BigEndian, 8}, {"upright", binary.LittleEndian, 1}} {
		t.Run(c.name, func(t *testing.T) {
			withExif := append(append(append([]byte{}, plain[:2]...), exifSegment(c.o, c.order)...), plain[2:]...)
			got := StripMetadata("image/jpeg", withExif)
			if bytes.Contains(got, []byte("GPS")) {
				t.Error("the GPS position survived")
			}
			want := c.o
			if want == 1 {
				want = 0 // upright needs no EXIF at all
			}
			var o uint16
			if i := bytes.Index(got, []byte("Exif\x00\x00")); i >= 0 {
				o = exifOrientation(got[i:])
			}
			if o != want {
				t.Errorf("orientation %d, want %d", o, want)
			}
			a, err1 := jpeg.Decode(bytes.NewReader(plain))
			b, err2 := jpeg.Decode(bytes.NewReader(got))
			if err1 != nil || err2 != nil || a.Bounds() != b.Bounds() || a.At(3, 3) != b.At(3, 3) {
				t.Errorf("image changed: %v %v", err1, err2)
			}
		})
	}
	if got := StripMetadata("image/jpeg", plain); !bytes.Equal(got, plain) {
		t.Error("a JPEG without metadata changed")
	}
}

func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(append(c, typ...), data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

func TestStripPNGDropsTextAndExif(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage()); err != nil {
		t.Fatal(err)
	}
	plain := buf.Bytes()
	const sig = 8
	ihdrEnd := sig + 12 + int(binary.BigEndian.Uint32(plain[sig:]))
	var with []byte
	with = append(with, plain[:ihdrEnd]...)
	with = append(with, pngChunk("tEXt", []byte("Author\x00王某 13812345678"))...)
	with = append(with, pngChunk("eXIf", []byte("MM\x00\x2aGPS"))...)
	with = append(with, plain[ihdrEnd:]...)
	got := StripMetadata("image/png", with)
	if !bytes.Equal(got, plain) {
		t.Errorf("stripped PNG differs from the plain one (%d vs %d bytes)", len(got), len(plain))
	}
	if _, err := png.Decode(bytes.NewReader(got)); err != nil {
		t.Error(err)
	}
}

func TestStripWebPDropsExifAndClearsFlags(t *testing.T) {
	chunk := func(id string, data []byte) []byte {
		c := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
		c = append(c, data...)
		if len(data)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 | 0x04 | 0x10 // EXIF, XMP, alpha
	body := append([]byte("WEBP"), chunk("VP8X", vp8x)...)
	body = append(body, chunk("VP8L", []byte{0x2f, 1, 2, 3, 4})...)
	body = append(body, chunk("EXIF", []byte("GPS 37.61N"))...)
	body = append(body, chunk("XMP ", []byte("<x:xmpmeta/>"))...)
	file := append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
	got := StripMetadata("image/webp", file)
	if bytes.Contains(got, []byte("GPS")) || bytes.Contains(got, []byte("xmpmeta")) {
		t.Error("metadata survived")
	}
	if n := binary.LittleEndian.Uint32(got[4:]); int(n) != len(got)-8 {
		t.Errorf("RIFF size %d for %d bytes", n, len(got))
	}
	if flags := got[20]; flags != 0x10 {
		t.Errorf("VP8X flags %#x, want only alpha", flags)
	}
	if !bytes.Contains(got, []byte("VP8L")) {
		t.Error("the image chunk was lost")
	}
}

// FuzzStripMetadata: any bytes, any type: no panic, and what comes back is
// either the input or no longer than it plus the orientation segment.
func FuzzStripMetadata(f *testing.F) {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, testImage(), nil)
	f.Add("image/jpeg", append(append([]byte{0xFF, 0xD8}, exifSegment(6, binary.BigEndian)...), buf.Bytes()[2:]...))
	buf.Reset()
	_ = png.Encode(&buf, testImage())
	f.Add("image/png", buf.Bytes())
	f.Add("image/webp", []byte("RIFF\x04\x00\x00\x00WEBP"))
	f.Fuzz(func(t *testing.T, ct string, data []byte) {
		got := StripMetadata(ct, data)
		if len(got) > len(data)+64 {
			t.Errorf("grew from %d to %d bytes", len(data), len(got))
		}
	})
}

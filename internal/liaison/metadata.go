package liaison

import (
	"bytes"
	"encoding/binary"
)

// Phone photos carry metadata nobody asked to share: the GPS position, the
// time, the device and its owner's name. Visit photos are stored without
// it. Only the JPEG orientation survives (as a one-entry EXIF block), or a
// photo taken upright would show on its side. The image data itself is
// copied byte for byte, never re-encoded.

// StripMetadata returns data of type ct without its metadata, or data
// unchanged when it cannot be parsed (the type was already sniffed; a photo
// the parser does not follow is kept rather than lost).
func StripMetadata(ct string, data []byte) []byte {
	var out []byte
	var ok bool
	switch ct {
	case "image/jpeg":
		out, ok = stripJPEG(data)
	case "image/png":
		out, ok = stripPNG(data)
	case "image/webp":
		out, ok = stripWebP(data)
	}
	if !ok {
		return data
	}
	return out
}

// stripJPEG drops the APP1 (EXIF, XMP) and APP13 (IPTC) segments before the
// image data, keeping the orientation in a minimal EXIF segment.
func stripJPEG(b []byte) ([]byte, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, false
	}
	out := append(make([]byte, 0, len(b)), 0xFF, 0xD8)
	orientation := uint16(0)
	i := 2
	for {
		if i+4 > len(b) || b[i] != 0xFF {
			return nil, false
		}
		marker := b[i+1]
		if marker == 0xDA { // start of scan: the rest is image data
			if orientation > 1 {
				out = append(out, orientationSegment(orientation)...)
			}
			return append(out, b[i:]...), true
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil, false
		}
		seg := b[i : i+2+n]
		switch marker {
		case 0xE1:
			if o := exifOrientation(seg[4:]); o != 0 {
				orientation = o
			}
		case 0xED:
		default:
			out = append(out, seg...)
		}
		i += 2 + n
	}
}

// exifOrientation reads tag 0x0112 of IFD0 from an APP1 payload, 0 when
// there is none.
func exifOrientation(p []byte) uint16 {
	tiff, ok := bytes.CutPrefix(p, []byte("Exif\x00\x00"))
	if !ok || len(tiff) < 8 {
		return 0
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 0
	}
	ifd := int(order.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > len(tiff) {
		return 0
	}
	count := int(order.Uint16(tiff[ifd:]))
	for k := range count {
		e := ifd + 2 + 12*k
		if e+12 > len(tiff) {
			return 0
		}
		if order.Uint16(tiff[e:]) == 0x0112 && order.Uint16(tiff[e+2:]) == 3 {
			if o := order.Uint16(tiff[e+8:]); o >= 1 && o <= 8 {
				return o
			}
		}
	}
	return 0
}

// orientationSegment is an APP1 EXIF segment holding only the orientation.
func orientationSegment(o uint16) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, byte(o >> 8), byte(o), 0, 0, // Orientation, SHORT, 1
		0, 0, 0, 0} // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// pngMetadata are the chunks a PNG is stored without.
var pngMetadata = map[string]bool{"eXIf": true, "tEXt": true, "iTXt": true, "zTXt": true, "tIME": true}

// stripPNG drops the EXIF, text and time chunks.
func stripPNG(b []byte) ([]byte, bool) {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(b, []byte(sig)) {
		return nil, false
	}
	out := append(make([]byte, 0, len(b)), sig...)
	for i := len(sig); i < len(b); {
		if i+12 > len(b) {
			return nil, false
		}
		n := int(binary.BigEndian.Uint32(b[i:]))
		end := i + 12 + n
		if n < 0 || end > len(b) || end < i {
			return nil, false
		}
		if !pngMetadata[string(b[i+4:i+8])] {
			out = append(out, b[i:end]...)
		}
		if string(b[i+4:i+8]) == "IEND" {
			return out, true
		}
		i = end
	}
	return nil, false
}

// stripWebP drops the EXIF and XMP chunks of an extended WebP and clears
// their flags in the VP8X header.
func stripWebP(b []byte) ([]byte, bool) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, false
	}
	out := append(make([]byte, 0, len(b)), b[:12]...)
	for i := 12; i < len(b); {
		if i+8 > len(b) {
			return nil, false
		}
		id := string(b[i : i+4])
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		end := i + 8 + n + n&1 // chunks are padded to an even size
		if n < 0 || end > len(b) || end < i {
			return nil, false
		}
		switch id {
		case "EXIF", "XMP ":
		case "VP8X":
			chunk := append([]byte(nil), b[i:end]...)
			if len(chunk) > 8 {
				chunk[8] &^= 0x08 | 0x04 // EXIF and XMP present
			}
			out = append(out, chunk...)
		default:
			out = append(out, b[i:end]...)
		}
		i = end
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, true
}

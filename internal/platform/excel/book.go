package excel

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"
)

// Limits on what an uploaded file can make the server do. Parts are
// checked by their declared size, which archive/zip enforces while
// inflating, so a zip bomb stops at the limit.
const (
	// MaxFileSize is the largest upload Read accepts: about two million
	// rows of a typical register. Callers should cap the request body too.
	MaxFileSize = 64 << 20
	maxSheet    = 1 << 30  // the sheet is streamed: this bounds time, not memory
	maxStrings  = 64 << 20 // the shared strings live in memory while reading
	maxSmall    = 16 << 20 // workbook, relationships, styles
)

var errTooLarge = errors.New("excel: file too large")

// book is what Read needs from an .xlsx package: the first sheet, its
// shared strings, which cell styles are dates, and the date system.
type book struct {
	files    map[string]*zip.File // by lower-case name: some writers vary the case
	sheet    *zip.File
	sst      []string
	dates    []dateKind // by cell style index (the s attribute)
	date1904 bool
}

// openBook reads the package's structure and shared strings; the sheet
// itself is left for streaming.
func openBook(r io.Reader) (*book, error) {
	ra, size, err := readerAt(r)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, err
	}
	b := &book{files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		b.files[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	wbPath := b.target("_rels/.rels", "", "/officeDocument", "xl/workbook.xml")
	relsPath := path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels")
	sheetPath, err := b.firstSheet(wbPath, relsPath)
	if err != nil {
		return nil, err
	}
	if b.sheet = b.files[strings.ToLower(sheetPath)]; b.sheet == nil {
		return nil, errors.New("excel: no worksheet")
	}
	dir := path.Dir(wbPath)
	if err := b.readStyles(b.target(relsPath, dir, "/styles", "xl/styles.xml")); err != nil {
		return nil, err
	}
	return b, b.readStrings(b.target(relsPath, dir, "/sharedStrings", "xl/sharedStrings.xml"))
}

// readerAt gives archive/zip random access: directly for an uploaded file
// (multipart.File is an io.ReaderAt and io.Seeker), else by reading the
// upload into memory, up to MaxFileSize.
func readerAt(r io.Reader) (io.ReaderAt, int64, error) {
	if ra, ok := r.(io.ReaderAt); ok {
		if sk, ok := r.(io.Seeker); ok {
			size, err := sk.Seek(0, io.SeekEnd)
			if err != nil {
				return nil, 0, err
			}
			if size > MaxFileSize {
				return nil, 0, errTooLarge
			}
			return ra, size, nil
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, 0, err
	}
	if len(data) > MaxFileSize {
		return nil, 0, errTooLarge
	}
	return bytes.NewReader(data), int64(len(data)), nil
}

// open opens a part by name, refusing one larger than limit.
func (b *book) open(name string, limit uint64) (io.ReadCloser, error) {
	f := b.files[strings.ToLower(name)]
	if f == nil {
		return nil, nil
	}
	if f.UncompressedSize64 > limit {
		return nil, errTooLarge
	}
	return f.Open()
}

// unmarshal decodes a small part with encoding/xml; a missing part leaves v
// as it is.
func (b *book) unmarshal(name string, v any) error {
	rc, err := b.open(name, maxSmall)
	if err != nil || rc == nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

type xmlRels struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// target finds a relationship's target in a .rels part, by id (when typ
// starts with "#") or by type suffix, resolved against dir. Unreadable or
// missing relationships fall back to def, the path every common writer uses.
func (b *book) target(rels, dir, typ, def string) string {
	var r xmlRels
	if b.unmarshal(rels, &r) != nil {
		return def
	}
	for _, rel := range r.Rel {
		if typ[0] == '#' && rel.ID == typ[1:] || typ[0] != '#' && strings.HasSuffix(rel.Type, typ) {
			if strings.HasPrefix(rel.Target, "/") {
				return strings.TrimPrefix(rel.Target, "/")
			}
			return path.Join(dir, rel.Target)
		}
	}
	return def
}

type xmlWorkbook struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

// firstSheet is the path of the workbook's first sheet, in tab order.
func (b *book) firstSheet(wbPath, relsPath string) (string, error) {
	var wb xmlWorkbook
	if err := b.unmarshal(wbPath, &wb); err != nil {
		return "", err
	}
	b.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	if len(wb.Sheets) == 0 {
		return "", errors.New("excel: no sheet")
	}
	for _, a := range wb.Sheets[0].Attrs {
		// r:id, in the transitional or the strict relationships namespace.
		if a.Name.Local == "id" && strings.Contains(a.Name.Space, "relationships") {
			return b.target(relsPath, path.Dir(wbPath), "#"+a.Value, "xl/worksheets/sheet1.xml"), nil
		}
	}
	return "xl/worksheets/sheet1.xml", nil
}

type xmlStyles struct {
	NumFmts []struct {
		ID   string `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	Xfs []struct {
		NumFmt string `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

// readStyles notes which cell styles show a date or time, so Read can give
// such cells as ISO text whatever the user's regional format.
func (b *book) readStyles(name string) error {
	var st xmlStyles
	if err := b.unmarshal(name, &st); err != nil {
		return err
	}
	custom := make(map[int]dateKind, len(st.NumFmts))
	for _, nf := range st.NumFmts {
		if id, err := strconv.Atoi(nf.ID); err == nil {
			custom[id] = classifyFormat(nf.Code)
		}
	}
	b.dates = make([]dateKind, len(st.Xfs))
	for i, xf := range st.Xfs {
		id, _ := strconv.Atoi(xf.NumFmt)
		if k, ok := custom[id]; ok {
			b.dates[i] = k
		} else {
			b.dates[i] = builtinDate(id)
		}
	}
	return nil
}

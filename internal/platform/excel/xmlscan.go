package excel

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a minimal pull tokenizer for the spreadsheet XML parts.
// encoding/xml allocates for every token and held a 100,000-row import to
// under 50,000 rows/s; the parts Read needs are plain, machine-written XML,
// so this finds tags with bytes.IndexByte in its own buffer and hands out
// slices of it. It does not validate, expand custom entities or follow DTDs
// (it rejects them).
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int   // buf[pos:end] is not yet consumed
	rerr     error // the reader's error, returned once buf is drained
	text     []byte
	tag      []byte
	acc      []byte // text gathered around CDATA sections
}

var errXML = errors.New("excel: malformed XML")

// maxToken bounds one tag or text run; the longest legitimate one, a cell
// of 32,767 characters, is about 100 KB.
const maxToken = 4 << 20

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, 64<<10)}
}

// next reads the text up to the next tag and that tag: s.text and s.tag are
// valid until the following call. Comments and processing instructions are
// skipped; CDATA is added to the text. At the end it returns io.EOF.
func (s *xmlScanner) next() error {
	s.acc = s.acc[:0]
	merged := false // acc holds text from before a comment or CDATA
	for {
		lt, err := s.index(0, '<')
		if err != nil {
			return err
		}
		gt, err := s.tagEnd(lt + 1)
		if err != nil {
			return err
		}
		s.text = s.buf[s.pos : s.pos+lt]
		s.tag = s.buf[s.pos+lt+1 : s.pos+gt]
		if len(s.tag) > 0 && (s.tag[0] == '!' || s.tag[0] == '?') {
			if gt, err = s.special(lt, gt); err != nil {
				return err
			}
			merged = true
			s.pos += gt + 1
			continue
		}
		s.pos += gt + 1
		if merged {
			s.text = append(s.acc, s.text...)
			s.acc = s.text
		}
		return nil
	}
}

// index finds c at or after offset off from pos, reading more as needed,
// and returns its offset from pos.
func (s *xmlScanner) index(off int, c byte) (int, error) {
	for {
		if i := bytes.IndexByte(s.buf[s.pos+off:s.end], c); i >= 0 {
			return off + i, nil
		}
		off = s.end - s.pos
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
}

// fill moves the unconsumed bytes to the front and reads more, growing the
// buffer only for a token longer than it.
func (s *xmlScanner) fill() error {
	if s.rerr != nil {
		return s.rerr
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxToken {
			return errXML
		}
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	n, err := s.r.Read(s.buf[s.end:])
	s.end += n
	if err != nil {
		s.rerr = err
		if n == 0 {
			return err
		}
	}
	return nil
}

// tagEnd finds the '>' closing the tag opened at off, not one inside a
// quoted attribute value. A tag ending the input is malformed.
func (s *xmlScanner) tagEnd(off int) (int, error) {
	start := off
	for {
		gt, err := s.index(off, '>')
		if err != nil {
			return 0, unexpected(err)
		}
		if quotesClosed(s.buf[s.pos+start : s.pos+gt]) {
			return gt, nil
		}
		off = gt + 1
	}
}

// quotesClosed says whether every quoted value in a tag is closed. Almost
// every tag uses only double quotes, which an even count settles.
func quotesClosed(t []byte) bool {
	if bytes.IndexByte(t, '\'') < 0 {
		return bytes.Count(t, []byte{'"'})%2 == 0
	}
	var q byte
	for _, c := range t {
		switch {
		case q != 0 && c == q:
			q = 0
		case q == 0 && (c == '"' || c == '\''):
			q = c
		}
	}
	return q == 0
}

// special handles <!-- -->, <![CDATA[ ]]> and <?…?>, keeping the text
// before it in acc, and returns the offset of its final '>'. DOCTYPE is
// rejected: it never occurs in xlsx and is how entity bombs start.
func (s *xmlScanner) special(lt, gt int) (int, error) {
	s.acc = append(s.acc, s.text...)
	switch {
	case bytes.HasPrefix(s.tag, []byte("!--")):
		return s.until(lt, gt, "--", 3)
	case bytes.HasPrefix(s.tag, []byte("![CDATA[")):
		gt, err := s.until(lt, gt, "]]", 8)
		if err == nil {
			s.acc = append(s.acc, s.buf[s.pos+lt+9:s.pos+gt-2]...)
		}
		return gt, err
	case s.tag[0] == '?':
		return gt, nil
	}
	return 0, errXML
}

// until extends a markup opened at lt (with an opener of n bytes after the
// '<') to the first '>' preceded by end.
func (s *xmlScanner) until(lt, gt int, end string, n int) (int, error) {
	for {
		body := s.buf[s.pos+lt+1 : s.pos+gt]
		if len(body) >= n+len(end) && bytes.HasSuffix(body, []byte(end)) {
			return gt, nil
		}
		var err error
		if gt, err = s.index(gt+1, '>'); err != nil {
			return 0, unexpected(err)
		}
	}
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// name is the tag's local name (no prefix such as x:), whether it is an end
// tag, and whether it closes itself.
func (s *xmlScanner) name() (local []byte, end, empty bool) {
	t := s.tag
	if len(t) > 0 && t[0] == '/' {
		end, t = true, t[1:]
	}
	empty = len(t) > 0 && t[len(t)-1] == '/'
	i := 0
	for i < len(t) && !isXMLSpace(t[i]) && t[i] != '/' {
		i++
	}
	local = t[:i]
	if j := bytes.LastIndexByte(local, ':'); j >= 0 {
		local = local[j+1:]
	}
	return local, end, empty
}

// attrs iterates over the current tag's attributes: local name and raw
// value. One pass serves all the attributes a cell has (r, s, t).
type attrs struct{ t []byte }

func (s *xmlScanner) attrs() attrs {
	t := s.tag
	i := 0
	for i < len(t) && !isXMLSpace(t[i]) {
		i++
	}
	return attrs{t[i:]}
}

func (a *attrs) next() (name, val []byte, ok bool) {
	t := a.t
	eq := bytes.IndexByte(t, '=')
	if eq < 0 {
		return nil, nil, false
	}
	name = trimXMLSpace(t[:eq])
	if j := bytes.LastIndexByte(name, ':'); j >= 0 {
		name = name[j+1:]
	}
	t = trimXMLSpace(t[eq+1:])
	if len(t) == 0 || t[0] != '"' && t[0] != '\'' {
		return nil, nil, false
	}
	end := bytes.IndexByte(t[1:], t[0])
	if end < 0 {
		return nil, nil, false
	}
	a.t = t[end+2:]
	return name, t[1 : end+1], true
}

// attr is the raw value of the attribute with local name key, if present.
func (s *xmlScanner) attr(key string) ([]byte, bool) {
	for a := s.attrs(); ; {
		name, val, ok := a.next()
		if !ok {
			return nil, false
		}
		if string(name) == key {
			return val, true
		}
	}
}

func trimXMLSpace(b []byte) []byte {
	for len(b) > 0 && isXMLSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isXMLSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendUnescaped appends raw XML text to dst, decoding the five named
// entities and numeric character references. Unknown entities stay as
// written; there is no DTD to define them.
func appendUnescaped(dst, raw []byte) []byte {
	for {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 || semi > 12 {
			dst = append(dst, '&')
			raw = raw[1:]
			continue
		}
		if r, ok := entity(raw[1:semi]); ok {
			dst = utf8.AppendRune(dst, r)
		} else {
			dst = append(dst, raw[:semi+1]...)
		}
		raw = raw[semi+1:]
	}
}

func entity(name []byte) (rune, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if name[1] == 'x' || name[1] == 'X' {
		n, err = strconv.ParseUint(string(name[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(name[1:]), 10, 32)
	}
	if err != nil || n > utf8.MaxRune {
		return 0, false
	}
	return rune(n), true
}

// appendOOXML decodes Excel's _xHHHH_ escapes, with which it stores
// characters XML cannot carry (such as _x000D_ for a carriage return).
func appendOOXML(dst, s []byte) []byte {
	for {
		i := bytes.Index(s, []byte("_x"))
		if i < 0 || len(s) < i+7 {
			return append(dst, s...)
		}
		if s[i+6] == '_' {
			if n, err := strconv.ParseUint(string(s[i+2:i+6]), 16, 16); err == nil {
				dst = append(dst, s[:i]...)
				dst = utf8.AppendRune(dst, rune(n))
				s = s[i+7:]
				continue
			}
		}
		dst = append(dst, s[:i+2]...)
		s = s[i+2:]
	}
}

// decodeText turns raw element text into its string value.
func decodeText(dst, raw []byte) []byte {
	if bytes.IndexByte(raw, '&') < 0 && bytes.Index(raw, []byte("_x")) < 0 {
		return append(dst, raw...)
	}
	tmp := appendUnescaped(nil, raw)
	return appendOOXML(dst, tmp)
}

package excel

import (
	"bytes"
	"io"
)

// readStrings loads the shared-string table, where Excel and WPS keep every
// text cell. The texts go into one arena string and sst holds slices of it:
// one allocation instead of one per string, which matters at 300,000
// distinct names, ID numbers and addresses.
func (b *book) readStrings(name string) error {
	rc, err := b.open(name, maxStrings)
	if err != nil || rc == nil {
		return err
	}
	defer rc.Close()
	arena, ends, err := scanStrings(rc)
	if err != nil {
		return err
	}
	all := string(arena)
	b.sst = make([]string, len(ends))
	start := 0
	for i, end := range ends {
		b.sst[i] = all[start:end]
		start = end
	}
	return nil
}

// scanStrings reads each <si> as the concatenation of its <t> texts, rich
// runs included and phonetic guides (<rPh>) left out.
func scanStrings(r io.Reader) (arena []byte, ends []int, err error) {
	s := newXMLScanner(r)
	inT, phonetic := false, 0
	for {
		if err := s.next(); err != nil {
			if err == io.EOF {
				return arena, ends, nil
			}
			return nil, nil, err
		}
		local, end, empty := s.name()
		if inT && phonetic == 0 {
			arena = decodeText(arena, s.text)
		}
		switch {
		case bytes.Equal(local, []byte("t")):
			inT = !end && !empty
		case bytes.Equal(local, []byte("rPh")) && !empty:
			if end {
				phonetic--
			} else {
				phonetic++
			}
		case bytes.Equal(local, []byte("si")) && (end || empty):
			ends = append(ends, len(arena))
		}
	}
}

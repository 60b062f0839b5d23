package liaison

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// maxTextPart bounds one text field of a multipart form.
const maxTextPart = 64 << 10

// readUploads reads a form as it streams: text fields into values, the files
// of field "photo" into uploads, each cut at limit+1 bytes (CheckPhoto then
// names the oversized one). Forms put the file input last, so when the whole
// request exceeds the platform's body limit (bodyLimit) what was typed has
// already been read and is kept, and the error names the photo field.
func readUploads(r *http.Request, limit, bodyLimit int64) (url.Values, []Upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		f, err := web.ParseForm(r) // an ordinary form, without files
		if err != nil {
			return url.Values{}, nil, err
		}
		return f.Values, nil, nil
	}
	values := url.Values{}
	var ups []Upload
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return values, ups, nil
		}
		if err != nil {
			return values, ups, uploadError(err, bodyLimit)
		}
		if part.FormName() == "photo" {
			data, err := io.ReadAll(io.LimitReader(part, limit+1))
			if err == nil {
				_, err = io.Copy(io.Discard, part) // the rest of an oversized file
			}
			if err != nil {
				return values, ups, uploadError(err, bodyLimit)
			}
			if part.FileName() != "" || len(data) > 0 { // a file input left empty sends an empty part
				ups = append(ups, Upload{Name: part.FileName(), Data: data})
			}
			continue
		}
		text, err := io.ReadAll(io.LimitReader(part, maxTextPart))
		if err != nil {
			return values, ups, uploadError(err, bodyLimit)
		}
		values.Add(part.FormName(), strings.ReplaceAll(string(text), "\r\n", "\n"))
	}
}

// uploadError says why a form could not be read: over the request limit (a
// field error on the photos, so the form is shown again), or broken.
func uploadError(err error, bodyLimit int64) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errs.Field("photo", "liaison.request_too_large", MB(bodyLimit))
	}
	bad := errs.Field("photo", "liaison.upload_broken")
	bad.Err = err
	return bad
}

// readRawPhoto reads an API upload that is the image itself (any content
// type but multipart): the name comes from ?name=.
func readRawPhoto(r *http.Request, limit, bodyLimit int64) ([]Upload, error) {
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err == nil {
		_, err = io.Copy(io.Discard, r.Body)
	}
	if err != nil {
		return nil, uploadError(err, bodyLimit)
	}
	return []Upload{{Name: r.URL.Query().Get("name"), Data: data}}, nil
}

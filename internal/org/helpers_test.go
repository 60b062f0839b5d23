package org_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"strconv"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/org"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// id formats a node id for a URL.
func id(n org.Node) string { return strconv.FormatInt(n.ID, 10) }

// listCodes returns the codes the node API lists for c.
func listCodes(t *testing.T, c *apptest.Client, query string) []string {
	t.Helper()
	res := c.Get("/api/v1/org/nodes" + query)
	if res.Code != 200 {
		t.Fatalf("list: %d %s", res.Code, res.Body)
	}
	var body struct {
		Items []org.Item `json:"items"`
	}
	res.Decode(t, &body)
	var out []string
	for _, it := range body.Items {
		out = append(out, it.Code)
	}
	return out
}

// auditCount counts audit rows of one action on an entity.
func auditCount(t *testing.T, db *storage.DB, action, entity string) int {
	t.Helper()
	var n int
	if err := db.R.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity = $2`,
		action, entity).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func nodeCount(t *testing.T, db *storage.DB) int {
	t.Helper()
	var n int
	if err := db.R.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM org_nodes`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// problemFields lists the fields a problem+json answer names.
func problemFields(t *testing.T, res apptest.Response) []string {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q, body %s", ct, res.Body)
	}
	var pr struct {
		Errors []struct{ Field string } `json:"errors"`
	}
	res.Decode(t, &pr)
	var out []string
	for _, e := range pr.Errors {
		out = append(out, e.Field)
	}
	return out
}

// sheet is an import file's rows, by column key.
type sheet []map[string]string

var sheetKeys = []string{"code", "parent_code", "name_zh", "name_en", "level", "kind", "population", "households"}

// xlsx writes the rows under the export's (Chinese) headers.
func (s sheet) xlsx(t *testing.T) []byte {
	t.Helper()
	cols := make([]excel.Column, len(sheetKeys))
	for i, k := range sheetKeys {
		cols[i] = excel.Column{Header: i18n.Msg{Key: "org.col." + k}}
	}
	var buf bytes.Buffer
	err := excel.Export(&buf, i18n.ZH, "辖区", cols, func(yield func([]any) error) error {
		for _, r := range s {
			row := make([]any, len(sheetKeys))
			for i, k := range sheetKeys {
				row[i] = r[k]
			}
			if err := yield(row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readSheet reads an exported file back into rows.
func readSheet(t *testing.T, b []byte) sheet {
	t.Helper()
	var out sheet
	_, err := excel.Read(bytes.NewReader(b), org.ImportFields, func(r excel.Row) error {
		m := map[string]string{}
		for _, k := range sheetKeys {
			m[k] = r.Get(k)
		}
		out = append(out, m)
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// upload posts an import file as the browser form does.
func upload(t *testing.T, c *apptest.Client, file []byte, mode string) apptest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("mode", mode)
	fw, err := mw.CreateFormFile("file", "辖区.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.Close()
	return c.Do("POST", "/org/import", &body, mw.FormDataContentType())
}

package org_test

import (
	"net/url"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// TestExportImportRoundTrip exports the tree, changes the file as a user
// would (a figure edited, a township and its village added, a village added
// to an existing township) and imports it back.
func TestExportImportRoundTrip(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cl := srv.As(t, apptest.Commander)
		exports := auditCount(t, db, "export", "org_node")
		res := cl.Get("/org/export.xlsx")
		if res.Code != 200 || res.Header.Get("Content-Type") != excel.ContentType || !strings.Contains(res.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("export: %d %v", res.Code, res.Header)
		}
		if auditCount(t, db, "export", "org_node") != exports+1 {
			t.Error("the export is not audited")
		}
		rows := readSheet(t, []byte(res.Body))
		if len(rows) != 6 || rows[0]["code"] != "130528" || rows[2]["parent_code"] != "130528100" || rows[2]["level"] != "村级" || rows[2]["kind"] != "村" {
			t.Fatalf("exported rows %v", rows)
		}
		for _, r := range rows {
			if r["code"] == "130528100201" {
				r["population"], r["households"] = "1234", "400"
			}
		}
		rows = append(rows,
			map[string]string{"code": "130528105", "parent_code": "130528", "name_zh": "贾家口镇", "level": "乡镇级", "kind": "镇"},
			map[string]string{"code": "130528105201", "parent_code": "130528105", "name_zh": "贾家口村", "population": "900"},
			map[string]string{"code": "130528104203", "parent_code": "130528104", "name_zh": "晶福苑小区", "name_en": "Jingfuyuan"})
		creates, updates := auditCount(t, db, "create", "org_node"), auditCount(t, db, "update", "org_node")
		res = upload(t, cl, sheet(rows).xlsx(t), "valid")
		if res.Code != 200 || !strings.Contains(res.Body, "已写入：新建 3 个，更新 1 个，5 个无变化。") {
			t.Fatalf("import: %d %s", res.Code, res.Body)
		}
		if got := listCodes(t, cl, "?parent="+id(srv.Fix.Dongwang)); len(got) != 3 {
			t.Errorf("东汪镇's villages after the import: %v", got)
		}
		again := readSheet(t, []byte(cl.Get("/org/export.xlsx").Body))
		byCode := map[string]map[string]string{}
		for _, r := range again {
			byCode[r["code"]] = r
		}
		if r := byCode["130528100201"]; r["population"] != "1234" || r["households"] != "400" {
			t.Errorf("updated village %v", r)
		}
		if r := byCode["130528105201"]; r["parent_code"] != "130528105" || r["kind"] != "村" || r["level"] != "村级" {
			t.Errorf("village of the new township %v", r)
		}
		if r := byCode["130528104203"]; r["kind"] != "小区" || r["name_en"] != "Jingfuyuan" {
			t.Errorf("new compound %v", r)
		}
		if auditCount(t, db, "create", "org_node") != creates+3 || auditCount(t, db, "update", "org_node") != updates+1 ||
			auditCount(t, db, "import", "org_node") != 1 {
			t.Error("the import's writes are not all audited")
		}
		// The same file again changes nothing.
		res = upload(t, cl, sheet(again).xlsx(t), "all")
		if res.Code != 200 || !strings.Contains(res.Body, "新建 0 个，更新 0 个，9 个无变化") {
			t.Errorf("re-import: %d", res.Code)
		}
	})
}

func TestImportReportsBadRows(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cl := srv.As(t, apptest.AdminDongwang)
		file := sheet{
			{"code": "130528104203", "parent_code": "130528104", "name_zh": "好村"},                                      // row 2: valid
			{"code": "13052810420X", "parent_code": "130528104", "name_zh": "坏代码村"},                                    // row 3
			{"code": "130528104204", "parent_code": "130528109", "name_zh": "无上级村"},                                    // row 4
			{"code": "130528104203", "parent_code": "130528104", "name_zh": "重复村"},                                     // row 5
			{"code": "130528100205", "parent_code": "130528100", "name_zh": "别镇村"},                                     // row 6: 凤凰镇 is not theirs
			{"code": "130528100201", "name_zh": "凤凰村"},                                                                 // row 7: existing, not theirs
			{"code": "130528104201", "parent_code": "130528104", "name_zh": "东汪村", "population": "很多"},                 // row 8
			{"code": "130528104205", "parent_code": "130528104", "name_zh": "负数村", "households": "-1", "level": "乡镇级"}, // row 9
			{"code": "130528104202", "parent_code": "130528100", "name_zh": "洨口村"},                                     // row 10: a move
		}.xlsx(t)
		nodes, audits := nodeCount(t, db), auditCount(t, db, "create", "org_node")
		res := upload(t, cl, file, "all")
		if res.Code != 422 || !strings.Contains(res.Body, "未写入任何数据") {
			t.Fatalf("all or nothing: %d %s", res.Code, res.Body)
		}
		if nodeCount(t, db) != nodes || auditCount(t, db, "create", "org_node") != audits || auditCount(t, db, "import", "org_node") != 0 {
			t.Fatal("all or nothing wrote something")
		}
		for _, want := range []string{
			`<strong>第 3 行</strong> · 区划代码：代码只能由数字组成`,
			`<strong>第 4 行</strong> · 上级代码：上级代码 130528109 不存在`,
			`<strong>第 5 行</strong> · 区划代码：代码与第 2 行重复`,
			`<strong>第 6 行</strong> · 上级代码：上级代码 130528100 不存在`,
			`<strong>第 7 行</strong> · 区划代码：该代码已存在，但不在您可编辑的范围内`,
			`<strong>第 8 行</strong> · 人口：请填写整数`,
			`<strong>第 9 行</strong> · 层级：层级应为“村级”`,
			`<strong>第 9 行</strong> · 户数：不能为负数`,
			`<strong>第 10 行</strong> · 上级代码：不能通过导入更改上级（现有上级代码：130528104）`,
		} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("report lacks %s", want)
			}
		}
		if strings.Contains(res.Body, "第 2 行</strong>") {
			t.Error("the valid row is reported")
		}
		res = upload(t, cl, file, "valid")
		if res.Code != 200 || !strings.Contains(res.Body, "已写入：新建 1 个，更新 0 个，0 个无变化。") {
			t.Fatalf("valid rows: %d %s", res.Code, res.Body)
		}
		if nodeCount(t, db) != nodes+1 || auditCount(t, db, "import", "org_node") != 1 {
			t.Error("valid rows mode did not write exactly the valid row")
		}
		// A file that is not a workbook, and no file at all.
		if res := upload(t, cl, []byte("code,name\n1,x\n"), "valid"); res.Code != 422 || !strings.Contains(res.Body, "无法读取该文件") {
			t.Errorf("not a workbook: %d", res.Code)
		}
		if res := cl.Form("/org/import", nil); res.Code != 422 || !strings.Contains(res.Body, "请选择要上传的文件") {
			t.Errorf("no file: %d", res.Code)
		}
		if res := srv.As(t, apptest.CadreDongwang).Get("/org/import"); res.Code != 403 {
			t.Errorf("a cadre opens the import: %d", res.Code)
		}
		if res := cl.Get("/org/import/template.xlsx"); res.Code != 200 || res.Header.Get("Content-Type") != excel.ContentType {
			t.Errorf("template: %d", res.Code)
		}
	})
}

// TestImportChildOfABadRow: a row whose parent row was rejected says so.
func TestImportChildOfABadRow(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cl := srv.As(t, apptest.Commander)
		file := sheet{
			{"code": "130528105", "parent_code": "130528", "name_zh": "贾家口镇", "kind": "村"}, // bad kind for a township
			{"code": "130528105201", "parent_code": "130528105", "name_zh": "贾家口村"},
		}.xlsx(t)
		res := upload(t, cl, file, "valid")
		if !strings.Contains(res.Body, "类别：不是该级别允许的类别") || !strings.Contains(res.Body, "上级所在的第 2 行有问题") {
			t.Errorf("report: %s", res.Body)
		}
	})
}

// TestEnglishExportImportsBack: headers, levels and types written in English
// read back as the same tree.
func TestEnglishExportImportsBack(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cl := srv.As(t, apptest.Commander)
		if res := cl.Form("/account/lang", url.Values{"lang": {"en"}, "next": {"/org"}}); res.Code != 303 {
			t.Fatalf("switch to English: %d", res.Code)
		}
		res := cl.Get("/org/export.xlsx")
		if !strings.Contains(res.Header.Get("Content-Disposition"), "territory-") {
			t.Errorf("file name: %s", res.Header.Get("Content-Disposition"))
		}
		rows := readSheet(t, []byte(res.Body))
		if rows[1]["kind"] != "Town" || rows[1]["level"] != "Township level" {
			t.Errorf("English row %v", rows[1])
		}
		res = upload(t, cl, []byte(res.Body), "all")
		if res.Code != 200 || !strings.Contains(res.Body, "Written: 0 created, 0 updated, 6 unchanged.") {
			t.Errorf("re-import: %d %s", res.Code, res.Body)
		}
	})
}

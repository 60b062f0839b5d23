package surveillance

import (
	"database/sql"
	"net/http"
	"strconv"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/web"
)

var exportColumns = []excel.Column{
	{Header: i18n.Msg{Key: "case.id"}, Width: 8},
	{Header: i18n.Msg{Key: "case.division"}, Width: 14},
	{Header: i18n.Msg{Key: "case.name"}, Width: 10},
	{Header: i18n.Msg{Key: "case.id_number"}, Width: 22},
	{Header: i18n.Msg{Key: "case.sex"}, Width: 6},
	{Header: i18n.Msg{Key: "case.phone"}, Width: 14},
	{Header: i18n.Msg{Key: "case.address"}, Width: 24},
	{Header: i18n.Msg{Key: "case.origin"}, Width: 8},
	{Header: i18n.Msg{Key: "case.hospital"}, Width: 16},
	{Header: i18n.Msg{Key: "case.onset_date"}, Width: 12},
	{Header: i18n.Msg{Key: "case.status"}, Width: 10},
	{Header: i18n.Msg{Key: "case.status_date"}, Width: 12},
}

// export streams the filtered list to Excel. Personal data stays masked unless
// the user holds pii.export; either way the export is written to the audit log
// first, so a failed download is logged too.
func (h *handlers) export(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	unmasked := p.Can(auth.PermPIIExport) && r.URL.Query().Get("full") == "1"
	err = h.env.DB.InTx(r.Context(), func(tx *sql.Tx) error {
		return audit.Write(r.Context(), tx, audit.ActionExport, "case", "", 0, nil,
			map[string]any{"filter": r.URL.RawQuery, "personal_data": unmasked})
	})
	if err != nil {
		return err
	}
	lang := web.RequestLang(r)
	excel.SetDownloadHeaders(w, excel.Filename("cases", h.env.Now()))
	return excel.Export(w, lang, i18n.T(lang, "case.list_title"), exportColumns, func(yield func([]any) error) error {
		return h.store.Each(r.Context(), p, f, unmasked, func(c Case) error {
			return yield([]any{c.ID, c.Division(lang), c.Name, c.IDNumber, i18n.T(lang, "sex."+c.Sex), c.Phone, c.Address,
				i18n.T(lang, "case.origin."+string(c.Origin)), c.Hospital, c.OnsetDate, i18n.T(lang, "case.status."+string(c.Status)), c.StatusDate})
		})
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

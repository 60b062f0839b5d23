package checkpoint

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// apiRecord stores one passage: 201 when stored now, 200 when it was already
// stored (a retry), 409 when its client id holds another passage.
func (h *handlers) apiRecord(w http.ResponseWriter, r *http.Request) error {
	var in PassageInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	p, created, err := h.store.Record(authored(r), auth.From(r.Context()), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return web.JSON(w, status, p.Masked())
}

// batchRequest is the body of POST /api/v1/passages/batch as decoded: items
// are decoded one by one, so a malformed item is that item's error only.
type batchRequest struct {
	Items []json.RawMessage `json:"items"`
}

// BatchRequest is the documented shape of a batch.
type BatchRequest struct {
	Items []PassageInput `json:"items"`
}

// ItemResult is the answer for one item of a batch.
type ItemResult struct {
	Index    int          `json:"index"`
	ClientID string       `json:"client_id"`
	Status   string       `json:"status"` // created, duplicate, rejected
	ID       int64        `json:"id,omitempty"`
	Error    *web.Problem `json:"error,omitempty"`
}

// BatchResponse answers a batch, item by item, in request order.
type BatchResponse struct {
	Items      []ItemResult `json:"items"`
	Created    int          `json:"created"`
	Duplicates int          `json:"duplicates"`
	Rejected   int          `json:"rejected"`
}

// apiBatch stores many passages, answering 200 with one result per item; a
// batch over MaxBatch items (or the body limit) is 413 as a whole.
func (h *handlers) apiBatch(w http.ResponseWriter, r *http.Request) error {
	var req batchRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if len(req.Items) > MaxBatch {
		return errs.New(errs.TooLarge, "checkpoint.batch_too_large", MaxBatch)
	}
	ins := make([]PassageInput, len(req.Items))
	decodeErrs := make([]error, len(req.Items))
	for i, raw := range req.Items {
		decodeErrs[i] = decodeItem(raw, &ins[i])
	}
	res, err := h.store.RecordBatch(authored(r), auth.From(r.Context()), withoutBad(ins, decodeErrs))
	if err != nil {
		return err
	}
	lang := web.RequestLang(r)
	out := BatchResponse{Items: make([]ItemResult, len(ins))}
	for i := range ins {
		it := ItemResult{Index: i, ClientID: ins[i].ClientID}
		e := decodeErrs[i]
		if e == nil {
			e = res[i].Err
		}
		switch {
		case e != nil:
			pr := web.ProblemOf(e, lang)
			it.Status, it.Error = "rejected", &pr
			out.Rejected++
		case res[i].Created:
			it.Status, it.ID = "created", res[i].Passage.ID
			out.Created++
		default:
			it.Status, it.ID = "duplicate", res[i].Passage.ID
			out.Duplicates++
		}
		out.Items[i] = it
	}
	return web.JSON(w, http.StatusOK, out)
}

// withoutBad blanks the items that did not decode, so the store checks only
// the others (a blank item costs nothing: it is answered from decodeErrs).
func withoutBad(ins []PassageInput, bad []error) []PassageInput {
	out := make([]PassageInput, len(ins))
	for i := range ins {
		if bad[i] == nil {
			out[i] = ins[i]
		} else {
			out[i] = PassageInput{ClientID: "-"}
		}
	}
	return out
}

// decodeItem reads one batch item strictly, as DecodeJSON reads a body.
func decodeItem(raw json.RawMessage, in *PassageInput) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(in)
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &typeErr):
		return errs.Field(typeErr.Field, "errs.bad_type")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errs.Field(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "errs.unknown_field")
	}
	return errs.Field("item", "errs.bad_json")
}

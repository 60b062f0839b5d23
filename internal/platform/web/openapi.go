package web

import (
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Doc describes one API route for the OpenAPI document. Request and response
// schemas are derived from Go values, so the document cannot drift from the
// types the handlers really decode and encode.
type Doc struct {
	Summary string
	Query   []string // query parameter names
	In      any      // a value of the request body type, or nil
	Out     any      // a value of the response body type, or nil for 204
	Status  int      // success status; 200 when zero
}

// OpenAPI builds the OpenAPI 3.1 document of every API route registered.
func (rt *Router) OpenAPI() map[string]any {
	paths := map[string]any{}
	schemas := map[string]any{}
	schemas["Problem"] = schemaOf(reflect.TypeOf(Problem{}), schemas)
	for _, r := range rt.Routes() {
		if !r.API {
			continue
		}
		item, _ := paths[r.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[r.Path] = item
		}
		item[strings.ToLower(r.Method)] = operation(r, schemas)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Fangkong API", "version": "1",
			"description": "防控 Fangkong: sign in with POST /api/v1/login; the session cookie authenticates the rest. Errors are application/problem+json (RFC 9457) listing each bad field."},
		"paths":      paths,
		"components": map[string]any{"schemas": schemas, "securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie}}},
	}
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

func operation(r Route, schemas map[string]any) map[string]any {
	d := r.Doc
	if d == nil {
		d = &Doc{}
	}
	op := map[string]any{"summary": d.Summary, "responses": responses(d, schemas)}
	if r.Perm != Public {
		op["security"] = []any{map[string]any{"session": []any{}}}
		if r.Perm != LoggedIn {
			op["description"] = "Requires permission " + string(r.Perm) + "; results are limited to the caller's scope."
		}
	}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, q := range d.Query {
		params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
	}
	if params != nil {
		op["parameters"] = params
	}
	if d.In != nil {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": ref(reflect.TypeOf(d.In), schemas)}}}
	}
	return op
}

func responses(d *Doc, schemas map[string]any) map[string]any {
	problem := map[string]any{"description": "problem", "content": map[string]any{
		"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
	status := d.Status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	if d.Out != nil {
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": ref(reflect.TypeOf(d.Out), schemas)}}
	}
	return map[string]any{strconv.Itoa(status): ok, "default": problem}
}

// ref names a struct type in components (once) and returns a $ref to it.
func ref(t reflect.Type, schemas map[string]any) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeOf(time.Time{}) {
		return schemaOf(t, schemas)
	}
	name := schemaName(t)
	if _, done := schemas[name]; !done {
		schemas[name] = map[string]any{} // placeholder: recursive types terminate
		schemas[name] = schemaOf(t, schemas)
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func schemaName(t reflect.Type) string {
	pkg := t.PkgPath()
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		pkg = pkg[i+1:]
	}
	return pkg + "." + t.Name()
}

var textMarshaler = reflect.TypeOf((*interface{ MarshalText() ([]byte, error) })(nil)).Elem()

// schemaOf is a small JSON Schema of t, following encoding/json's rules.
func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	if t == reflect.TypeOf(time.Time{}) {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t.Name() == "Date" && strings.HasSuffix(t.PkgPath(), "storage") {
		return map[string]any{"type": []any{"string", "null"}, "format": "date"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return schemaOf(t.Elem(), schemas)
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		return map[string]any{"type": "array", "items": refOrSchema(t.Elem(), schemas)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": refOrSchema(t.Elem(), schemas)}
	case reflect.Struct:
		return structSchema(t, schemas)
	}
	if t.Implements(textMarshaler) {
		return map[string]any{"type": "string"}
	}
	return map[string]any{}
}

func refOrSchema(t reflect.Type, schemas map[string]any) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && t.Name() != "" && t != reflect.TypeOf(time.Time{}) && !(t.Name() == "Date" && strings.HasSuffix(t.PkgPath(), "storage")) {
		return ref(t, schemas)
	}
	return schemaOf(t, schemas)
}

func structSchema(t reflect.Type, schemas map[string]any) map[string]any {
	props := map[string]any{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if sub, ok := structSchema(f.Type, schemas)["properties"].(map[string]any); ok {
				for k, v := range sub {
					props[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = refOrSchema(f.Type, schemas)
	}
	return map[string]any{"type": "object", "properties": props}
}

// ServeOpenAPI serves the document at GET /api/v1/openapi.json.
func (rt *Router) ServeOpenAPI() {
	rt.API("GET /api/v1/openapi.json", Public, func(w http.ResponseWriter, r *http.Request) error {
		return JSON(w, http.StatusOK, rt.OpenAPI())
	}, Doc{Summary: "This OpenAPI 3.1 document, built from the registered routes and their Go types.", Out: map[string]any{}})
}

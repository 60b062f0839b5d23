package org

import "fangkong/internal/platform/web"

// Views are the templates this package renders.
var Views []string

// Register adds the routes of this package.
func Register(rt *web.Router) {}

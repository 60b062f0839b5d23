// Package org is the territory (属地): the county → township/street →
// village/community tree with GB/T 2260 statistical codes, and the flat list of
// departments. Every record that concerns a place points at one node; scope
// checks use each node's path.
package org

import (
	"strings"
	"time"
)

// Level is a node's place in the tree.
type Level string

// The three levels of the county's tree.
const (
	County   Level = "county"
	Township Level = "township" // 乡, 镇, 街道, 管理区
	Village  Level = "village"  // 村, 社区, 小区
)

// childLevel is the level below each level.
var childLevel = map[Level]Level{County: Township, Township: Village}

// Node is one division.
type Node struct {
	ID         int64     `json:"id"`
	ParentID   int64     `json:"parent_id,omitempty"`
	Code       string    `json:"code"`
	NameZH     string    `json:"name_zh"`
	NameEN     string    `json:"name_en"`
	Level      Level     `json:"level"`
	Kind       string    `json:"kind"` // 镇, 乡, 街道, 村, 社区, 小区 …
	Path       string    `json:"-"`
	Population int64     `json:"population"`
	Households int64     `json:"households"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Name is the node's name in lang, falling back to Chinese.
func (n Node) Name(lang string) string {
	if lang == "en" && n.NameEN != "" {
		return n.NameEN
	}
	return n.NameZH
}

// Depth is 0 for the county, 1 for townships, 2 for villages.
func (n Node) Depth() int { return strings.Count(n.Path, "/") - 2 }

// Department is a county department (部门).
type Department struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// Name is the department's name in lang.
func (d Department) Name(lang string) string {
	if lang == "en" && d.NameEN != "" {
		return d.NameEN
	}
	return d.NameZH
}

package demo

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// Summary says what was loaded.
type Summary struct {
	AsOf     storage.Date
	Counts   []Count   // what each step made, in loading order
	Facts    []Fact    // the report's figures, as computed from the loaded records
	Accounts []Account // the demo accounts, one per role
	Steps    []StepTime
	Elapsed  time.Duration
}

// Count is one line of "what was loaded", in both languages.
type Count struct {
	ZH, EN string
	N      int64
}

// Fact is one figure of the seed report, stated from what the statistics
// compute over the loaded records (never typed in).
type Fact struct{ ZH, EN string }

// Account is a demo account as the banner lists it.
type Account struct {
	Username    string
	DisplayName string
	Role        auth.Role
	ScopeZH     string
	ScopeEN     string
}

// StepTime is how long one step took.
type StepTime struct {
	Name    string
	Elapsed time.Duration
}

// count records a line of the summary.
func (s *Summary) count(zh, en string, n int64) {
	s.Counts = append(s.Counts, Count{ZH: zh, EN: en, N: n})
}

// fact records a figure of the report.
func (s *Summary) fact(zh, en string) { s.Facts = append(s.Facts, Fact{ZH: zh, EN: en}) }

// Count returns the number recorded under an English label, or 0.
func (s Summary) Count(en string) int64 {
	for _, c := range s.Counts {
		if c.EN == en {
			return c.N
		}
	}
	return 0
}

const rule = "────────────────────────────────────────────────────────────────────────────────\n"

// Text is the banner printed when the demo starts: where to go, the reporting
// day, and who to sign in as — in Chinese and English.
func (s Summary) Text(url, password string) string {
	var b strings.Builder
	b.WriteString(rule)
	b.WriteString(" 防控 Fangkong · 宁晋县演示 Ningjin County demo\n")
	fmt.Fprintf(&b, " 数据截至 %s · as of %s\n", s.asOf(), s.asOf())
	if url != "" {
		fmt.Fprintf(&b, " 地址 URL       %s\n", url)
	} else {
		b.WriteString(" 地址 URL       （仅载入，未启动服务 loaded only, not serving）\n")
	}
	fmt.Fprintf(&b, " 密码 Password  %s （所有演示账号 every demo account）\n", password)
	b.WriteString(rule)
	rows := [][]string{{"账号 Account", "角色 Role", "范围 Scope", "姓名 Name"}}
	for _, a := range s.Accounts {
		rows = append(rows, []string{a.Username,
			i18n.T(i18n.ZH, "role."+string(a.Role)) + " " + i18n.T(i18n.EN, "role."+string(a.Role)),
			a.ScopeZH + " " + a.ScopeEN, a.DisplayName})
	}
	writeTable(&b, rows)
	b.WriteString(rule)
	for _, c := range s.Counts {
		fmt.Fprintf(&b, " %9s  %s %s\n", thousands(c.N), c.ZH, c.EN)
	}
	if len(s.Facts) > 0 {
		b.WriteString(rule)
		fmt.Fprintf(&b, " 截至%s（由记录统计）· as of %s, computed from the records:\n", s.asOf(), s.asOf())
		for _, f := range s.Facts {
			fmt.Fprintf(&b, "   %s\n   %s\n", f.ZH, f.EN)
		}
	}
	if s.Elapsed > 0 {
		fmt.Fprintf(&b, " 载入用时 loaded in %s\n", s.Elapsed.Round(time.Millisecond))
	}
	b.WriteString(rule)
	return b.String()
}

func (s Summary) asOf() string {
	if s.AsOf.IsZero() {
		return AsOf
	}
	return s.AsOf.String()
}

// writeTable pads columns by display width: text/tabwriter counts a Chinese
// character as one column, but terminals draw it two wide.
func writeTable(b *strings.Builder, rows [][]string) {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		line := " "
		for i, c := range r {
			line += c
			if i < len(r)-1 {
				line += strings.Repeat(" ", widths[i]-displayWidth(c)+2)
			}
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
}

// displayWidth counts East Asian wide characters (CJK, full-width forms) as two columns.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) ||
			(r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) ||
			(r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6)):
			w += 2
		default:
			w++
		}
	}
	return w
}

// thousands writes n with thousands separators: 750,000.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

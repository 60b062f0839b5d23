package tracing

import (
	"slices"

	"fangkong/internal/platform/storage"
	"fangkong/internal/surveillance"
)

// Edge is one exposure as the chain sees it: From exposed To on Day.
type Edge struct {
	ID       int64
	From, To int64
	Kind     Kind
	Day      storage.Date
	Close    bool
	Setting  string
}

// Chain is the transmission chain as a forest: each person appears once, under
// the person through whom they were first reached from a case (breadth
// first), so the generation of a person is their distance from that case.
type Chain struct {
	Roots []int64          // generation 0, in the order given
	Kids  map[int64][]Edge // tree edges, by parent
	Gen   map[int64]int
	Root  map[int64]int64 // each person's root
	Size  map[int64]int   // descendants of each person (not counting them)
	// Extra counts exposures not drawn as tree edges (a second exposure of
	// someone already placed): the chain shows them as counts, not lines.
	Extra int
}

// BuildChain computes the chain from exposures and the set of persons who
// are cases. Roots are the cases not reached from another case; then any
// case left unplaced (a loop of cases) and finally any source never reached
// (an exposure traced back to a person who is not a case) start chains of
// their own. Children are ordered by exposure day, then id.
func BuildChain(edges []Edge, cases []int64) Chain {
	out := map[int64][]Edge{}
	fromCase := map[int64]bool{}
	isCase := make(map[int64]bool, len(cases))
	for _, c := range cases {
		isCase[c] = true
	}
	for _, e := range edges {
		out[e.From] = append(out[e.From], e)
		if isCase[e.From] && e.From != e.To {
			fromCase[e.To] = true
		}
	}
	for _, es := range out {
		slices.SortFunc(es, func(a, b Edge) int {
			if c := a.Day.Compare(b.Day.Time); c != 0 {
				return c
			}
			return int(a.ID - b.ID)
		})
	}
	ch := Chain{Kids: map[int64][]Edge{}, Gen: map[int64]int{}, Root: map[int64]int64{}, Size: map[int64]int{}}
	var starts []int64
	for _, c := range cases {
		if !fromCase[c] {
			starts = append(starts, c)
		}
	}
	ch.grow(starts, out)
	ch.grow(cases, out)
	var sources []int64
	for _, e := range edges {
		sources = append(sources, e.From)
	}
	ch.grow(sources, out)
	ch.Extra = len(edges) - (len(ch.Gen) - len(ch.Roots))
	ch.sizes()
	return ch
}

// grow adds, breadth first, the chains of the given persons not yet placed.
func (ch *Chain) grow(starts []int64, out map[int64][]Edge) {
	for _, s := range starts {
		if _, placed := ch.Gen[s]; placed {
			continue
		}
		ch.Roots = append(ch.Roots, s)
		ch.Gen[s], ch.Root[s] = 0, s
		queue := []int64{s}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, e := range out[n] {
				if _, placed := ch.Gen[e.To]; placed {
					continue
				}
				ch.Gen[e.To], ch.Root[e.To] = ch.Gen[n]+1, s
				ch.Kids[n] = append(ch.Kids[n], e)
				queue = append(queue, e.To)
			}
		}
	}
}

// sizes counts each person's descendants, deepest generation first.
func (ch *Chain) sizes() {
	order := make([]int64, 0, len(ch.Gen))
	for n := range ch.Gen {
		order = append(order, n)
	}
	slices.SortFunc(order, func(a, b int64) int { return ch.Gen[b] - ch.Gen[a] })
	for _, n := range order {
		total := 0
		for _, e := range ch.Kids[n] {
			total += 1 + ch.Size[e.To]
		}
		ch.Size[n] = total
	}
}

// PerGeneration counts the persons of each generation under the given roots.
func (ch Chain) PerGeneration(roots map[int64]bool) []int {
	var out []int
	for n, g := range ch.Gen {
		if roots != nil && !roots[ch.Root[n]] {
			continue
		}
		for len(out) <= g {
			out = append(out, 0)
		}
		out[g]++
	}
	return out
}

// Row is one line of the rendered chain: a person at a depth, reached by an
// exposure (none for a root), with the size of what lies below.
type Row struct {
	Person      int64 `json:"person_id"`
	Depth       int   `json:"depth"`
	Via         *Edge `json:"-"`
	Descendants int   `json:"descendants"`
	Children    int   `json:"children"`
	Collapsed   bool  `json:"collapsed"` // has children not shown (below the collapse depth)
}

// Rows walks root's subtree depth first down to depth maxDepth (relative to
// root), stopping after limit rows; persons deeper are collapsed into counts.
func (ch Chain) Rows(root int64, maxDepth, limit int) []Row {
	var rows []Row
	type item struct {
		n     int64
		depth int
		via   *Edge
	}
	stack := []item{{root, 0, nil}}
	for len(stack) > 0 && len(rows) < limit {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		kids := ch.Kids[it.n]
		r := Row{Person: it.n, Depth: it.depth, Via: it.via, Descendants: ch.Size[it.n], Children: len(kids)}
		if it.depth >= maxDepth {
			r.Collapsed = len(kids) > 0
		} else {
			for i := len(kids) - 1; i >= 0; i-- {
				stack = append(stack, item{kids[i].To, it.depth + 1, &kids[i]})
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// Links turns the exposures into surveillance's cluster evidence: one link
// per exposure that touches a case — casesOf maps a person of the register
// to their case ids (in the scope asked). An exposure between two case
// persons links their cases (transmission); one with a setting puts its
// case person(s) in that setting (common exposure). Exposures that touch no
// case, or one case without a setting, say nothing about clusters.
func Links(edges []Edge, casesOf map[int64][]int64) []surveillance.Link {
	var out []surveillance.Link
	for _, e := range edges {
		from, to := casesOf[e.From], casesOf[e.To]
		if len(from)+len(to) == 0 || (e.Setting == "" && (len(from) == 0 || len(to) == 0)) {
			continue
		}
		ids := append(append([]int64{}, from...), to...)
		slices.Sort(ids)
		out = append(out, surveillance.Link{CaseIDs: slices.Compact(ids), Day: e.Day, Setting: e.Setting})
	}
	return out
}

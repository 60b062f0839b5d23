package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
)

// county is 宁晋县 (GB/T 2260 130528).
var county = org.Node{Code: countyArea, NameZH: "宁晋县", NameEN: "Ningjin County", Kind: "县"}

// townships are the 18 township-level units of the 2019 NBS list, in code order.
var townships = []org.Node{
	{Code: "130528001", NameZH: "宁北街道", NameEN: "Ningbei Subdistrict", Kind: "街道"},
	{Code: "130528100", NameZH: "凤凰镇", NameEN: "Fenghuang Town", Kind: "镇"},
	{Code: "130528101", NameZH: "河渠镇", NameEN: "Hequ Town", Kind: "镇"},
	{Code: "130528102", NameZH: "北河庄镇", NameEN: "Beihezhuang Town", Kind: "镇"},
	{Code: "130528103", NameZH: "耿庄桥镇", NameEN: "Gengzhuangqiao Town", Kind: "镇"},
	{Code: "130528104", NameZH: "东汪镇", NameEN: "Dongwang Town", Kind: "镇"},
	{Code: "130528105", NameZH: "贾家口镇", NameEN: "Jiajiakou Town", Kind: "镇"},
	{Code: "130528106", NameZH: "四芝兰镇", NameEN: "Sizhilan Town", Kind: "镇"},
	{Code: "130528107", NameZH: "大陆村镇", NameEN: "Dalucun Town", Kind: "镇"},
	{Code: "130528108", NameZH: "苏家庄镇", NameEN: "Sujiazhuang Town", Kind: "镇"},
	{Code: "130528109", NameZH: "换马店镇", NameEN: "Huanmadian Town", Kind: "镇"},
	{Code: "130528110", NameZH: "唐邱镇", NameEN: "Tangqiu Town", Kind: "镇"},
	{Code: "130528200", NameZH: "侯口乡", NameEN: "Houkou Township", Kind: "乡"},
	{Code: "130528202", NameZH: "纪昌庄乡", NameEN: "Jichangzhuang Township", Kind: "乡"},
	{Code: "130528205", NameZH: "北鱼乡", NameEN: "Beiyu Township", Kind: "乡"},
	{Code: "130528208", NameZH: "徐家河乡", NameEN: "Xujiahe Township", Kind: "乡"},
	{Code: "130528209", NameZH: "大曹庄乡", NameEN: "Dacaozhuang Township", Kind: "乡"},
	{Code: "130528401", NameZH: "大曹庄管理区", NameEN: "Dacaozhuang Management Area", Kind: "管理区"},
}

// place is a village or community the seed report names, and its township.
type place struct {
	town string
	node org.Node
	// weight is its size relative to an average village (a staff compound is small).
	weight float64
}

// namedPlaces are the villages and communities of the report. 中曹村, 孙村 and
// the two compounds the county leaders visited on 4 February lie around the
// county seat, 凤凰镇.
var namedPlaces = []place{
	{"凤凰镇", org.Node{NameZH: "晶福苑小区", NameEN: "Jingfuyuan Residential Compound", Kind: "小区"}, 0.8},
	{"凤凰镇", org.Node{NameZH: "国税局家属院", NameEN: "Tax Bureau Staff Compound", Kind: "小区"}, 0.15},
	{"凤凰镇", org.Node{NameZH: "中曹村", NameEN: "Zhongcao Village", Kind: "村"}, 1.3},
	{"凤凰镇", org.Node{NameZH: "孙村", NameEN: "Sun Village", Kind: "村"}, 1.1},
	{"东汪镇", org.Node{NameZH: "东汪村", NameEN: "Dongwang Village", Kind: "村"}, 1.4},
	{"东汪镇", org.Node{NameZH: "洨口村", NameEN: "Xiaokou Village", Kind: "村"}, 1.0},
	{"换马店镇", org.Node{NameZH: "南及桥村", NameEN: "Nanjiqiao Village", Kind: "村"}, 1.0},
}

// residents is the county's population, spread over its villages and communities.
const residents = 750_000

// townPlan is one township with its villages and communities, codes assigned.
type townPlan struct {
	node     org.Node
	children []org.Node
	weights  []float64
}

// planOrg generates the tree in memory: named places first, then generated
// villages until each township has 8–15, and communities in the towns;
// populations follow from random weights scaled to the county's size.
func planOrg(r *rand.Rand) []townPlan {
	taken := map[string]bool{}
	for _, p := range namedPlaces {
		taken[p.node.NameZH] = true
	}
	plans := make([]townPlan, len(townships))
	var total float64
	for i, t := range townships {
		plans[i] = planTown(r, t, taken)
		for _, w := range plans[i].weights {
			total += w
		}
	}
	for i := range plans {
		spread(r, &plans[i], total)
	}
	return plans
}

func planTown(r *rand.Rand, t org.Node, taken map[string]bool) townPlan {
	tp := townPlan{node: t}
	villages, communities := 0, 0
	add := func(n org.Node, w float64) {
		if n.Kind == "村" {
			villages++
			n.Code = fmt.Sprintf("%s%03d", t.Code, 200+villages)
		} else {
			communities++
			n.Code = fmt.Sprintf("%s%03d", t.Code, communities)
		}
		tp.children = append(tp.children, n)
		tp.weights = append(tp.weights, w)
	}
	for _, p := range namedPlaces {
		if p.town == t.NameZH {
			add(p.node, p.weight)
		}
	}
	for range communityCount(r, t) - communities {
		c := communityNames[r.IntN(len(communityNames))]
		for taken[c.zh+"社区"] {
			c = communityNames[r.IntN(len(communityNames))]
		}
		taken[c.zh+"社区"] = true
		add(org.Node{NameZH: c.zh + "社区", NameEN: pinyinName([]syl{c}) + " Community", Kind: "社区"}, 1+1.5*r.Float64())
	}
	for want := 8 + r.IntN(8); villages < want; {
		zh, en := villageName(r)
		if taken[zh] {
			continue
		}
		taken[zh] = true
		w := 0.55 + r.Float64()
		if t.Kind == "街道" || t.NameZH == "凤凰镇" { // the county seat's villages are bigger
			w *= 1.2
		}
		add(org.Node{NameZH: zh, NameEN: en, Kind: "村"}, w)
	}
	return tp
}

// communityCount is how many communities a township has: the subdistrict and
// the county seat many, a town perhaps one, a rural township none.
func communityCount(r *rand.Rand, t org.Node) int {
	switch {
	case t.Kind == "街道":
		return 6
	case t.NameZH == "凤凰镇":
		return 5
	case t.Kind == "镇":
		return r.IntN(2)
	}
	return 0
}

// spread gives each child its share of the county's residents and a household
// count, and sums them up to the township.
func spread(r *rand.Rand, tp *townPlan, totalWeight float64) {
	tp.node.Population, tp.node.Households = 0, 0
	for i := range tp.children {
		c := &tp.children[i]
		c.Population = int64(math.Round(residents * tp.weights[i] / totalWeight))
		c.Households = int64(math.Round(float64(c.Population) / (2.9 + 0.6*r.Float64())))
		tp.node.Population += c.Population
		tp.node.Households += c.Households
	}
}

// loadOrg saves the county, its townships and their villages through the org
// store, which audits every node.
func loadOrg(ctx context.Context, sc *scenario) error {
	plans := planOrg(sc.rng("org"))
	orgs := &org.Store{DB: sc.db}
	root := county
	for _, tp := range plans {
		root.Population += tp.node.Population
		root.Households += tp.node.Households
	}
	// The county root is made by the system (nil principal): the loader's
	// grant needs the root's id.
	root, err := orgs.Save(ctx, auth.System("demo"), root)
	if err != nil {
		return err
	}
	sc.countyCommander(root)
	sc.nodes[root.NameZH], sc.byID[root.ID] = root, root
	var villages, communities int64
	for _, tp := range plans {
		tp.node.ParentID = root.ID
		town, err := sc.saveNode(ctx, orgs, tp.node)
		if err != nil {
			return err
		}
		for _, c := range tp.children {
			c.ParentID = town.ID
			if _, err := sc.saveNode(ctx, orgs, c); err != nil {
				return err
			}
			if c.Kind == "村" {
				villages++
			} else {
				communities++
			}
		}
	}
	sc.sum.count("乡镇（街道、管理区）", "townships", int64(len(plans)))
	sc.sum.count("行政村", "villages", villages)
	sc.sum.count("社区、小区", "communities", communities)
	sc.sum.count("常住人口", "residents", root.Population)
	return nil
}

func (sc *scenario) saveNode(ctx context.Context, orgs *org.Store, n org.Node) (org.Node, error) {
	saved, err := orgs.Save(ctx, sc.loader, n)
	if err != nil {
		return saved, fmt.Errorf("%s %s: %w", n.Code, n.NameZH, err)
	}
	sc.nodes[saved.NameZH] = saved
	sc.byID[saved.ID] = saved
	if saved.Level == org.Village {
		t := sc.town(saved)
		sc.places[t.NameZH] = append(sc.places[t.NameZH], saved)
	}
	return saved, nil
}

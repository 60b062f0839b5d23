package demo

import (
	"context"

	"fangkong/internal/org"
)

// departments are the county departments the report sets to work: health and
// disease control, market supervision, approvals, tax and finance (the green
// channel), police, transport and industry (work resumption), ecology and
// environment, commerce, urban management, publicity, and the suppliers.
// Codes are their order in the county's list.
var departments = []org.Department{
	{Code: "01", NameZH: "县卫生健康局", NameEN: "County Health Commission"},
	{Code: "02", NameZH: "县疾控中心", NameEN: "County Center for Disease Control and Prevention"},
	{Code: "03", NameZH: "县市场监督管理局", NameEN: "County Administration for Market Regulation"},
	{Code: "04", NameZH: "县行政审批局", NameEN: "County Administrative Approval Bureau"},
	{Code: "05", NameZH: "县税务局", NameEN: "County Taxation Bureau"},
	{Code: "06", NameZH: "县金融办", NameEN: "County Financial Affairs Office"},
	{Code: "07", NameZH: "县公安局", NameEN: "County Public Security Bureau"},
	{Code: "08", NameZH: "县交通运输局", NameEN: "County Transport Bureau"},
	{Code: "09", NameZH: "县工业和信息化局", NameEN: "County Bureau of Industry and Information Technology"},
	{Code: "10", NameZH: "县生态环境分局", NameEN: "County Branch of the Ecology and Environment Bureau"},
	{Code: "11", NameZH: "县商务局", NameEN: "County Commerce Bureau"},
	{Code: "12", NameZH: "县城市管理综合行政执法局", NameEN: "County Urban Management and Law Enforcement Bureau"},
	{Code: "13", NameZH: "县委宣传部", NameEN: "County Publicity Department"},
	{Code: "14", NameZH: "县发展和改革局", NameEN: "County Development and Reform Bureau"},
	{Code: "15", NameZH: "县应急管理局", NameEN: "County Emergency Management Bureau"},
	{Code: "16", NameZH: "县农业农村局", NameEN: "County Agriculture and Rural Affairs Bureau"},
}

// loadDepartments saves the department list through the org store.
func loadDepartments(ctx context.Context, sc *scenario) error {
	orgs := &org.Store{DB: sc.db}
	for _, d := range departments {
		saved, err := orgs.SaveDepartment(ctx, sc.loader, d)
		if err != nil {
			return err
		}
		sc.depts[saved.NameZH] = saved
	}
	sc.sum.count("县直部门", "departments", int64(len(departments)))
	return nil
}

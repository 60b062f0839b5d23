// Package auth is who may do what, where: accounts with argon2id passwords,
// database-backed sessions, login throttling, and grants (role + scope) that
// become the Principal every store query is filtered by.
package auth

// Role is a job in the command system (SPEC §0).
type Role string

// The roles. A grant pairs one of them with a scope.
const (
	Commander         Role = "commander"          // 指挥部: the whole county
	Leader            Role = "leader"             // 县领导: reads all dashboards, writes in liaison
	TownshipAdmin     Role = "township_admin"     // 乡镇管理员
	VillageCadre      Role = "village_cadre"      // 村/社区干部
	CheckpointStaff   Role = "checkpoint_staff"   // 卡口值守
	SiteStaff         Role = "site_staff"         // 隔离点工作人员
	DepartmentOfficer Role = "department_officer" // 部门工作人员
	Inspector         Role = "inspector"          // 督查组
	EnterpriseOfficer Role = "enterprise_officer" // 企业防控专员
	Auditor           Role = "auditor"            // 审计: read-only plus the audit log
)

// Roles lists every role in display order.
var Roles = []Role{Commander, Leader, TownshipAdmin, VillageCadre, CheckpointStaff,
	SiteStaff, DepartmentOfficer, Inspector, EnterpriseOfficer, Auditor}

// Perm is one thing a role may do. Modules add their own.
type Perm string

// Platform and surveillance permissions.
const (
	PermDashboard Perm = "dashboard.read"
	PermOrgRead   Perm = "org.read"
	PermOrgWrite  Perm = "org.write"
	PermCaseRead  Perm = "case.read"
	PermCaseWrite Perm = "case.write"
	PermPIIReveal Perm = "pii.reveal" // see a full ID number, phone or address
	PermPIIExport Perm = "pii.export" // export lists with personal data unmasked
	PermAuditRead Perm = "audit.read"
	PermUserAdmin Perm = "user.admin"
	PermSettings  Perm = "settings.write"
)

// rolePerms is the permission table. Keep it the only place that says which
// role may do what.
var rolePerms = map[Role][]Perm{
	Commander: {PermDashboard, PermOrgRead, PermOrgWrite, PermCaseRead, PermCaseWrite,
		PermPIIReveal, PermPIIExport, PermUserAdmin, PermSettings},
	Leader:            {PermDashboard, PermOrgRead, PermCaseRead},
	TownshipAdmin:     {PermDashboard, PermOrgRead, PermOrgWrite, PermCaseRead, PermCaseWrite, PermPIIReveal, PermPIIExport},
	VillageCadre:      {PermOrgRead, PermCaseRead, PermPIIReveal},
	CheckpointStaff:   {PermOrgRead},
	SiteStaff:         {PermOrgRead},
	DepartmentOfficer: {PermOrgRead},
	Inspector:         {PermOrgRead, PermDashboard},
	EnterpriseOfficer: {},
	Auditor:           {PermDashboard, PermOrgRead, PermCaseRead, PermAuditRead},
}

// AddPerms lets a module give roles its own permissions at init time.
func AddPerms(role Role, perms ...Perm) { rolePerms[role] = append(rolePerms[role], perms...) }

// Has reports whether the role carries perm.
func (r Role) Has(perm Perm) bool {
	for _, p := range rolePerms[r] {
		if p == perm {
			return true
		}
	}
	return false
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	_, ok := rolePerms[r]
	return ok
}

// ScopeKind says what a grant's scope points at.
type ScopeKind string

// The scope kinds of SPEC §0.
const (
	ScopeNode       ScopeKind = "node" // an org node and its subtree
	ScopeDepartment ScopeKind = "department"
	ScopeEnterprise ScopeKind = "enterprise"
	ScopeCheckpoint ScopeKind = "checkpoint"
	ScopeSite       ScopeKind = "site"
)

// Checkpoint permissions (SPEC §5). The checkpoint package gives them to roles
// with AddPerms; checkpoint staff hold them over their checkpoint grants.
const (
	PermCheckpointRead  Perm = "checkpoint.read"  // see checkpoints and their figures
	PermCheckpointWrite Perm = "checkpoint.write" // create and edit checkpoints
	PermPassageRead     Perm = "passage.read"     // read the passage log
	PermPassageWrite    Perm = "passage.write"    // record passages (出入登记)
	PermPassIssue       Perm = "pass.issue"       // issue, print and revoke resident QR passes
)

// Enterprise work-resumption permissions (SPEC §8). The enterprise package
// gives them to roles with AddPerms; enterprise officers hold them over their
// enterprise grant, everyone else over a node subtree.
const (
	PermEnterpriseRead   Perm = "enterprise.read"   // see enterprises, filings, reports and statistics
	PermEnterpriseWrite  Perm = "enterprise.write"  // register and edit enterprises, record suspensions
	PermEnterpriseFile   Perm = "enterprise.file"   // act for an enterprise: file, report daily, apply for policies
	PermEnterpriseReview Perm = "enterprise.review" // the township's review of a filing
	PermEnterpriseDecide Perm = "enterprise.decide" // the county's decision on a filing
	PermEnterprisePolicy Perm = "enterprise.policy" // keep relief policies and record what was granted
)

// Screening permissions (排查与医学观察, SPEC §2). The screening package gives
// them to roles in its init.
const (
	PermScreeningRead  Perm = "screening.read"  // the person register, observations, follow-ups, alerts
	PermScreeningWrite Perm = "screening.write" // register, import, observe, follow up, handle alerts
)

// Isolation-site and contact-tracing permissions (SPEC §3, §4). The isolation
// and tracing packages give them to roles in their init; site staff hold the
// isolation ones over their site grants.
const (
	PermIsolationRead  Perm = "isolation.read"  // sites, rooms, stays, occupancy, follow-ups and transfers at sites
	PermIsolationWrite Perm = "isolation.write" // keep sites and rooms, admit and discharge
	PermTracingRead    Perm = "tracing.read"    // exposures, the transmission chain, clusters
	PermTracingWrite   Perm = "tracing.write"   // record exposures and mark close contacts
)

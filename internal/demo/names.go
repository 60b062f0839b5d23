package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// syl is one Chinese syllable of a generated place name with its pinyin.
type syl struct{ zh, py string }

// Place-name parts of the North China plain: directions, the surnames villages
// are named after, and the endings (庄, 营, 寨 …) that make a village's name.
var (
	placeDirs = []syl{{"东", "dong"}, {"西", "xi"}, {"南", "nan"}, {"北", "bei"}, {"前", "qian"},
		{"后", "hou"}, {"大", "da"}, {"小", "xiao"}, {"中", "zhong"}, {"新", "xin"}}
	placeClans = []syl{{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"赵", "zhao"},
		{"杨", "yang"}, {"高", "gao"}, {"孙", "sun"}, {"郭", "guo"}, {"马", "ma"}, {"陈", "chen"},
		{"田", "tian"}, {"冯", "feng"}, {"韩", "han"}, {"杜", "du"}, {"贾", "jia"}, {"耿", "geng"},
		{"侯", "hou"}, {"崔", "cui"}, {"孟", "meng"}, {"苏", "su"}, {"董", "dong"}, {"魏", "wei"},
		{"曹", "cao"}, {"许", "xu"}, {"宋", "song"}, {"段", "duan"}, {"范", "fan"}, {"石", "shi"},
		{"牛", "niu"}, {"安", "an"}, {"白", "bai"}, {"邢", "xing"}, {"庞", "pang"}, {"尚", "shang"},
		{"闫", "yan"}, {"葛", "ge"}, {"潘", "pan"}, {"史", "shi"}, {"霍", "huo"}, {"乔", "qiao"}}
	placeEnds = [][]syl{{{"庄", "zhuang"}}, {{"家", "jia"}, {"庄", "zhuang"}}, {{"营", "ying"}},
		{{"寨", "zhai"}}, {{"屯", "tun"}}, {{"店", "dian"}}, {{"口", "kou"}}, {{"桥", "qiao"}},
		{{"集", "ji"}}, {{"固", "gu"}}, {{"辛", "xin"}, {"庄", "zhuang"}}, {{"楼", "lou"}},
		{{"河", "he"}}, {{"町", "ting"}}, {{"台", "tai"}}, {{"堤", "di"}}}
	// communityNames are the names towns give their residential communities.
	communityNames = []syl{{"长安", "chang'an"}, {"建设", "jianshe"}, {"朝阳", "chaoyang"},
		{"幸福", "xingfu"}, {"和平", "heping"}, {"富强", "fuqiang"}, {"文化", "wenhua"},
		{"团结", "tuanjie"}, {"新华", "xinhua"}, {"光明", "guangming"}, {"振兴", "zhenxing"},
		{"东风", "dongfeng"}, {"人民", "renmin"}, {"育才", "yucai"}, {"金城", "jincheng"},
		{"锦绣", "jinxiu"}, {"康乐", "kangle"}, {"华苑", "huayuan"}, {"滨河", "binhe"},
		{"迎宾", "yingbin"}, {"凤鸣", "fengming"}, {"盛世", "shengshi"}, {"民主", "minzhu"},
		{"胜利", "shengli"}}
)

// villageName makes a village name such as 西王村, 李家庄村 or 东孟营村, with
// its English form (Xiwang Village, Lijiazhuang Village, Dongmengying Village).
func villageName(r *rand.Rand) (zh, en string) {
	clan := placeClans[r.IntN(len(placeClans))]
	parts := []syl{clan}
	switch r.IntN(5) {
	case 0, 1: // 东王, 北李
		parts = []syl{placeDirs[r.IntN(len(placeDirs))], clan}
	case 2, 3: // 李庄, 王家庄
		parts = append(parts, placeEnds[r.IntN(len(placeEnds))]...)
	default: // 东李庄
		parts = append([]syl{placeDirs[r.IntN(len(placeDirs))], clan}, placeEnds[r.IntN(len(placeEnds))]...)
	}
	return joinZH(parts) + "村", pinyinName(parts) + " Village"
}

func joinZH(parts []syl) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.zh)
	}
	return b.String()
}

// pinyinName joins syllables as one capitalised word, with the apostrophe
// pinyin needs before a syllable starting with a, o or e (Xi'an, not Xian).
func pinyinName(parts []syl) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 && strings.ContainsRune("aoe", rune(p.py[0])) {
			b.WriteByte('\'')
		}
		b.WriteString(p.py)
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// Personal names: common surnames of Hebei, weighted by their order, and the
// characters of given names.
var (
	surnames = []string{"王", "李", "张", "刘", "赵", "杨", "高", "孙", "郭", "马", "陈", "田", "韩",
		"冯", "耿", "贾", "侯", "崔", "孟", "董", "曹", "宋", "何", "吴", "周", "徐", "朱", "胡",
		"闫", "石", "杜", "史", "苏", "魏", "许"}
	givenMale = []string{"建", "国", "军", "伟", "强", "磊", "勇", "涛", "明", "辉", "志", "刚", "海",
		"鹏", "斌", "杰", "超", "亮", "晓", "东", "平", "文", "华", "新", "立", "永", "振", "宏", "俊",
		"浩", "宇", "波", "峰"}
	givenFemale = []string{"丽", "芳", "娜", "敏", "静", "秀", "英", "霞", "燕", "红", "艳", "玲", "萍",
		"洁", "梅", "琳", "雪", "婷", "慧", "丹", "颖", "倩", "娟", "兰", "凤", "月", "春", "佳", "欣", "悦"}
	mobilePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
		"151", "152", "155", "156", "157", "158", "159", "176", "177", "180", "181", "182", "183",
		"185", "186", "187", "188", "189", "199"}
)

// countyArea is the GB/T 2260 code that starts the ID numbers of Ningjin people.
const countyArea = "130528"

// person is a synthetic resident: a plausible name, a valid ID number (area
// 130528, check digit by GB 11643) and a valid mobile number.
type person struct {
	Name     string
	IDNumber string
	Male     bool
	Birth    storage.Date
	Phone    string
}

// newPerson makes a resident aged between minAge and maxAge on day today.
func newPerson(r *rand.Rand, today storage.Date, minAge, maxAge int) person {
	p := person{Male: r.IntN(2) == 0}
	p.Name = personName(r, p.Male)
	age := minAge + r.IntN(maxAge-minAge+1)
	p.Birth = storage.Date{Time: today.AddDate(-age, 0, -r.IntN(365)-1)}
	p.IDNumber = idNumber(r, p.Birth.Time, p.Male)
	p.Phone = mobile(r)
	return p
}

func personName(r *rand.Rand, male bool) string {
	// The product of two uniforms leans to 0: the first surnames are the commonest.
	i := int(float64(len(surnames)) * r.Float64() * r.Float64())
	given := givenFemale
	if male {
		given = givenMale
	}
	name := surnames[i] + given[r.IntN(len(given))]
	if r.IntN(3) > 0 {
		name += given[r.IntN(len(given))]
	}
	return name
}

// idNumber makes an 18-character resident ID number: area, birth date, a
// sequence whose last digit is odd for men and even for women, check digit.
func idNumber(r *rand.Rand, birth time.Time, male bool) string {
	seq := r.IntN(50) * 2
	if male {
		seq++
	}
	body := fmt.Sprintf("%s%s%d%02d", countyArea, birth.Format("20060102"), r.IntN(10), seq)
	check, ok := validate.ResidentIDCheckDigit(body)
	if !ok {
		panic("demo: bad ID body " + body) // a bug in this function, not bad data
	}
	return body + string(check)
}

func mobile(r *rand.Rand) string {
	return fmt.Sprintf("%s%08d", mobilePrefixes[r.IntN(len(mobilePrefixes))], r.IntN(100_000_000))
}

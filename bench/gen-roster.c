/*
 * gen-roster: a deterministic roster of the Rizhao (日照市) municipal People's
 * Congress, as a CSV an office would keep: Han names, posts that fit their
 * work units, delegations by district, grids and liaison stations, unique
 * mobile numbers, some e-mails, and the odd field that needs RFC 4180
 * quoting. The demo and the benchmarks use it; the same arguments always
 * give the same bytes, on any machine.
 *
 * usage: gen-roster [--seed N] [--count N] [--with-codes] [--prefix RZ]
 *                   [--width 4] [--bom] [--chinese-headers] [--crlf]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Phone numbers are unique because their last eight digits are a
 * permutation of the row number, so a roster can hold at most 10^8 rows. */
#define MAX_COUNT 100000000LL

/* Roughly by frequency: pick_surname() favours the first ones. */
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "孙", "徐", "马", "黄", "周", "吴", "朱",
	"胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "杜", "程",
	"苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "陆", "范", "石",
	"贾", "夏", "付", "方", "白", "孟", "秦", "江", "薛", "闫", "段", "侯", "史", "贺",
	"郝", "邵", "武", "孔", "厉", "牟", "卜", "管",
};

static const char *const given_male[] = {
	"伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "鹏", "辉", "建",
	"国", "志", "文", "海", "波", "峰", "斌", "凯", "浩", "宇", "鑫", "成", "德", "民",
	"庆", "龙", "健", "亮", "俊",
};

static const char *const given_female[] = {
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "秀", "霞", "桂", "英", "玉", "萍", "红",
	"燕", "春", "梅", "琳", "颖", "欣", "雪", "莉", "倩", "婷", "慧", "洁", "玲", "兰",
	"凤",
};

static const char *const given_either[] = {
	"晓", "宁", "新", "立", "东", "华", "平", "佳", "思", "然", "金", "永",
};

/* unit is the prefix of every unit in the district: the two zones are not
 * named after the city ("日照经济技术开发区", not "日照市日照..."). weight is
 * out of 20; Donggang, the city proper, sends the largest delegation. */
static const struct {
	const char *name, *unit;
	int weight;
	const char *towns[10];
} districts[] = {
	{ "东港区", "日照市东港区", 6,
	  { "日照街道", "石臼街道", "秦楼街道", "河山镇", "后村镇", "陈疃镇", "西湖镇", "三庄镇",
	    "南湖镇" } },
	{ "岚山区", "日照市岚山区", 3,
	  { "岚山头街道", "安东卫街道", "虎山镇", "巨峰镇", "高兴镇", "黄墩镇", "中楼镇" } },
	{ "莒县", "日照市莒县", 5,
	  { "城阳街道", "店子集街道", "陵阳街道", "招贤镇", "夏庄镇", "刘官庄镇", "峤山镇",
	    "小店镇", "龙山镇" } },
	{ "五莲县", "日照市五莲县", 3,
	  { "洪凝街道", "街头镇", "潮河镇", "许孟镇", "于里镇", "汪湖镇", "叩官镇", "中至镇" } },
	{ "日照经济技术开发区", "日照经济技术开发区", 2, { "奎山街道", "北京路街道", "涛雒镇" } },
	{ "山海天旅游度假区", "日照市山海天旅游度假区", 1, { "两城街道", "卧龙山街道" } },
};

/* village and community names */
static const char *const places[] = {
	"官庄", "前营", "后营", "东山", "西岭", "南湖", "北河", "石河", "柳沟", "杏园", "桃园",
	"梨园", "青山", "凤凰", "金岭", "河东", "河西", "海滨", "望海", "沙墩", "尧王", "丁家楼",
	"朱家", "薛家", "大坡", "小岭", "槐树", "龙门", "马家", "孙家沟", "于家", "安家岭", "山前",
	"黄家", "碾头", "崔家", "潘家", "卧龙", "大花崖", "车家沟",
};

/* made-up trade names, for companies, firms and shops */
static const char *const brands[] = {
	"海晟", "港泰", "鲁岚", "金沙", "蓝湾", "东升", "宏远", "华鲁", "瑞丰", "鑫源", "恒通",
	"安泰", "丰源", "万泰", "岚峰", "碧海", "正阳", "汇川", "嘉禾", "荣盛", "海曲", "莲山",
};

static const char *const industries[] = {
	"钢铁", "港务", "水产", "食品", "纺织", "建筑工程", "物流", "新材料", "茶业", "机械制造",
	"医药", "汽车零部件", "粮油", "木业", "电子科技", "海洋生物",
};

static const char *const produce[] = {
	"茶叶", "蓝莓", "果蔬", "花生", "樱桃", "板栗", "粮食种植", "渔业", "食用菌", "中药材",
};

static const char *const shops[] = {
	"超市", "水产经营部", "农资经营部", "茶庄", "饭店", "五金店", "建材经营部", "汽车修理厂",
};

static const struct {
	const char *name, *head;
} bureaus[] = {
	{ "教育局", "局长" },       { "农业农村局", "局长" },     { "住房和城乡建设局", "局长" },
	{ "交通运输局", "局长" },   { "卫生健康委员会", "主任" }, { "海洋发展局", "局长" },
	{ "民政局", "局长" },       { "生态环境局", "局长" },     { "文化和旅游局", "局长" },
	{ "市场监督管理局", "局长" },
};

static const char *const company_heads[] = { "董事长", "总经理", "董事长、总经理", "党委书记、董事长" };
static const char *const company_staff[] = {
	"高级工程师", "工程师", "车间主任", "技术员", "一线职工", "班组长", "质检员",
};
static const char *const farmers[] = { "农民", "种植大户", "养殖户", "茶农" };
static const char *const numerals[] = { "一", "二", "三", "四", "五", "六", "七", "八" };

/* Real mainland mobile segments, so every number would pass a carrier-aware
 * check, not just ^1[3-9]\d{9}$ (154, 174 and 194 are not in service). */
static const char *const segments[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159",
	"170", "171", "172", "173", "175", "176", "177", "178",
	"180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
	"190", "191", "192", "193", "195", "196", "197", "198", "199",
};

/* Who a deputy is: the post and the unit are drawn together so that a
 * headmaster works at a school and a village secretary in a village. */
enum kind {
	K_VILLAGE_HEAD, K_FARMER, K_TOWN_PARTY, K_TOWN_GOV, K_BUREAU, K_COMPANY_HEAD,
	K_COMPANY_STAFF, K_SCHOOL, K_HOSPITAL, K_LAW, K_COOP, K_SHOP,
};

static const struct {
	enum kind kind;
	int weight;
} kinds[] = {
	{ K_VILLAGE_HEAD, 16 }, { K_FARMER, 8 },         { K_TOWN_PARTY, 5 }, { K_TOWN_GOV, 4 },
	{ K_BUREAU, 4 },        { K_COMPANY_HEAD, 12 },  { K_COMPANY_STAFF, 12 },
	{ K_SCHOOL, 8 },        { K_HOSPITAL, 7 },       { K_LAW, 3 },        { K_COOP, 7 },
	{ K_SHOP, 6 },
};

static const char header_en[] = "code,name,gender,post,unit,delegation,grid,station,phone,email";
static const char header_zh[] = "编号,姓名,性别,职务,工作单位,代表团,负责网格,联络站,联系电话,邮箱";

/* splitmix64: small, fast and the same on every machine */
static uint64_t rng_state;

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t next_random(void)
{
	return mix(rng_state += 0x9e3779b97f4a7c15ULL);
}

/* A multiply-shift rather than %: no division per draw, and every n here
 * is tiny, so the 32 bits used are plenty. */
static uint32_t below(uint32_t n)
{
	return (uint32_t)(((next_random() >> 32) * n) >> 32);
}

#define PICK(a) ((a)[below((uint32_t)N(a))])

/* A keyed permutation of [0, half*half), a four-round Feistel network on
 * the two base-half digits: unique numbers without a table of those used
 * (1,000,000 rows would need one), and without visible steps from row to
 * row as n*k + c would show. */
static uint64_t permute(uint64_t x, uint64_t half, const uint64_t key[4])
{
	uint64_t l = x / half, r = x % half;

	for (int i = 0; i < 4; i++) {
		uint64_t t = r;

		r = (l + mix(key[i] ^ r) % half) % half;
		l = t;
	}
	return l * half + r;
}

/* A bounded string under construction. Every piece comes from the tables
 * above, so the limits are never reached; the check guards later edits. */
typedef struct {
	char *p;
	size_t len, cap;
} text;

static void add_n(text *t, const char *s, size_t n)
{
	if (n > t->cap - t->len) {
		fputs("gen-roster: internal error: a row outgrew its buffer\n", stderr);
		abort();
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
}

static void add(text *t, const char *s)
{
	add_n(t, s, strlen(s));
}

/* decimal, zero-padded to width; more digits when the value needs them */
static void add_number(text *t, uint64_t v, int width)
{
	char digits[24];
	int n = 0;

	do {
		digits[sizeof(digits) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width && n < (int)sizeof(digits))
		digits[sizeof(digits) - 1 - n++] = '0';
	add_n(t, digits + sizeof(digits) - n, (size_t)n);
}

/* A field as RFC 4180 wants it: quoted, with quotes doubled, when it holds
 * a comma, a quote or a line break. Every field goes through here, so a
 * table entry with a comma cannot break the file. */
static void add_field(text *t, const char *s, size_t n)
{
	const char *q;

	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
		add_n(t, s, n);
		return;
	}
	add_n(t, "\"", 1);
	while ((q = memchr(s, '"', n))) {
		add_n(t, s, (size_t)(q - s) + 1);
		add_n(t, "\"", 1);
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	add_n(t, s, n);
	add_n(t, "\"", 1);
}

static size_t pick_district(void)
{
	int total = 0, r;

	for (size_t i = 0; i < N(districts); i++)
		total += districts[i].weight;
	r = (int)below((uint32_t)total);
	for (size_t i = 0; i < N(districts); i++) {
		if (r < districts[i].weight)
			return i;
		r -= districts[i].weight;
	}
	return 0;
}

static enum kind pick_kind(void)
{
	int total = 0, r;

	for (size_t i = 0; i < N(kinds); i++)
		total += kinds[i].weight;
	r = (int)below((uint32_t)total);
	for (size_t i = 0; i < N(kinds); i++) {
		if (r < kinds[i].weight)
			return kinds[i].kind;
		r -= kinds[i].weight;
	}
	return K_FARMER;
}

/* A fifth of the draws go to the ten commonest surnames, on top of their
 * share of the rest, as in any Shandong roster. */
static const char *pick_surname(void)
{
	return below(5) == 0 ? surnames[below(10)] : PICK(surnames);
}

static void add_name(text *t, int female)
{
	add(t, pick_surname());
	if (below(3) == 0) {
		add(t, female ? PICK(given_female) : PICK(given_male));
		return;
	}
	if (below(4) == 0)
		add(t, PICK(given_either));
	else
		add(t, female ? PICK(given_female) : PICK(given_male));
	add(t, female ? PICK(given_female) : PICK(given_male));
}

static void add_company(text *t, int branch)
{
	add(t, below(4) ? "日照" : "山东");
	add(t, PICK(brands));
	add(t, PICK(industries));
	switch (below(8)) {
	case 0:
		add(t, "集团有限公司");
		break;
	case 1:
		add(t, "股份有限公司");
		break;
	default:
		add(t, "有限公司");
	}
	/* the way offices write a branch, and the comma the importer must
	 * take as part of the field */
	if (branch) {
		add(t, ",第");
		add(t, numerals[below(3) + 1]);
		add(t, "分公司");
	}
}

/* The post and the work unit of one deputy from the given town. urban is
 * a 街道 (communities, a 工委 and a 办事处) rather than a 镇 (villages, a
 * 党委 and a 人民政府). */
static void add_post_unit(text *post, text *unit, enum kind kind, size_t d, const char *town,
                          int urban, int branch)
{
	const char *up = districts[d].unit;

	switch (kind) {
	case K_VILLAGE_HEAD: {
		static const char *const rural[] = { "村党支部书记", "村党支部书记、村委会主任", "村委会主任" };
		static const char *const city[] = { "社区党委书记", "社区党委书记、居委会主任", "社区居委会主任" };
		add(post, urban ? PICK(city) : PICK(rural));
		add(unit, up);
		add(unit, town);
		add(unit, PICK(places));
		add(unit, urban ? "社区居民委员会" : "村村民委员会");
		break;
	}
	case K_FARMER:
		add(post, urban ? "社区网格员" : PICK(farmers));
		add(unit, up);
		add(unit, town);
		add(unit, PICK(places));
		add(unit, urban ? "社区居民委员会" : "村");
		break;
	case K_TOWN_PARTY:
		add(post, urban ? "街道党工委书记" : "镇党委书记");
		add(unit, "中共");
		add(unit, up);
		add(unit, town);
		add(unit, urban ? "工作委员会" : "委员会");
		break;
	case K_TOWN_GOV:
		add(post, urban ? "街道办事处主任" : "镇长");
		add(unit, up);
		add(unit, town);
		add(unit, urban ? "办事处" : "人民政府");
		break;
	case K_BUREAU: {
		size_t b = below((uint32_t)N(bureaus));
		if (below(2))
			add(post, "党组书记、");
		add(post, bureaus[b].head);
		add(unit, "日照市");
		add(unit, bureaus[b].name);
		break;
	}
	case K_COMPANY_HEAD:
	case K_COMPANY_STAFF:
		add(post, kind == K_COMPANY_HEAD ? PICK(company_heads) : PICK(company_staff));
		add_company(unit, branch);
		break;
	case K_SCHOOL:
		switch (below(3)) {
		case 0:
			add(post, below(4) ? "中学教师" : "校长");
			add(unit, up);
			add(unit, town);
			add(unit, "初级中学");
			break;
		case 1:
			add(post, below(4) ? "小学教师" : "校长");
			add(unit, up);
			add(unit, town);
			add(unit, "中心小学");
			break;
		default:
			add(post, below(3) ? "高级教师" : "校长");
			add(unit, "日照市第");
			add(unit, PICK(numerals));
			add(unit, "中学");
		}
		break;
	case K_HOSPITAL:
		switch (below(3)) {
		case 0: {
			static const char *const staff[] = { "院长", "主任医师", "副主任医师", "护士长" };
			add(post, PICK(staff));
			add(unit, up);
			add(unit, below(3) ? "人民医院" : "中医医院");
			break;
		}
		case 1:
			add(post, urban ? "主任" : "院长");
			add(unit, up);
			add(unit, town);
			add(unit, urban ? "社区卫生服务中心" : "卫生院");
			break;
		default:
			add(post, urban ? "全科医生" : "乡村医生");
			add(unit, up);
			add(unit, town);
			add(unit, PICK(places));
			add(unit, urban ? "社区卫生服务站" : "村卫生室");
		}
		break;
	case K_LAW:
		add(post, below(3) ? "律师事务所主任" : "律师");
		add(unit, "山东");
		add(unit, PICK(brands));
		add(unit, "律师事务所");
		break;
	case K_COOP:
		add(post, "农民专业合作社理事长");
		add(unit, up);
		add(unit, town);
		add(unit, PICK(places));
		add(unit, PICK(produce));
		add(unit, "专业合作社");
		break;
	case K_SHOP:
		add(post, "个体工商户");
		add(unit, up);
		add(unit, town);
		add(unit, PICK(brands));
		add(unit, PICK(shops));
		break;
	}
}

static int usage(FILE *f, int status)
{
	fputs("usage: gen-roster [--seed N] [--count N] [--with-codes] [--prefix RZ] [--width 4]\n"
	      "                  [--bom] [--chinese-headers] [--crlf]\n"
	      "Writes a deterministic roster CSV to stdout (default: seed 1, 340 rows).\n"
	      "--prefix is 1 to 8 capital letters A-Z and --width 1 to 9, as rdlz accepts;\n"
	      "--count is at most 100000000.\n",
	      f);
	return status;
}

/* digits only: strtoll alone would take " 5", "+5" and "-0" */
static int number_arg(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

static int prefix_arg(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 8)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 20];
	char rowbuf[2048], postbuf[256], unitbuf[512], namebuf[64];
	long long seed = 1, count = 340, width = 4;
	const char *prefix = "RZ", *eol = "\n";
	int with_codes = 0, bom = 0, zh = 0;
	uint64_t phone_key[4], email_key[4], email_half;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL, *eq = strchr(a, '=');
		size_t alen = eq ? (size_t)(eq - a) : strlen(a);
		int ok = 0;

#define IS(opt) (alen == sizeof(opt) - 1 && memcmp(a, opt, alen) == 0)
		if (IS("--help") || IS("-h"))
			return usage(stdout, 0);
		if (IS("--seed") || IS("--count") || IS("--prefix") || IS("--width")) {
			if (eq)
				v = eq + 1;
			else if (i + 1 < argc)
				v = argv[++i];
			if (!v)
				ok = 0;
			else if (IS("--seed"))
				ok = number_arg(v, 0, INT64_MAX, &seed);
			else if (IS("--count"))
				ok = number_arg(v, 0, MAX_COUNT, &count);
			else if (IS("--width"))
				ok = number_arg(v, 1, 9, &width);
			else if ((ok = prefix_arg(v)))
				prefix = v;
		} else if (!eq) {
			if (IS("--with-codes"))
				ok = with_codes = 1;
			else if (IS("--bom"))
				ok = bom = 1;
			else if (IS("--chinese-headers"))
				ok = zh = 1;
			else if (IS("--crlf")) {
				ok = 1;
				eol = "\r\n";
			}
		}
#undef IS
		if (!ok) {
			if (v && !eq)
				fprintf(stderr, "gen-roster: bad argument: %s %s\n", a, v);
			else
				fprintf(stderr, "gen-roster: bad argument: %s\n", a);
			return usage(stderr, 2);
		}
	}

	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	rng_state = mix((uint64_t)seed ^ 0x6a09e667f3bcc909ULL);
	for (int i = 0; i < 4; i++)
		phone_key[i] = next_random();
	for (int i = 0; i < 4; i++)
		email_key[i] = next_random();
	/* six digits, as the office uses, until there are more rows than that */
	email_half = count <= 1000000 ? 1000 : 10000;

	if (bom)
		fputs("\xef\xbb\xbf", stdout);
	fputs(zh ? header_zh : header_en, stdout);
	fputs(eol, stdout);

	for (long long n = 1; n <= count; n++) {
		text row = { rowbuf, 0, sizeof(rowbuf) };
		text post = { postbuf, 0, sizeof(postbuf) };
		text unit = { unitbuf, 0, sizeof(unitbuf) };
		text name = { namebuf, 0, sizeof(namebuf) };
		size_t d = pick_district(), ntowns = 0;
		const char *town, *delegation = districts[d].name;
		int female = below(10) < 3, urban, branch = below(100) == 0, quoted = below(200) == 0;
		enum kind kind = branch ? (below(2) ? K_COMPANY_HEAD : K_COMPANY_STAFF) : pick_kind();
		uint64_t local;

		while (ntowns < N(districts[d].towns) && districts[d].towns[ntowns])
			ntowns++;
		town = districts[d].towns[below((uint32_t)ntowns)];
		urban = strstr(town, "街道") != NULL;

		if (with_codes) {
			add(&row, prefix);
			add_number(&row, (uint64_t)n, (int)width);
		}
		add(&row, ",");

		add_name(&name, female);
		add_field(&row, name.p, name.len);
		add(&row, female ? ",女," : ",男,");

		/* the quote a title of honour brings, as RFC 4180 must escape */
		if (quoted)
			add(&post, "获\"劳动模范\"称号的");
		add_post_unit(&post, &unit, kind, d, town, urban, branch);
		add_field(&row, post.p, post.len);
		add(&row, ",");
		add_field(&row, unit.p, unit.len);

		add(&row, ",");
		add(&row, delegation);
		add(&row, "代表团,");
		add(&row, town);
		add(&row, "第");
		add_number(&row, below(40) + 1, 1);
		add(&row, "网格,");
		add(&row, town);
		add(&row, "人大代表联络站,");

		add(&row, PICK(segments));
		add_number(&row, permute((uint64_t)n - 1, 10000, phone_key), 8);
		add(&row, ",");

		if (below(10) < 6) {
			local = permute((uint64_t)n - 1, email_half, email_key);
			add(&row, "rz");
			add_number(&row, local, email_half == 1000 ? 6 : 8);
			add(&row, "@example.cn");
		}
		add(&row, eol);

		if (fwrite(row.p, 1, row.len, stdout) != row.len)
			break;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen-roster: writing the roster");
		return 1;
	}
	return 0;
}
